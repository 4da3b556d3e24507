package dev.handshake.service.relay;

import dev.handshake.service.capture.CaptureProperties;
import dev.handshake.service.certificate.ServiceIdentity;
import dev.handshake.service.observability.HandshakeMetrics;
import dev.handshake.service.problem.ApiException;
import dev.handshake.service.resumption.RotatingTicketKeys;
import dev.handshake.service.problem.ProblemKind;
import dev.handshake.service.session.ClientAuthPolicy;
import dev.handshake.service.session.CreateSessionRequest;
import dev.handshake.service.session.EngineEvents;
import dev.handshake.service.session.Mode;
import dev.handshake.service.session.ModeHandler;
import dev.handshake.service.session.SessionOptions;
import dev.handshake.service.session.SessionRecord;
import dev.handshake.service.session.SessionStatus;
import dev.handshake.service.session.SessionCapture;
import dev.handshake.service.session.Sessions;
import dev.handshake.service.session.TlsOptions;
import dev.handshake.tls.ClientAuth;
import dev.handshake.tls.ConnectionState;
import dev.handshake.tls.Role;
import dev.handshake.tls.Step;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.TlsEngine;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.record.RecordPadding;
import dev.handshake.tls.resumption.SessionCache;
import dev.handshake.tls.suite.Profile;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Relay mode: the service is the TLS server of a client that posts its records over HTTP. Each flight loads the
 * server's state, feeds the records to the engine, and stores the next state with compare-and-set.
 *
 * <p>Application data, whether it arrives on {@code /records} or inside a flight, is handled the same way: with proxy
 * routes configured ({@code handshake.proxy.routes} / {@code default-route}), it goes to the upstream of the route that
 * the session's SNI selects and the upstream's reply comes back protected in the same answer ({@link RelayUpstream});
 * with no route configured at all, the relay server echoes it (the pre-proxy behaviour, kept for that case only).
 * When the upstream fails, nothing is stored: the session stays where it was, so the same records may be posted again.
 */
class RelayService implements ModeHandler {

    private final ServiceIdentity identity;
    private final CryptoProvider crypto;
    private final Sessions sessions;
    private final CaptureProperties capture;
    private final RelayUpstream upstream;
    private final HandshakeMetrics metrics;
    private final RotatingTicketKeys tickets;
    private final SessionCache sessionCache;

    RelayService(ServiceIdentity identity, CryptoProvider crypto, Sessions sessions, CaptureProperties capture,
                 RelayUpstream upstream, HandshakeMetrics metrics, RotatingTicketKeys tickets,
                 SessionCache sessionCache) {
        this.identity = identity;
        this.crypto = crypto;
        this.sessions = sessions;
        this.capture = capture;
        this.upstream = upstream;
        this.metrics = metrics;
        this.tickets = tickets;
        this.sessionCache = sessionCache;
    }

    @Override
    public Mode mode() {
        return Mode.RELAY;
    }

    @Override
    public Created create(String id, CreateSessionRequest request, long now) {
        if (request.walkthrough() != null) {
            throw new ApiException(ProblemKind.MALFORMED_REQUEST, "walkthrough options apply to walkthrough sessions only.");
        }
        return start(id, request,
                TlsOptions.base64(request.firstFlight(), "firstFlight", sessions.properties().maxFlightBytes()), now);
    }

    /** A new session with {@code request}'s options, answering {@code firstFlight} (raw records) when there is one. */
    Created start(String id, CreateSessionRequest request, byte[] firstFlight, long now) {
        SessionOptions options = new SessionOptions(
                request.version() == null ? "TLSv1.2" : request.version(),
                request.profile() == null ? Profile.COMPATIBLE.name() : request.profile(),
                null, null, request.serverName(),
                (request.clientAuth() == null ? ClientAuthPolicy.NONE : request.clientAuth()).name(),
                request.applicationProtocols(), List.of(),
                request.recordPadding() == null ? 0 : request.recordPadding());
        TlsEngine engine = engine(options);
        ConnectionState initial = engine.start().state();
        if (firstFlight == null || firstFlight.length == 0) {
            return new Created(newSession(id, options, List.of(initial.toBytes()), now), null);
        }
        // the initial state goes straight to the engine: encoded once, after the first flight, not also before it and
        // decoded again (the state codec is reflective; this was ~2-5% of a start's server CPU)
        Advanced advanced = advance(engine, newSession(id, options, List.of(), now), initial, firstFlight, now);
        return new Created(advanced.session(), advanced.records());
    }

