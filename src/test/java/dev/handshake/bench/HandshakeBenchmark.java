package dev.handshake.bench;

import dev.handshake.tls.ConnectionState;
import dev.handshake.tls.TlsEngine;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.CryptoProviders;
import dev.handshake.tls.crypto.Primitive;
import dev.handshake.tls.suite.CipherSuite;
import dev.handshake.testing.TestPki;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
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
 * <li>{@code jdkBothSides}: SunJSSE's SSLEngine client against SunJSSE's server, for the ratio;</li>
 * <li>{@code rsa2048PrivateKeyOp*}: the server's RSA private-key operation alone, the ceiling of a TLS_RSA server.</li>
 * </ul>
 * Server certificate RSA-2048 (ECDSA P-256 for the ECDHE_ECDSA suite), client validates the chain and the name.
 * Run with {@code bench/run-jmh.sh}; results and analysis in {@code docs/benchmarks.md}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandshakeBenchmark {

    /** The handshakes, per suite. */
    @State(Scope.Thread)
    public static class Handshakes {
        @Param({"TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"})
        public String suite;

        HandshakeFixtures.ServerReplay serverReplay;
        HandshakeFixtures.ClientReplay clientReplay;
        TlsEngine ourClient;
        TlsEngine ourServer;
        TlsEngine ourClientJdkCrypto;
        TlsEngine ourServerJdkCrypto;
        HandshakeFixtures.JdkHandshake jdk;

        @Setup
        public void setUp() {
            CipherSuite cipherSuite = HandshakeFixtures.suite(suite);
            CryptoProvider production = CryptoProviders.preferred();
            CryptoProvider jdkCrypto = CryptoProviders.jdk();
            // Each constructor runs one handshake and throws if it does not complete: a broken setup is never measured.
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
    }

    /**
     * The server's one RSA-2048 private-key operation of a TLS_RSA handshake, alone, as the engine asks for it (a new
     * raw-RSA Cipher from the production provider, initialised with the configured key): the ceiling for the server
     * side. Twice: with the key as configured (a SunRsaSign key object, which Corretto re-imports on every init) and
     * with the key translated to Corretto's own key object once.
     */
    @State(Scope.Thread)
    public static class RsaPrivateKey {
        CryptoProvider production;
        PrivateKey configured;
        PrivateKey providerOwn;
        byte[] encryptedPreMaster;

        @Setup
        public void setUp() throws GeneralSecurityException {
            production = CryptoProviders.preferred();
            configured = TestPki.serverRsa().key();
            providerOwn = (PrivateKey) production.keyFactory(Primitive.RSA_KEY_FACTORY).translateKey(configured);
            Cipher encrypt = production.cipher(Primitive.RSA_PKCS1);
            encrypt.init(Cipher.ENCRYPT_MODE, TestPki.serverRsa().leaf().getPublicKey());
            encryptedPreMaster = encrypt.doFinal(new byte[48]);
        }

        byte[] decrypt(PrivateKey key) throws GeneralSecurityException {
            Cipher raw = production.cipher(Primitive.RSA_RAW);
            raw.init(Cipher.DECRYPT_MODE, key);
            return raw.doFinal(encryptedPreMaster);
        }
    }

    @Benchmark
    public ConnectionState server(Handshakes h) {
        return h.serverReplay.handshake();
    }

    @Benchmark
    public ConnectionState client(Handshakes h) {
        return h.clientReplay.handshake();
    }

    @Benchmark
    public ConnectionState bothSides(Handshakes h) {
        return HandshakeFixtures.handshake(h.ourClient, h.ourServer).server();
    }

    @Benchmark
    public ConnectionState bothSidesJdkCrypto(Handshakes h) {
        return HandshakeFixtures.handshake(h.ourClientJdkCrypto, h.ourServerJdkCrypto).server();
    }

    @Benchmark
    public SSLSession jdkBothSides(Handshakes h) {
        return h.jdk.handshake().session();
    }

    @Benchmark
    public byte[] rsa2048PrivateKeyOpConfiguredKey(RsaPrivateKey k) throws GeneralSecurityException {
        return k.decrypt(k.configured);
    }

    @Benchmark
    public byte[] rsa2048PrivateKeyOpProviderKey(RsaPrivateKey k) throws GeneralSecurityException {
        return k.decrypt(k.providerOwn);
    }

    /** {@code java ... HandshakeBenchmark}: the settings docs/benchmarks.md was measured with. */
    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(new String[] {HandshakeBenchmark.class.getSimpleName(), "-f", "1", "-wi", "2", "-i", "3",
                "-w", "2s", "-r", "2s"});
    }
}
