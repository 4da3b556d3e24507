package dev.handshake.service.walkthrough;

import dev.handshake.service.problem.ApiException;
import dev.handshake.service.problem.ProblemKind;
import dev.handshake.service.session.ClientAuthPolicy;
import dev.handshake.service.session.CreateSessionRequest;
import dev.handshake.service.session.CreateSessionRequest.KeyExchangeChoice;
import dev.handshake.service.session.CreateSessionRequest.WalkthroughFault;
import dev.handshake.service.session.EngineEvents;
import dev.handshake.service.session.Mode;
import dev.handshake.service.session.ModeHandler;
import dev.handshake.service.session.SessionOptions;
import dev.handshake.service.session.SessionRecord;
import dev.handshake.service.session.SessionStatus;
import dev.handshake.service.session.SessionCapture;
import dev.handshake.service.session.Sessions;
import dev.handshake.service.session.TlsOptions;
import dev.handshake.service.session.TranscriptEntry;
import dev.handshake.service.session.WalkthroughProgress;
import dev.handshake.service.session.WalkthroughProgress.DerivedValue;
import dev.handshake.service.session.WalkthroughProgress.WalkEvent;
import dev.handshake.tls.ClientAuth;
import dev.handshake.tls.ConnectionState;
import dev.handshake.tls.Fault;
import dev.handshake.tls.Role;
import dev.handshake.tls.Step;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.TlsEngine;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.event.SeedStep;
import dev.handshake.tls.suite.CipherSuites;
import dev.handshake.tls.suite.KeyExchange;
import dev.handshake.tls.suite.Profile;
import dev.handshake.tls.wire.AlertLevel;
import dev.handshake.tls.wire.CipherSuiteId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walkthrough mode: the service plays client and server (two engines, secrets revealed) and shows the handshake one
 * seed step at a time.
 *
 * <p>The engines work a flight at a time, and one flight spans several steps (the client's second flight carries
 * steps 4, 5 and 8). So the conversation runs ahead, a flight at a time, only as far as the requested step needs,
 * and each event waits in the session until the step it names is revealed. Step N is complete when both sides have
 * produced an event of a later step, or the conversation has gone quiet. The grouping relies only on each event's
 * {@link SeedStep}, so TLS 1.3 (whose events name the same steps) needs no change here.
 */
class WalkthroughService implements ModeHandler {

    private static final HexFormat HEX = HexFormat.of();
    /** Bounds the flights one reveal may run (a renegotiation is 4-5 flights): a defence against a ping-pong bug. */
    private static final int MAX_FLIGHTS = 16;
    private static final byte[] SAMPLE_REQUEST = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SAMPLE_RESPONSE = "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello".getBytes(StandardCharsets.US_ASCII);

    private final WalkthroughIdentities identities;
    private final CryptoProvider crypto;
    private final Sessions sessions;
    private final int captureMaxBytes;

    WalkthroughService(WalkthroughIdentities identities, CryptoProvider crypto, Sessions sessions, int captureMaxBytes) {
        this.identities = identities;
        this.crypto = crypto;
        this.sessions = sessions;
        this.captureMaxBytes = captureMaxBytes;
    }

    @Override
    public Mode mode() {
        return Mode.WALKTHROUGH;
    }

