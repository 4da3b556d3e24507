package dev.handshake.service.observability;

import dev.handshake.service.problem.ApiException;
import dev.handshake.service.problem.ProblemKind;
import dev.handshake.service.session.SessionIds;
import dev.handshake.service.session.SessionRecord;
import dev.handshake.service.session.Sessions;
import dev.handshake.tls.ConnectionState;
import dev.handshake.tls.SessionInfo;
import dev.handshake.tls.wire.ProtocolVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/sessions/{id}/keylog}: the session's SSLKEYLOGFILE line, for decrypting a capture of a relayed
 * or walked-through handshake in Wireshark. Exists only with {@code handshake.observability.key-log.enabled=true};
 * otherwise the path is an ordinary 404.
 *
 * <p>The lines the session recorded in its capture when it has them (walkthrough sessions, and relay sessions with
 * {@code handshake.capture.relay-key-export}); otherwise, for TLS 1.2, the CLIENT_RANDOM line computed from the stored
 * session (client random and master secret). A TLS 1.3 relay session without key export keeps no traffic secrets
 * once its keys are installed, so its lines cannot be produced after the fact (409).
 */
@RestController
@ConditionalOnProperty(prefix = "handshake.observability.key-log", name = "enabled", havingValue = "true")
class KeyLogController {

    private static final Logger log = LoggerFactory.getLogger(KeyLogController.class);

    private final Sessions sessions;

    KeyLogController(Sessions sessions) {
        this.sessions = sessions;
    }

    @GetMapping(path = "/api/v1/sessions/{id}/keylog", produces = MediaType.TEXT_PLAIN_VALUE)
    String keyLog(@PathVariable String id) {
        SessionRecord session = sessions.load(id);
        if (session.capture() != null && !session.capture().keyLog().isEmpty()) {
            // lines the session recorded as its secrets were derived (walkthrough sessions; relay sessions with
            // handshake.capture.relay-key-export): complete for TLS 1.3 too
            // the id opens the session: the log names it by fingerprint only
            log.info("key log of session {} served", SessionIds.fingerprint(id));
            return session.capture().keyLogText();
        }
        for (byte[] encoded : session.states()) {
            SessionInfo established = ConnectionState.fromBytes(encoded).session();
            if (established == null) {
                continue;
            }
            if (established.version().equals(ProtocolVersion.TLS1_3) || established.masterSecret() == null) {
                throw new ApiException(ProblemKind.WRONG_STATE, "Key log lines of a TLS 1.3 API session are not kept; "
                        + "use the proxy's key-log file for TLS 1.3.").with("sessionId", id);
            }
            log.info("key log of session {} served", SessionIds.fingerprint(id)); // never the line itself
            return KeyLogFormatter.tls12(established.clientRandom(), established.masterSecret().bytes()) + "\n";
        }
        throw new ApiException(ProblemKind.WRONG_STATE, "The handshake has not completed: there is no key yet.")
                .with("sessionId", id);
    }
}
