package dev.handshake.bench;

import dev.handshake.tls.ConnectionState;
import dev.handshake.tls.Identity;
import dev.handshake.tls.ResumptionTicket;
import dev.handshake.tls.Step;
import dev.handshake.tls.TicketKeys;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.TlsEngine;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.resumption.InMemorySessionCache;
import dev.handshake.tls.resumption.SessionCache;
import dev.handshake.tls.suite.CipherSuite;
import dev.handshake.tls.suite.CipherSuites;
import dev.handshake.tls.suite.Profile;
import dev.handshake.tls.wire.NamedGroup;
import dev.handshake.tls.wire.ProtocolVersion;
import dev.handshake.testing.JdkTlsPeer;
import dev.handshake.testing.TestPki;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The handshakes of {@link HandshakeBenchmark} and {@link HandshakeCpuTime}, outside JMH so a plain test can prove each
 * one completes and resumes (or not) as its {@link HandshakeScenario} says: our engine on one side against a recording
 * of the other, our engine on both sides, and SunJSSE on both sides. Every method throws {@link IllegalStateException}
 * when a handshake does not complete, or resumes when it should not (or the reverse), so a broken replay fails the
 * benchmark loudly instead of measuring how fast the engine sends an alert.
 */
final class HandshakeFixtures {

    /** The seed of the replayed side's random stream; any value works, it only has to stay the same. */
    static final long SEED = 0x5EED_2026L;

    /**
     * Every server of ours here seals tickets with the same keys, as nodes sharing a ticket key do, so a ticket from
     * one server resumes at another (the replayed one). SunJSSE issues tickets too (TLS 1.3 always, TLS 1.2 when the
     * client asks), so both implementations pay for sealing one per full handshake.
     */
    private static final TicketKeys TICKET_KEYS = TicketKeys.generate(new SecureRandom());

    /** One TLS 1.2 session cache for all our servers, for the same reason: a session id resumes at any of them. */
    private static final SessionCache SESSION_CACHE = new InMemorySessionCache(InMemorySessionCache.DEFAULT_CAPACITY);

    private HandshakeFixtures() {
    }

