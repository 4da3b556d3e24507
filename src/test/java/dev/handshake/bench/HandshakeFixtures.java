package dev.handshake.bench;

import dev.handshake.tls.ConnectionState;
import dev.handshake.tls.Identity;
import dev.handshake.tls.Step;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.TlsEngine;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.suite.CipherSuite;
import dev.handshake.tls.suite.CipherSuites;
import dev.handshake.tls.suite.KeyExchange;
import dev.handshake.tls.suite.Profile;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.testing.JdkTlsPeer;
import dev.handshake.testing.TestPki;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Full TLS 1.2 handshakes for {@link HandshakeBenchmark}, outside JMH so a plain test can prove each one completes:
 * our engine on one side against a recording of the other, our engine on both sides, and SunJSSE on both sides.
 * Every method throws {@link IllegalStateException} when a handshake does not complete, so a broken replay fails the
 * benchmark loudly instead of measuring how fast the engine sends an alert.
 */
final class HandshakeFixtures {

    /** The seed of the replayed side's random stream; any value works, it only has to stay the same. */
    static final long SEED = 0x5EED_2026L;

    private HandshakeFixtures() {
    }

    static CipherSuite suite(String name) {
        return CipherSuites.all().stream().filter(s -> s.id().name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no suite " + name));
    }

    /** RSA-2048 for the RSA suites, P-256 for ECDHE_ECDSA (the test PKI's server identities). */
    static TestPki.Identity serverIdentity(CipherSuite suite) {
        return suite.keyExchange() == KeyExchange.ECDHE_ECDSA ? TestPki.serverEcdsa() : TestPki.serverRsa();
    }

    static TlsConfig serverConfig(CipherSuite suite) {
        TestPki.Identity identity = serverIdentity(suite);
        return TlsConfig.server().profile(Profile.COMPATIBLE).cipherSuites(List.of(suite.id()))
                .identity(new Identity(identity.key(), identity.chain())).build();
    }

    static TlsConfig clientConfig(CipherSuite suite) {
        return TlsConfig.client().profile(Profile.COMPATIBLE).cipherSuites(List.of(suite.id()))
                .serverName(TestPki.HOST).trustAnchors(List.of(TestPki.rootCa().leaf())).build();
    }

    /** What each side sent, in order: the flights of one complete handshake. */
    record Transcript(List<byte[]> fromClient, List<byte[]> fromServer, ConnectionState client, ConnectionState server) {
    }

    /** Our client against our server in memory until both are established; throws if they are not. */
    static Transcript handshake(TlsEngine client, TlsEngine server) {
        List<byte[]> fromClient = new ArrayList<>();
        List<byte[]> fromServer = new ArrayList<>();
        Step c = client.start();
        Step s = server.start();
        byte[] toServer = c.outbound();
        for (int round = 0; round < 8 && toServer.length > 0; round++) {
            fromClient.add(toServer);
            s = server.advance(s.state(), toServer);
            byte[] toClient = s.outbound();
            if (toClient.length == 0) {
                break;
            }
            fromServer.add(toClient);
            c = client.advance(c.state(), toClient);
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
     * Our server alone: it answers a client recorded once, with randomness pinned so that it repeats its ServerHello
     * and keys and the recorded ClientKeyExchange and Finished stay valid.
     */
    static final class ServerReplay {
        private final TlsEngine server;
        private final ReplayableCrypto crypto;
        private final List<byte[]> clientFlights;

        ServerReplay(CipherSuite suite, CryptoProvider production, long seed) {
            this.crypto = new ReplayableCrypto(production, seed);
            this.server = new TlsEngine(serverConfig(suite), crypto);
            this.clientFlights = HandshakeFixtures.handshake(new TlsEngine(clientConfig(suite), production), server).fromClient();
            handshake(); // the first replay proves the recording is valid
        }

        ConnectionState handshake() {
            crypto.restart();
            return replay(server, clientFlights, "our server (replayed client)");
        }

        List<byte[]> clientFlights() {
            return clientFlights;
        }
    }

    /** Our client alone, against a server recorded once; the client's randomness and keys are pinned. */
    static final class ClientReplay {
        private final TlsEngine client;
        private final ReplayableCrypto crypto;
        private final List<byte[]> serverFlights;

        ClientReplay(CipherSuite suite, CryptoProvider production, long seed) {
            this.crypto = new ReplayableCrypto(production, seed);
            this.client = new TlsEngine(clientConfig(suite), crypto);
            this.serverFlights = HandshakeFixtures.handshake(client, new TlsEngine(serverConfig(suite), production)).fromServer();
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

    /** SunJSSE client and server in memory, contexts built once; the client's session is dropped so none resumes. */
    static final class JdkHandshake {
        private final String suiteName;
        private final SSLContext clientContext;
        private final SSLContext serverContext;

        JdkHandshake(CipherSuite suite) {
            JdkTlsPeer.allowLegacyAlgorithms();
            this.suiteName = suite.id().name();
            try {
                clientContext = SSLContext.getInstance("TLS");
                clientContext.init(null, TestPki.trustManagers().getTrustManagers(), null);
                // SunX509, not PKIX: the PKIX key manager (TestPki.keyManagers) reads the private key back out of
                // the PKCS#12 store on every handshake, and the store's PBKDF2 then costs more than the handshake
                // (seen in a stack profile). SunX509 holds the key in memory, as a production server would.
                KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("SunX509");
                keyManagers.init(TestPki.keyStore(serverIdentity(suite)), TestPki.KEY_PASSWORD);
                serverContext = SSLContext.getInstance("TLS");
                serverContext.init(keyManagers.getKeyManagers(), null, null);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            byte[] first = handshake().session().getId();
            byte[] second = handshake().session().getId();
            if (Arrays.equals(first, second)) {
                throw new IllegalStateException("SunJSSE resumed a session: the benchmark would not measure full handshakes");
            }
        }

        JdkTlsPeer handshake() {
            JdkTlsPeer client = JdkTlsPeer.client().context(clientContext).protocols("TLSv1.2")
                    .cipherSuites(suiteName).serverName(TestPki.HOST).verifyHostName().build();
            JdkTlsPeer server = JdkTlsPeer.server().context(serverContext).protocols("TLSv1.2")
                    .cipherSuites(suiteName).build();
            byte[] toServer = client.produce();
            for (int round = 0; round < 8 && toServer.length > 0; round++) {
                byte[] toClient = server.receive(toServer);
                toServer = client.receive(toClient);
            }
            if (!client.handshakeDone() || !server.handshakeDone() || client.failure() != null || server.failure() != null) {
                throw new IllegalStateException("SunJSSE did not complete the handshake: " + client.failure() + " / "
                        + server.failure());
            }
            // A full handshake each time: an invalidated session is never offered for resumption.
            client.session().invalidate();
            return client;
        }
    }

    static CipherSuiteId id(String name) {
        return suite(name).id();
    }
}
