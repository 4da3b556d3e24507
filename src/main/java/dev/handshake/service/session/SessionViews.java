package dev.handshake.service.session;

import dev.handshake.tls.ConnectionState;
import dev.handshake.tls.SessionInfo;
import dev.handshake.tls.cert.CertificateValidation;
import dev.handshake.tls.crypto.CryptoProvider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Builds the API's view of a stored session. Engine values are read here and turned into DTO values. */
public final class SessionViews {

    private final CryptoProvider crypto;
    private final SessionProperties properties;

    public SessionViews(CryptoProvider crypto, SessionProperties properties) {
        this.crypto = crypto;
        this.properties = properties;
    }

    public SessionView view(SessionRecord s) {
        // relay: the service's server state; walkthrough: the client's state (the learner follows the client)
        ConnectionState perspective = ConnectionState.fromBytes(s.states().get(0));
        SessionInfo info = perspective.session();
        SessionView.Negotiated negotiated = null;
        List<Map<String, Object>> peers = List.of();
        // a walkthrough's engines run ahead of what is revealed: show the outcome only once step 10 is
        boolean revealed = s.mode() != Mode.WALKTHROUGH || s.walkthrough().nextStep() > 10;
        if (info != null && revealed) {
            negotiated = new SessionView.Negotiated(info.version().name(), info.cipherSuite().name(),
                    info.group() == null ? null : info.group().name(), info.extendedMasterSecret(),
                    info.applicationProtocol(), info.serverName(), perspective.renegotiations(), info.resumed());
            peers = new ArrayList<>();
            for (byte[] der : info.peerCertificates()) {
                peers.add(summary(der));
            }
        }
        Integer nextStep = null;
        List<Integer> stepsDone;
        List<WalkthroughProgress.DerivedValue> secrets = null;
        String base = "/api/v1/sessions/" + s.id();
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", base);
        if (s.mode() == Mode.WALKTHROUGH) {
            WalkthroughProgress w = s.walkthrough();
            stepsDone = new ArrayList<>();
            int last = w.stoppedAt() > 0 ? w.stoppedAt() : w.nextStep() - 1;
            for (int step = 1; step <= Math.min(11, last); step++) {
                stepsDone.add(step);
            }
            nextStep = w.nextStep() <= 11 && w.stoppedAt() == 0 ? w.nextStep() : null;
            secrets = w.revealed();
            links.put("steps", base + "/steps");
        } else {
            TreeSet<Integer> steps = new TreeSet<>();
            for (TranscriptEntry e : s.transcript()) {
                steps.add(e.step());
            }
            if (steps.stream().anyMatch(n -> n >= 4)) {
                steps.add(3); // the client checks the server (step 3) before it sends anything of step 4 or later
            }
            if (steps.stream().anyMatch(n -> n >= 8)) {
                // the relay server reveals no secrets, so its master secret (6) and keys (7) leave no event; a
                // ChangeCipherSpec (8) is only possible once both were derived
                steps.add(6);
                steps.add(7);
            }
            if (s.status() != SessionStatus.ESTABLISHED && s.status() != SessionStatus.CLOSED) {
                steps.remove(10);
            }
            if (s.failure() != null) {
                steps.removeIf(n -> n >= s.failure().step());
            }
            stepsDone = List.copyOf(steps);
            links.put("flights", base + "/flights");
        }
        return new SessionView(s.id(), s.mode().json(), s.version(), s.status(), stepsDone, nextStep, negotiated, peers,
                s.failure(), s.transcript(), s.droppedEvents(), secrets, s.options(),
                Instant.ofEpochMilli(s.createdAt()).toString(),
                Instant.ofEpochMilli(properties.expiresAt(s)).toString(), links, null);
    }

    public Map<String, Object> summary(byte[] der) {
        try {
            return CertificateValidation.summarize(crypto, der).describe();
        } catch (RuntimeException e) {
            return Map.of("undecodable", der.length + " bytes");
        }
    }
}