    @Override
    public Created create(String id, CreateSessionRequest request, long now) {
        if (request.firstFlight() != null) {
            throw new ApiException(ProblemKind.MALFORMED_REQUEST, "firstFlight applies to relay sessions only.");
        }
        if (request.recordPadding() != null && request.recordPadding() != 0) {
            // the walkthrough shows records as they are; padding would only make its byte views harder to read
            throw new ApiException(ProblemKind.MALFORMED_REQUEST, "recordPadding applies to relay sessions only.");
        }
        CreateSessionRequest.WalkthroughOptions w = request.walkthrough() == null
                ? new CreateSessionRequest.WalkthroughOptions(null, null, null) : request.walkthrough();
        KeyExchangeChoice keyExchange = w.keyExchange() == null ? KeyExchangeChoice.RSA : w.keyExchange();
        Profile profile = request.profile() == null ? Profile.COMPATIBLE : Profile.parse(request.profile());
        List<String> faults = w.faults() == null ? List.of() : w.faults().stream().distinct().map(Enum::name).toList();
        SessionOptions options = new SessionOptions(request.version() == null ? "TLSv1.2" : request.version(),
                profile.name(), w.cipherSuite(), keyExchange.name(),
                request.serverName() == null ? "localhost" : request.serverName(),
                (request.clientAuth() == null ? ClientAuthPolicy.NONE : request.clientAuth()).name(),
                request.applicationProtocols(), faults);
        List<CipherSuiteId> suites = suites(options); // validates before anything is stored
        if (suites.isEmpty()) {
            throw new ApiException(ProblemKind.MALFORMED_REQUEST, "The profile has no suite with this key exchange.")
                    .with("profile", profile.name()).with("keyExchange", keyExchange.json());
        }
        Step client = clientEngine(options).start();
        Step server = serverEngine(options).start();
        Conversation c = new Conversation(client.state(), server.state(), new WalkthroughProgress(1, Bytes.EMPTY, true, 0,
                0, List.of(), List.of(), false, 0), SessionCapture.EMPTY, captureMaxBytes);
        c.record(client, Role.CLIENT, false);
        c.inFlight = client.outbound();
        c.toServer = true;
        SessionRecord session = new SessionRecord(id, Mode.WALKTHROUGH, options, 0, SessionStatus.HANDSHAKING,
                List.of(c.client.toBytes(), c.server.toBytes()), List.of(), 0, null, c.progress(), now, now, c.capture);
        return new Created(session, null);
    }

    @Override
    public byte[] close(SessionRecord session) {
        return Bytes.EMPTY;
    }

    /** The result of a steps call: the next session (not yet stored) and the steps it revealed. */
    record Advanced(SessionRecord session, List<StepResponse.RevealedStep> steps) {
    }

    Advanced advance(SessionRecord session, Integer to) {
        WalkthroughProgress progress = session.walkthrough();
        if (progress.stoppedAt() > 0 || progress.nextStep() > 11) {
            throw new ApiException(ProblemKind.WRONG_STATE, "The walkthrough is over"
                    + (progress.stoppedAt() > 0 ? ": a fatal alert stopped it at step " + progress.stoppedAt() : "") + ".")
                    .with("sessionId", session.id()).with("step", progress.stoppedAt() > 0 ? progress.stoppedAt() : null);
        }
        int target = to == null ? progress.nextStep() : to;
        if (target < progress.nextStep() || target > 11) {
            throw new ApiException(ProblemKind.MALFORMED_REQUEST, "to must be between the next step ("
                    + progress.nextStep() + ") and 11.").with("nextStep", progress.nextStep());
        }
        Conversation c = new Conversation(ConnectionState.fromBytes(session.states().get(0)),
                ConnectionState.fromBytes(session.states().get(1)), progress, session.capture(), captureMaxBytes);
        TlsEngine clientEngine = clientEngine(session.options());
        TlsEngine serverEngine = serverEngine(session.options());
        List<StepResponse.RevealedStep> revealed = new ArrayList<>();
        List<TranscriptEntry> transcript = new ArrayList<>(session.transcript());
        while (c.nextStep <= target && c.stoppedAt == 0) {
            revealed.add(reveal(c, c.nextStep, clientEngine, serverEngine, session.options(), transcript));
        }
        EngineEvents.Appended bounded = EngineEvents.bound(transcript, session.droppedEvents(),
                sessions.properties().transcriptLimit());
        SessionStatus status = c.stoppedAt > 0 ? SessionStatus.FAILED
                : c.client.isEstablished() && c.server.isEstablished() ? SessionStatus.ESTABLISHED
                : SessionStatus.HANDSHAKING;
        SessionRecord.FailureSummary failure = c.client.isFailed() && c.client.failure().sentByUs()
                ? EngineEvents.failure(c.client) : EngineEvents.failure(c.server);
        if (failure == null) {
            failure = EngineEvents.failure(c.client);
        }
        SessionRecord next = session.advanced(status, List.of(c.client.toBytes(), c.server.toBytes()),
                bounded.transcript(), bounded.dropped(), failure, c.progress(), sessions.now()).withCapture(c.capture);
        return new Advanced(next, revealed);
    }

