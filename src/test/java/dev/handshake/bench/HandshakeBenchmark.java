package dev.handshake.bench;

import dev.handshake.tls.ConnectionState;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.CryptoProviders;
import dev.handshake.tls.crypto.Primitive;
import dev.handshake.tls.crypto.Signatures;
import dev.handshake.tls.wire.SignatureScheme;
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
 * Full handshakes and resumptions per second, in memory, one thread, for each {@link HandshakeScenario} (TLS 1.2 RSA
 * and ECDHE, TLS 1.3 x25519 with RSA-2048 and ECDSA P-256 certificates, TLS 1.3 PSK and TLS 1.2 ticket resumption):
 * <ul>
 * <li>{@code server}: our server engine alone, answering a client recorded once ({@link HandshakeFixtures.ServerReplay}:
 *     the server's randomness, keys and clock are pinned so the recording stays valid);</li>
 * <li>{@code client}: our client engine alone, against a recorded server ({@link HandshakeFixtures.ClientReplay});</li>
 * <li>{@code bothSides}: our client against our server, production crypto (Corretto where it loads);</li>
 * <li>{@code bothSidesJdkCrypto}: the same with only the JDK's JCA providers, to separate the protocol code from the
 *     provider choice;</li>
 * <li>{@code jdkBothSides}: SunJSSE's SSLEngine client against SunJSSE's server, the same handshake, for the ratio;</li>
 * <li>{@code rsa2048PrivateKeyOp*}: the server's RSA private-key operation of a TLS_RSA handshake alone;</li>
 * <li>{@code rsa2048PssSign*}: one RSA-PSS SHA-256 signature alone, the ceiling of a TLS 1.3 RSA server (one signature
 *     per full handshake): with the engine's provider and native key, and with the JDK's SunRsaSign.</li>
 * </ul>
 * A server's per-side rate beside SunJSSE's (which cannot be replayed) comes from {@link HandshakeCpuTime}, which times
 * each side's calls in the both-sides loop. Run with {@code bench/run-jmh.sh}; results in {@code docs/benchmarks.md}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandshakeBenchmark {

    /** The handshakes, per scenario. */
    @State(Scope.Thread)
    public static class Handshakes {
        @Param({"TLS12_RSA", "TLS12_ECDHE_RSA", "TLS12_ECDHE_ECDSA", "TLS13_RSA", "TLS13_ECDSA", "TLS13_RESUMED",
                "TLS12_RESUMED"})
        public String handshake;

        HandshakeFixtures.ServerReplay serverReplay;
        HandshakeFixtures.ClientReplay clientReplay;
        HandshakeFixtures.OurHandshake ours;
        HandshakeFixtures.OurHandshake oursJdkCrypto;
        HandshakeFixtures.JdkHandshake jdk;

        @Setup
        public void setUp() {
            HandshakeScenario scenario = HandshakeScenario.valueOf(handshake);
            CryptoProvider production = CryptoProviders.preferred();
            // Each constructor runs handshakes and throws if one does not complete or resumes when it should not (or
            // the reverse): a broken setup is never measured.
            serverReplay = new HandshakeFixtures.ServerReplay(scenario, production, HandshakeFixtures.SEED);
            clientReplay = new HandshakeFixtures.ClientReplay(scenario, production, HandshakeFixtures.SEED);
            ours = new HandshakeFixtures.OurHandshake(scenario, production);
            oursJdkCrypto = new HandshakeFixtures.OurHandshake(scenario, CryptoProviders.jdk());
            jdk = new HandshakeFixtures.JdkHandshake(scenario);
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

    /**
     * One rsa_pss_rsae_sha256 signature with the server's RSA-2048 key over a CertificateVerify-sized input (RFC 8446
     * §4.4.3: 64 spaces, the 33-byte context string, a zero byte and a 32-byte transcript hash), made exactly as the
     * engine makes it ({@link Signatures#sign}: a new Signature object, the key in the provider's native form): the
     * ceiling of a TLS 1.3 RSA server. With the engine's provider ({@code CryptoProviders.preferred()}) and, for
     * context, with the JDK's (SunRsaSign).
     */
    @State(Scope.Thread)
    public static class RsaPssSignature {
        CryptoProvider engineProvider;
        CryptoProvider sunRsaSign;
        PrivateKey key;
        final byte[] content = new byte[130];

        @Setup
        public void setUp() {
            engineProvider = CryptoProviders.preferred();
            sunRsaSign = CryptoProviders.jdk();
            key = TestPki.serverRsa().key();
        }

        byte[] sign(CryptoProvider provider) {
            return Signatures.sign(provider, SignatureScheme.RSA_PSS_RSAE_SHA256, key, content);
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
        return h.ours.handshake(SideCpuClock.NONE).server();
    }

    @Benchmark
    public ConnectionState bothSidesJdkCrypto(Handshakes h) {
        return h.oursJdkCrypto.handshake(SideCpuClock.NONE).server();
    }

    @Benchmark
    public SSLSession jdkBothSides(Handshakes h) {
        return h.jdk.handshake(SideCpuClock.NONE).session();
    }

    @Benchmark
    public byte[] rsa2048PrivateKeyOpConfiguredKey(RsaPrivateKey k) throws GeneralSecurityException {
        return k.decrypt(k.configured);
    }

    @Benchmark
    public byte[] rsa2048PrivateKeyOpProviderKey(RsaPrivateKey k) throws GeneralSecurityException {
        return k.decrypt(k.providerOwn);
    }

    @Benchmark
    public byte[] rsa2048PssSignEngineProvider(RsaPssSignature s) {
        return s.sign(s.engineProvider);
    }

    @Benchmark
    public byte[] rsa2048PssSignSunRsaSign(RsaPssSignature s) {
        return s.sign(s.sunRsaSign);
    }

    /** {@code java ... HandshakeBenchmark}: the settings docs/benchmarks.md was measured with. */
    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(new String[] {HandshakeBenchmark.class.getSimpleName(), "-f", "1", "-wi", "2", "-i", "3",
                "-w", "2s", "-r", "2s"});
    }
}
