package dev.handshake.bench;

import dev.handshake.tls.ConnectionState;
import dev.handshake.tls.TlsEngine;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.CryptoProviders;
import dev.handshake.tls.suite.CipherSuite;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Full TLS 1.2 handshakes per second (no resumption), in memory, one thread:
 * <ul>
 * <li>{@code server}: our server engine alone, answering a client recorded once ({@link HandshakeFixtures.ServerReplay}:
 *     the server's randomness and keys are pinned so the recording stays valid);</li>
 * <li>{@code client}: our client engine alone, against a recorded server ({@link HandshakeFixtures.ClientReplay});</li>
 * <li>{@code bothSides}: our client against our server, production crypto (Corretto where it loads);</li>
 * <li>{@code bothSidesJdkCrypto}: the same with only the JDK's JCA providers, to separate the protocol code from the
 *     provider choice;</li>
 * <li>{@code jdkBothSides}: SunJSSE's SSLEngine client against SunJSSE's server, for the ratio.</li>
 * </ul>
 * Server certificate RSA-2048 (ECDSA P-256 for the ECDHE_ECDSA suite), client validates the chain and the name.
 * Run with {@code bench/run-jmh.sh}; results and analysis in {@code docs/benchmarks.md}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class HandshakeBenchmark {

    @Param({"TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"})
    public String suite;

    private HandshakeFixtures.ServerReplay serverReplay;
    private HandshakeFixtures.ClientReplay clientReplay;
    private TlsEngine ourClient;
    private TlsEngine ourServer;
    private TlsEngine ourClientJdkCrypto;
    private TlsEngine ourServerJdkCrypto;
    private HandshakeFixtures.JdkHandshake jdk;

    @Setup
    public void setUp() {
        CipherSuite cipherSuite = HandshakeFixtures.suite(suite);
        CryptoProvider production = CryptoProviders.preferred();
        CryptoProvider jdkCrypto = CryptoProviders.jdk();
        // Each constructor runs one handshake and throws if it does not complete: a broken setup never gets measured.
        serverReplay = new HandshakeFixtures.ServerReplay(cipherSuite, production, HandshakeFixtures.SEED);
        clientReplay = new HandshakeFixtures.ClientReplay(cipherSuite, production, HandshakeFixtures.SEED);
        ourClient = new TlsEngine(HandshakeFixtures.clientConfig(cipherSuite), production);
        ourServer = new TlsEngine(HandshakeFixtures.serverConfig(cipherSuite), production);
        ourClientJdkCrypto = new TlsEngine(HandshakeFixtures.clientConfig(cipherSuite), jdkCrypto);
        ourServerJdkCrypto = new TlsEngine(HandshakeFixtures.serverConfig(cipherSuite), jdkCrypto);
        HandshakeFixtures.handshake(ourClient, ourServer);
        HandshakeFixtures.handshake(ourClientJdkCrypto, ourServerJdkCrypto);
        jdk = new HandshakeFixtures.JdkHandshake(cipherSuite);
    }

    @Benchmark
    public ConnectionState server() {
        return serverReplay.handshake();
    }

    @Benchmark
    public ConnectionState client() {
        return clientReplay.handshake();
    }

    @Benchmark
    public ConnectionState bothSides() {
        return HandshakeFixtures.handshake(ourClient, ourServer).server();
    }

    @Benchmark
    public ConnectionState bothSidesJdkCrypto() {
        return HandshakeFixtures.handshake(ourClientJdkCrypto, ourServerJdkCrypto).server();
    }

    @Benchmark
    public SSLSession jdkBothSides() {
        return jdk.handshake().session();
    }

    /** {@code java ... HandshakeBenchmark}: the settings docs/benchmarks.md was measured with. */
    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(new String[] {HandshakeBenchmark.class.getSimpleName(), "-f", "1", "-wi", "2", "-i", "3",
                "-w", "2s", "-r", "2s"});
    }
}