    private StepResponse.RevealedStep reveal(Conversation c, int n, TlsEngine clientEngine, TlsEngine serverEngine,
                                             SessionOptions options, List<TranscriptEntry> transcript) {
        if (n <= 10) {
            for (int flights = 0; flights < MAX_FLIGHTS && !(c.clientMax > n && c.serverMax > n); flights++) {
                if (!c.runFlight(clientEngine, serverEngine, false)) {
                    break;
                }
            }
        }
        if (n == 10 && !c.applicationData && c.client.isEstablished() && c.server.isEstablished()) {
            // step 10 shows the session in use: a request one way, a response the other
            c.applicationData = true;
            Step sent = clientEngine.send(c.client, SAMPLE_REQUEST);
            c.client = sent.state();
            c.record(sent, Role.CLIENT, false);
            c.inFlight = sent.outbound();
            c.toServer = true;
            c.runFlight(clientEngine, serverEngine, false);
            Step answer = serverEngine.send(c.server, SAMPLE_RESPONSE);
            c.server = answer.state();
            c.record(answer, Role.SERVER, false);
            c.inFlight = answer.outbound();
            c.toServer = false;
            c.runFlight(clientEngine, serverEngine, false);
        }
        if (n == 11 && options.faults().contains(WalkthroughFault.RENEGOTIATION.name())
                && c.client.isEstablished() && c.server.isEstablished()) {
            // TLS 1.2: the server asks for a new handshake (HelloRequest); TLS 1.3 will answer with KeyUpdate here
            Step request = serverEngine.renegotiate(c.server);
            c.server = request.state();
            c.record(request, Role.SERVER, true);
            c.inFlight = request.outbound();
            c.toServer = false;
            for (int flights = 0; flights < MAX_FLIGHTS && c.runFlight(clientEngine, serverEngine, true); flights++) {
                // until both sides are quiet
            }
        }
        List<WalkEvent> now = new ArrayList<>();
        List<WalkEvent> later = new ArrayList<>();
        for (WalkEvent e : c.pending) {
            (e.step() == n ? now : later).add(e);
        }
        boolean stopped = now.stream().anyMatch(e -> e.kind().equals("alert_sent") && "fatal".equals(e.fields().get("level")));
        if (stopped) {
            // what follows a fatal alert (the peer receiving it) belongs to the same moment
            now.addAll(later);
            later.clear();
            c.stoppedAt = n;
        }
        c.pending = later;
        c.nextStep = stopped ? 12 : n + 1;
        return describe(c, n, now, transcript);
    }

    private StepResponse.RevealedStep describe(Conversation c, int n, List<WalkEvent> events, List<TranscriptEntry> transcript) {
        List<StepResponse.Message> messages = new ArrayList<>();
        List<DerivedValue> derived = new ArrayList<>();
        List<StepResponse.Event> others = new ArrayList<>();
        StepResponse.Alert alert = null;
        boolean untrusted = false;
        for (WalkEvent e : events) {
            transcript.add(new TranscriptEntry(n, e.actor(), e.kind(), e.summary()));
            switch (e.kind()) {
                case "message_sent" -> {
                    messages.add(new StepResponse.Message(e.actor(), e.name(), e.engineStep(),
                            StepResponse.emptyIfNull(e.fields()), e.raw()));
                    Object random = e.fields() == null ? null : e.fields().get("random");
                    if (random != null && (e.name().equals("client_hello") || e.name().equals("server_hello"))) {
                        derived.add(new DerivedValue(n, e.actor(), e.name().replace("_hello", "_random"),
                                random.toString(), false));
                    }
                }
                case "change_cipher_spec_sent" -> messages.add(new StepResponse.Message(e.actor(), "change_cipher_spec",
                        e.engineStep(), Map.of(), "01"));
                case "secret_derived" -> derived.add(new DerivedValue(n, e.actor(), e.name(), e.raw(), true));
                case "value_computed" -> derived.add(new DerivedValue(n, e.actor(), e.name(), e.raw(), false));
                default -> {
                    if (e.kind().equals("certificate_checked") && Boolean.FALSE.equals(e.fields().get("trusted"))) {
                        untrusted = true;
                    }
                    if (e.kind().equals("alert_sent") && "fatal".equals(e.fields().get("level"))) {
                        alert = new StepResponse.Alert(e.name(), e.actor(), String.valueOf(e.fields().get("reason")));
                    }
                    others.add(new StepResponse.Event(e.actor(), e.kind(), e.name(), e.engineStep(), e.summary(),
                            e.fields()));
                }
            }
        }
        List<DerivedValue> all = new ArrayList<>(c.revealedValues);
        all.addAll(derived);
        c.revealedValues = all;
        String outcome = alert != null ? (n == 3 && untrusted ? "warning" : "stopped")
                : events.isEmpty() ? "info" : "completed";
        SeedStep seed = SeedStep.ofNumber(n);
        return new StepResponse.RevealedStep(n, seed.actor(), seed.summary(), SeedText.of(n), outcome, messages,
                derived, others, alert);
    }