    private static SessionRecord newSession(String id, SessionOptions options, List<byte[]> states, long now) {
        return new SessionRecord(id, Mode.RELAY, options, 0, SessionStatus.HANDSHAKING, states, List.of(), 0, null,
                null, now, now);
    }

    @Override
    public byte[] close(SessionRecord session) {
        ConnectionState state = ConnectionState.fromBytes(session.states().get(0));
        if (state.isFailed() || state.closeNotifySent()) {
            return new byte[0];
        }
        if (state.session() == null) {
            // deleted mid-handshake: the caller gave up, the API's "client closed the connection"
            metrics.failed(new HandshakeMetrics.Context(HandshakeMetrics.Source.API, "relay", session.id(), null,
                            session.options().serverName()), HandshakeMetrics.Outcome.CLOSED, null, false, null,
                    "session deleted during the handshake",
                    java.time.Duration.ofMillis(Math.max(0, sessions.now() - session.createdAt())));
        }
        return engine(session.options()).close(state).outbound();
    }

    /** The result of one flight: the next session (not yet stored), the records for the client and the data count. */
    record Advanced(SessionRecord session, byte[] records, int applicationDataReceived) {
    }

    Advanced flight(SessionRecord session, byte[] records) {
        requireOpen(session);
        return advance(engine(session.options()), session, records, sessions.now());
    }

    /**
     * {@code /records}: application-data records of an established session. A record that fails to decrypt ends the
     * session with {@code bad_record_mac} (the alert is in the answer, as for flights).
     */
    Advanced records(SessionRecord session, byte[] records) {
        requireOpen(session);
        if (session.status() != SessionStatus.ESTABLISHED) {
            throw new ApiException(ProblemKind.WRONG_STATE, "The handshake has not completed; post handshake records "
                    + "to /flights until the session is ESTABLISHED.").with("sessionId", session.id())
                    .with("status", session.status().name());
        }
        return advance(engine(session.options()), session, records, sessions.now());
    }

    private static void requireOpen(SessionRecord session) {
        if (session.status() == SessionStatus.FAILED || session.status() == SessionStatus.CLOSED) {
            ApiException e = new ApiException(ProblemKind.WRONG_STATE,
                    "The connection has " + (session.status() == SessionStatus.FAILED ? "failed" : "been closed")
                            + "; it accepts no more flights.").with("sessionId", session.id())
                    .with("status", session.status().name());
            if (session.failure() != null) {
                e.with("alert", session.failure().alert()).with("step", session.failure().step());
            }
            throw e;
        }
    }

    /**
     * TLS 1.3 post-handshake authentication (RFC 8446 §4.6.2): the CertificateRequest records for the client. Its
     * answer (Certificate, CertificateVerify, Finished) arrives as an ordinary flight or records post, and a verified
     * certificate replaces the session's peer certificates. 409 when the session is not an established TLS 1.3
     * session whose client offered post_handshake_auth, or a request is still outstanding: nothing is sent then.
     */
    Advanced requestClientCertificate(SessionRecord session, ClientAuth mode) {
        requireOpen(session);
        if (session.status() != SessionStatus.ESTABLISHED) {
            throw new ApiException(ProblemKind.WRONG_STATE, "The handshake has not completed; a certificate can be "
                    + "requested once the session is ESTABLISHED.").with("sessionId", session.id())
                    .with("status", session.status().name());
        }
        ConnectionState state = ConnectionState.fromBytes(session.states().get(0));
        Step step;
        try {
            step = engine(session.options()).requestClientCertificate(state, mode);
        } catch (IllegalStateException e) {
            // the engine's refusals are fixed sentences about the connection (no peer data): TLS 1.2, no
            // post_handshake_auth offered, a request already outstanding
            throw new ApiException(ProblemKind.WRONG_STATE, "No certificate can be requested now: " + e.getMessage()
                    + ".").with("sessionId", session.id()).with("version", state.session().version().name());
        }
        long now = sessions.now();
        observe(session, step.events(), step.state(), now);
        return new Advanced(recorded(session, new byte[0], step.outbound(), step.events(), step.state(), now),
                step.outbound(), 0);
    }