    static CipherSuite suite(String name) {
        return CipherSuites.all().stream().filter(s -> s.id().name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no suite " + name));
    }

    static TlsConfig serverConfig(HandshakeScenario scenario) {
        TestPki.Identity identity = scenario.serverIdentity();
        return versioned(TlsConfig.server(), scenario).identity(new Identity(identity.key(), identity.chain()))
                .ticketKeys(scenario.resumesBySessionId() ? TicketKeys.none() : TICKET_KEYS).sessionCache(SESSION_CACHE)
                .build();
    }

    static TlsConfig clientConfig(HandshakeScenario scenario) {
        return versioned(TlsConfig.client(), scenario).serverName(TestPki.HOST)
                .trustAnchors(List.of(TestPki.rootCa().leaf())).build();
    }

    /** A client that offers {@code ticket} (a ticket or session from an earlier connection). */
    static TlsConfig resumingClientConfig(HandshakeScenario scenario, ResumptionTicket ticket) {
        return clientConfig(scenario).toBuilder().resumption(ticket).build();
    }

    private static TlsConfig.Builder versioned(TlsConfig.Builder builder, HandshakeScenario scenario) {
        if (scenario.version() == ProtocolVersion.TLS1_3) {
            // x25519 only: SunJSSE sends one key share (x25519, its first group), so ours does the same work
            return builder.profile(Profile.MODERN).versions(ProtocolVersion.TLS1_3, ProtocolVersion.TLS1_3)
                    .cipherSuites(List.of(suite(scenario.suite()).id())).groups(List.of(NamedGroup.X25519));
        }
        // COMPATIBLE: the only profile with TLS_RSA; it stays at TLS 1.2
        return builder.profile(Profile.COMPATIBLE).cipherSuites(List.of(suite(scenario.suite()).id()));
    }

    /** What each side sent, in order: the flights of one complete handshake. */
    record Transcript(List<byte[]> fromClient, List<byte[]> fromServer, ConnectionState client, ConnectionState server) {
    }

    /** Our client against our server in memory until both are established; throws if they are not. */
    static Transcript handshake(TlsEngine client, TlsEngine server) {
        return handshake(client, server, SideCpuClock.NONE);
    }

    /** The same, with each side's calls timed on {@code clock}. */
    static Transcript handshake(TlsEngine client, TlsEngine server, SideCpuClock clock) {
        List<byte[]> fromClient = new ArrayList<>();
        List<byte[]> fromServer = new ArrayList<>();
        Step c = clock.client(client::start);
        Step s = clock.server(server::start);
        byte[] toServer = c.outbound();
        for (int round = 0; round < 8 && toServer.length > 0; round++) {
            fromClient.add(toServer);
            ConnectionState serverState = s.state();
            byte[] received = toServer;
            s = clock.server(() -> server.advance(serverState, received));
            byte[] toClient = s.outbound();
            if (toClient.length == 0) {
                break;
            }
            fromServer.add(toClient);
            ConnectionState clientState = c.state();
            c = clock.client(() -> client.advance(clientState, toClient));
            toServer = c.outbound();
        }
        requireEstablished(c.state(), "our client");
        requireEstablished(s.state(), "our server");
        return new Transcript(fromClient, fromServer, c.state(), s.state());
    }

    /** Feeds recorded flights to a new connection of {@code engine}; throws unless it ends established. */
    static ConnectionState replay(TlsEngine engine, List<byte[]> flights, String who) {
        Step step = engine.start();
        for (byte[] flight : flights) {
            step = engine.advance(step.state(), flight);
        }
        return requireEstablished(step.state(), who);
    }

    static ConnectionState requireEstablished(ConnectionState state, String who) {
        if (!state.isEstablished() || state.isFailed()) {
            throw new IllegalStateException(who + " did not complete the handshake: " + state.failure());
        }
        return state;
    }

    /**
     * Throws unless the handshake resumed exactly when {@code scenario} says so, judged the same way for every
     * implementation: a full handshake's first server flight carries the certificate chain, a resumed one never does.
     */
    static void requireResumption(HandshakeScenario scenario, byte[] firstServerFlight, String who) {
        boolean sentChain = firstServerFlight.length > scenario.chainLength();
        if (sentChain == scenario.resumed()) {
            throw new IllegalStateException(who + (scenario.resumed() ? " did not resume" : " resumed") + " in "
                    + scenario + " (first server flight " + firstServerFlight.length + " bytes, chain "
                    + scenario.chainLength() + ")");
        }
    }

    /** {@link #requireResumption} plus our engine's own record of it, on both sides. */
    static Transcript requireResumption(HandshakeScenario scenario, Transcript transcript, String who) {
        requireResumption(scenario, transcript.fromServer().get(0), who);
        if (transcript.server().session().resumed() != scenario.resumed()
                || transcript.client().session().resumed() != scenario.resumed()) {
            throw new IllegalStateException(who + ": the engine's sessions disagree with " + scenario);
        }
        return transcript;
    }

    /** A ticket (TLS 1.3) or RFC 5077 ticket (TLS 1.2) from one full handshake of our client with our server. */
    static ResumptionTicket ticketFromFullHandshake(HandshakeScenario scenario, CryptoProvider crypto) {
        ResumptionTicket ticket = handshake(new TlsEngine(clientConfig(scenario), crypto),
                new TlsEngine(serverConfig(scenario), crypto)).client().session().latestTicket();
        if (ticket == null) {
            throw new IllegalStateException("our server issued no ticket in " + scenario);
        }
        return ticket;
    }

    /** Our client against our server, both sides live; a resuming client offers the same ticket every time. */
    static final class OurHandshake {
        private final HandshakeScenario scenario;
        private final TlsEngine client;
        private final TlsEngine server;

        OurHandshake(HandshakeScenario scenario, CryptoProvider crypto) {
            this.scenario = scenario;
            this.client = new TlsEngine(scenario.resumed()
                    ? resumingClientConfig(scenario, ticketFromFullHandshake(scenario, crypto))
                    : clientConfig(scenario), crypto);
            this.server = new TlsEngine(serverConfig(scenario), crypto);
            requireResumption(scenario, HandshakeFixtures.handshake(client, server), "our engine");
        }

        Transcript handshake(SideCpuClock clock) {
            return HandshakeFixtures.handshake(client, server, clock);
        }

        /** With the resumption check: for tests and set-up, not for the measured loop. */
        Transcript checkedHandshake() {
            return requireResumption(scenario, handshake(SideCpuClock.NONE), "our engine");
        }
    }

    /**
     * Our server alone: it answers a client recorded once, with randomness and clock pinned so that it repeats its
     * ServerHello and keys and the recorded client flights (Finished, and a resumed ClientHello's binder and ticket
     * age) stay valid.
     */
    static final class ServerReplay {
        private final TlsEngine server;
        private final ReplayableCrypto crypto;
        private final List<byte[]> clientFlights;

        ServerReplay(HandshakeScenario scenario, CryptoProvider production, long seed) {
            // the ticket first: the pinned clock starts after it was issued, so its age is never negative
            TlsConfig client = scenario.resumed()
                    ? resumingClientConfig(scenario, ticketFromFullHandshake(scenario, production))
                    : clientConfig(scenario);
            this.crypto = new ReplayableCrypto(production, seed);
            this.server = new TlsEngine(serverConfig(scenario), crypto);
            this.clientFlights = requireResumption(scenario,
                    HandshakeFixtures.handshake(new TlsEngine(client, production), server), "recording").fromClient();
            handshake(); // the first replay proves the recording is valid
        }

        ConnectionState handshake() {
            crypto.restart();
            return replay(server, clientFlights, "our server (replayed client)");
        }

        List<byte[]> clientFlights() {
            return clientFlights;
        }

        /** The server's state after each of its calls in one replayed handshake: what a session store would save. */
        List<ConnectionState> statesAfterEachCall() {
            crypto.restart();
            List<ConnectionState> states = new ArrayList<>();
            Step step = server.start();
            for (byte[] flight : clientFlights) {
                step = server.advance(step.state(), flight);
                states.add(step.state());
            }
            requireEstablished(step.state(), "our server (replayed client)");
            return states;
        }
    }

    /** Our client alone, against a server recorded once; the client's randomness, keys and clock are pinned. */
    static final class ClientReplay {
        private final TlsEngine client;
        private final ReplayableCrypto crypto;
        private final List<byte[]> serverFlights;

        ClientReplay(HandshakeScenario scenario, CryptoProvider production, long seed) {
            TlsConfig config = scenario.resumed()
                    ? resumingClientConfig(scenario, ticketFromFullHandshake(scenario, production))
                    : clientConfig(scenario);
            this.crypto = new ReplayableCrypto(production, seed);
            this.client = new TlsEngine(config, crypto);
            this.serverFlights = requireResumption(scenario, HandshakeFixtures.handshake(client,
                    new TlsEngine(serverConfig(scenario), production)), "recording").fromServer();
            handshake();
        }

        ConnectionState handshake() {
            crypto.restart();
            return replay(client, serverFlights, "our client (replayed server)");
        }

        List<byte[]> serverFlights() {
            return serverFlights;
        }
    }

    /**
     * SunJSSE client and server in memory, contexts built once. Full handshakes: the client engine has no peer host
     * (so SunJSSE neither caches nor offers a session) and its session is invalidated besides. Resumption: every
     * client engine is created for the same peer host and port from the same context, which is how SunJSSE finds the
     * session (TLS 1.2) or ticket (TLS 1.3) to offer; the first handshake is full and gives it one.
     */
    static final class JdkHandshake {
        /** Only a key for SunJSSE's client session cache: nothing listens there. */
        private static final int CACHE_PORT = 443;

        private final HandshakeScenario scenario;
        private final SSLContext clientContext;
        private final SSLContext serverContext;

        JdkHandshake(HandshakeScenario scenario) {
            JdkTlsPeer.allowLegacyAlgorithms();
            this.scenario = scenario;
            try {
                clientContext = clientContext(scenario);
                // SunX509, not PKIX: the PKIX key manager (TestPki.keyManagers) reads the private key back out of
                // the PKCS#12 store on every handshake, and the store's PBKDF2 then costs more than the handshake
                // (seen in a stack profile). SunX509 holds the key in memory, as a production server would.
                KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("SunX509");
                keyManagers.init(TestPki.keyStore(scenario.serverIdentity()), TestPki.KEY_PASSWORD);
                serverContext = SSLContext.getInstance("TLS");
                serverContext.init(keyManagers.getKeyManagers(), null, null);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            if (scenario.resumed()) {
                run(SideCpuClock.NONE); // the full handshake that gives the client's cache something to resume
            }
            checkedHandshake();
            checkedHandshake();
        }

        /**
         * SunJSSE reads whether its client offers RFC 5077 tickets when a context is made, from a system property;
         * for session-id resumption it is off for this one context only (and this JVM's other contexts keep it on).
         */
        private static SSLContext clientContext(HandshakeScenario scenario) throws java.security.GeneralSecurityException {
            synchronized (JdkHandshake.class) {
                String property = "jdk.tls.client.enableSessionTicketExtension";
                String before = System.getProperty(property);
                if (scenario.resumesBySessionId()) {
                    System.setProperty(property, "false");
                }
                try {
                    SSLContext context = SSLContext.getInstance("TLS");
                    context.init(null, TestPki.trustManagers().getTrustManagers(), null);
                    return context;
                } finally {
                    if (before == null) {
                        System.clearProperty(property);
                    } else {
                        System.setProperty(property, before);
                    }
                }
            }
        }

        JdkTlsPeer handshake(SideCpuClock clock) {
            return run(clock).client();
        }

        /** With the resumption check: for tests and set-up, not for the measured loop. */
        JdkTlsPeer checkedHandshake() {
            Flights flights = run(SideCpuClock.NONE);
            requireResumption(scenario, flights.firstServerFlight(), "SunJSSE");
            return flights.client();
        }

        private record Flights(JdkTlsPeer client, byte[] firstServerFlight) {
        }

        private Flights run(SideCpuClock clock) {
            JdkTlsPeer.Builder clientBuilder = JdkTlsPeer.client().context(clientContext).protocols(scenario.jdkProtocol())
                    .cipherSuites(scenario.suite()).serverName(TestPki.HOST).verifyHostName();
            if (scenario.resumed()) {
                clientBuilder.peer(TestPki.HOST, CACHE_PORT);
            }
            JdkTlsPeer client = clock.client(clientBuilder::build);
            JdkTlsPeer server = clock.server(() -> JdkTlsPeer.server().context(serverContext)
                    .protocols(scenario.jdkProtocol()).cipherSuites(scenario.suite()).build());
            byte[] toServer = clock.client(client::produce);
            byte[] firstServerFlight = null;
            for (int round = 0; round < 8 && toServer.length > 0; round++) {
                byte[] received = toServer;
                byte[] toClient = clock.server(() -> server.receive(received));
                if (firstServerFlight == null) {
                    firstServerFlight = toClient;
                }
                toServer = clock.client(() -> client.receive(toClient));
            }
            if (!client.handshakeDone() || !server.handshakeDone() || client.failure() != null || server.failure() != null) {
                throw new IllegalStateException("SunJSSE did not complete the handshake: " + client.failure() + " / "
                        + server.failure());
            }
            if (!scenario.resumed()) {
                // A full handshake each time: an invalidated session is never offered for resumption.
                client.session().invalidate();
            }
            return new Flights(client, firstServerFlight);
        }
    }
}