    /** The two sides and what is between them, while one call works on them. */
    private static final class Conversation {
        ConnectionState client;
        ConnectionState server;
        byte[] inFlight;
        boolean toServer;
        int clientMax;
        int serverMax;
        List<WalkEvent> pending;
        List<DerivedValue> revealedValues;
        boolean applicationData;
        int nextStep;
        int stoppedAt;
        SessionCapture capture;
        final int captureMaxBytes;

        Conversation(ConnectionState client, ConnectionState server, WalkthroughProgress p, SessionCapture capture,
                     int captureMaxBytes) {
            this.capture = capture;
            this.captureMaxBytes = captureMaxBytes;
            this.client = client;
            this.server = server;
            this.inFlight = p.inFlight();
            this.toServer = p.toServer();
            this.clientMax = p.clientMaxStep();
            this.serverMax = p.serverMaxStep();
            this.pending = new ArrayList<>(p.pending());
            this.revealedValues = new ArrayList<>(p.revealed());
            this.applicationData = p.applicationDataExchanged();
            this.nextStep = p.nextStep();
            this.stoppedAt = p.stoppedAt();
        }

        WalkthroughProgress progress() {
            return new WalkthroughProgress(nextStep, inFlight, toServer, clientMax, serverMax, pending, revealedValues,
                    applicationData, stoppedAt);
        }

        /** Delivers the records in flight to their recipient; false when nothing was in flight. */
        boolean runFlight(TlsEngine clientEngine, TlsEngine serverEngine, boolean renegotiation) {
            if (inFlight.length == 0) {
                return false;
            }
            Step step;
            if (toServer) {
                step = serverEngine.advance(server, inFlight);
                server = step.state();
                record(step, Role.SERVER, renegotiation);
            } else {
                step = clientEngine.advance(client, inFlight);
                client = step.state();
                record(step, Role.CLIENT, renegotiation);
            }
            inFlight = step.outbound();
            toServer = !toServer;
            return true;
        }

        /**
         * Keeps one call's events until their step is revealed. A fatal alert is shown with the step whose check
         * raised it: the engine names the step its state was in (e.g. 5 while reading the client's certificate), while
         * the check that failed (6) came just before it in the same call.
         */
        void record(Step step, Role role, boolean renegotiation) {
            // every step recorded here has its outbound records put in flight by the caller: the capture sees them as
            // they are written, fatal alerts included
            capture = capture.withEvents(step.events()).withRecords(role == Role.CLIENT, step.outbound(), captureMaxBytes);
            int running = 0;
            for (HandshakeEvent event : step.events()) {
                int engineStep = event.step().number();
                int shown = engineStep;
                if (event instanceof HandshakeEvent.AlertSent a && a.level().equals(AlertLevel.FATAL)) {
                    shown = Math.max(engineStep, running);
                }
                running = Math.max(running, engineStep);
                if (renegotiation) {
                    shown = SeedStep.RENEGOTIATION.number();
                }
                if (role == Role.CLIENT) {
                    clientMax = Math.max(clientMax, shown);
                } else {
                    serverMax = Math.max(serverMax, shown);
                }
                pending.add(walkEvent(event, role, shown));
            }
        }
    }