    private Advanced advance(TlsEngine engine, SessionRecord session, byte[] records, long now) {
        return advance(engine, session, ConnectionState.fromBytes(session.states().get(0)), records, now);
    }

    private Advanced advance(TlsEngine engine, SessionRecord session, ConnectionState state, byte[] records,
                             long now) {
        Step step = engine.advance(state, records);
        List<HandshakeEvent> events = new ArrayList<>(step.events());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(step.outbound());
        ConnectionState next = step.state();
        int received = step.applicationData().length;
        if (received > 0 && next.isEstablished()) {
            byte[] reply = upstream.routed()
                    ? upstream.exchange(upstream.target(next.session().serverName()), step.applicationData())
                    : step.applicationData();
            if (reply.length > 0) {
                Step answer = engine.send(next, reply);
                out.writeBytes(answer.outbound());
                events.addAll(answer.events());
                next = answer.state();
            }
        }
        observe(session, events, next, now);
        return new Advanced(recorded(session, records, out.toByteArray(), events, next, now), out.toByteArray(),
                received);
    }

    private void observe(SessionRecord session, List<HandshakeEvent> events, ConnectionState next, long now) {
        metrics.observe(new HandshakeMetrics.Context(HandshakeMetrics.Source.API, "relay", session.id(), null,
                        session.options().serverName()), events, next,
                java.time.Duration.ofMillis(Math.max(0, now - session.createdAt())));
    }

    /** The session after one call: the next state, its events in the transcript, both directions' records captured. */
    private SessionRecord recorded(SessionRecord session, byte[] received, byte[] sent, List<HandshakeEvent> events,
                                   ConnectionState next, long now) {
        EngineEvents.Appended transcript = EngineEvents.append(session.transcript(), session.droppedEvents(), events,
                Role.SERVER, sessions.properties().transcriptLimit());
        // the engine reveals secrets only with key export on (see engine()), so otherwise the key log stays empty
        SessionCapture captured = session.capture().withEvents(events)
                .withRecords(true, received, capture.maxBytes())
                .withRecords(false, sent, capture.maxBytes());
        return session.advanced(EngineEvents.status(next), List.of(next.toBytes()),
                transcript.transcript(), transcript.dropped(), EngineEvents.failure(next), null, now)
                .withCapture(captured);
    }

    private TlsEngine engine(SessionOptions options) {
        TlsConfig.Builder builder = TlsOptions.common(TlsConfig.server(), options, List.of())
                .identity(identity.identity())
                .trustAnchors(identity.trustAnchors())
                .clientAuth(ClientAuth.valueOf(options.clientAuth()))
                // the keys of this moment: a flight that seals or opens a ticket uses the replicas' shared keys
                .ticketKeys(tickets.current())
                .ticketLifetimeSeconds(tickets.lifetimeSeconds())
                // the service's cache, not one per engine: each request builds a new engine, and a TLS 1.2 session id
                // is looked up by a later request (TLS 1.3 resumes by tickets only)
                .sessionCache(sessionCache)
                // the relay's sessions resume only on the relay, and only under the same clientAuth the caller chose
                // (the engine adds the certificates and policy): never on a proxy route, which shares the ticket keys
                .resumptionContextLabel("relay")
                // secrets leave the engine only for the capture's key log, and only when key export is configured
                .revealSecrets(capture.relayKeyExport());
        if (options.recordPadding() > 0) {
            builder.recordPadding(RecordPadding.toMultipleOf(options.recordPadding()));
        }
        return new TlsEngine(builder.build(), crypto);
    }
}