    static WalkEvent walkEvent(HandshakeEvent event, Role role, int shown) {
        String actor = EngineEvents.actor(event, role);
        String kind = EngineEvents.kind(event);
        String summary = EngineEvents.summary(event);
        int engineStep = event.step().number();
        if (event instanceof HandshakeEvent.MessageSent m) {
            return new WalkEvent(shown, engineStep, actor, kind, m.type(), json(m.fields()), HEX.formatHex(m.encoded()), summary);
        } else if (event instanceof HandshakeEvent.MessageReceived m) {
            return new WalkEvent(shown, engineStep, actor, kind, m.type(), null, null, summary);
        } else if (event instanceof HandshakeEvent.SecretDerived s) {
            // walkthrough only: nothing real is protected by a simulated session, so its secrets are shown
            return new WalkEvent(shown, engineStep, actor, kind, s.name(), null, HEX.formatHex(s.value().bytes()), summary);
        } else if (event instanceof HandshakeEvent.ValueComputed v) {
            return new WalkEvent(shown, engineStep, actor, kind, v.name(), null, v.value(), summary);
        } else if (event instanceof HandshakeEvent.PeerCertificateChecked p) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("trusted", p.trusted());
            fields.put("problem", p.problem());
            fields.put("detail", p.detail());
            fields.put("certificate", json(p.certificate()));
            return new WalkEvent(shown, engineStep, actor, kind, "certificate_check", fields, null, summary);
        } else if (event instanceof HandshakeEvent.AlertSent a) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("level", a.level().equals(AlertLevel.FATAL) ? "fatal" : "warning");
            fields.put("reason", a.reason());
            return new WalkEvent(shown, engineStep, actor, kind, a.description().name(), fields, null, summary);
        } else if (event instanceof HandshakeEvent.AlertReceived a) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("level", a.level().equals(AlertLevel.FATAL) ? "fatal" : "warning");
            return new WalkEvent(shown, engineStep, actor, kind, a.description().name(), fields, null, summary);
        }
        return new WalkEvent(shown, engineStep, actor, kind, kind, null, null, summary);
    }

    /** Engine field values made JSON-ready: byte arrays as hex, wire values by name, collections recursively. */
    static Map<String, Object> json(Map<String, ?> fields) {
        if (fields == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        fields.forEach((k, v) -> out.put(k, jsonValue(v)));
        return out;
    }

    private static Object jsonValue(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof byte[] bytes) {
            return HEX.formatHex(bytes);
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, value) -> out.put(String.valueOf(k), jsonValue(value)));
            return out;
        }
        if (v instanceof Iterable<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(item -> out.add(jsonValue(item)));
            return out;
        }
        return v.toString();
    }

    private List<CipherSuiteId> suites(SessionOptions options) {
        Profile profile = Profile.parse(options.profile());
        if (options.cipherSuite() != null) {
            return List.of(TlsOptions.suite(options.cipherSuite(), profile));
        }
        KeyExchange wanted = KeyExchangeChoice.valueOf(options.keyExchange()) == KeyExchangeChoice.RSA
                ? KeyExchange.RSA : KeyExchange.ECDHE_RSA; // the walkthrough's server key is RSA
        List<CipherSuiteId> suites = new ArrayList<>();
        for (CipherSuiteId id : profile.suites()) {
            KeyExchange kx = CipherSuites.require(id).keyExchange();
            // TLS 1.3 suites name no key exchange; keep them when 1.3 is asked for, so the engine can choose by version
            if (kx == wanted || kx == KeyExchange.TLS13 && "TLSv1.3".equals(options.version())) {
                suites.add(id);
            }
        }
        return suites;
    }

    private boolean has(SessionOptions options, WalkthroughFault fault) {
        return options.faults().contains(fault.name());
    }

    TlsEngine clientEngine(SessionOptions options) {
        TlsConfig.Builder b = TlsOptions.common(TlsConfig.client(), options, suites(options))
                .serverName(options.serverName()).trustAnchors(identities.anchors()).revealSecrets(true);
        if (has(options, WalkthroughFault.REJECTED_CLIENT_CERTIFICATE)) {
            b.identity(identities.untrustedClient());
        } else if (!ClientAuthPolicy.NONE.name().equals(options.clientAuth())) {
            b.identity(identities.client());
        }
        if (has(options, WalkthroughFault.TAMPERED_FINISHED)) {
            b.fault(Fault.TAMPER_FINISHED);
        }
        return new TlsEngine(b.build(), crypto);
    }

    TlsEngine serverEngine(SessionOptions options) {
        TlsConfig.Builder b = TlsOptions.common(TlsConfig.server(), options, suites(options))
                .trustAnchors(identities.anchors()).revealSecrets(true);
        if (has(options, WalkthroughFault.EXPIRED_SERVER_CERTIFICATE)) {
            b.identity(identities.expiredServer());
        } else if (has(options, WalkthroughFault.UNTRUSTED_SERVER_CERTIFICATE)) {
            b.identity(identities.untrustedServer());
        } else {
            b.identity(identities.server());
        }
        ClientAuth clientAuth = ClientAuth.valueOf(options.clientAuth());
        if (has(options, WalkthroughFault.REJECTED_CLIENT_CERTIFICATE)) {
            clientAuth = ClientAuth.REQUIRED;
        }
        return new TlsEngine(b.clientAuth(clientAuth).build(), crypto);
    }
}
