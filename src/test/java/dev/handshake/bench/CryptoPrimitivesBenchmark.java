package dev.handshake.bench;

import dev.handshake.tls.crypto.CryptoProviders;
import dev.handshake.tls.crypto.Primitive;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Operations per second of each JCA provider for the primitives a handshake and a record layer spend their time in.
 * Its results are the measurement behind {@link CryptoProviders}'s rule (docs/crypto-providers.md). Each state lists
 * only the providers that serve its primitive: Corretto has no X25519 and no ChaCha20-Poly1305 here.
 *
 * <p>Run from the test class path:
 * <pre>
 * ./mvnw -B -o -q test-compile
 * ./mvnw -B -o -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) org.openjdk.jmh.Main CryptoPrimitivesBenchmark \
 *     -f 1 -wi 1 -i 2 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CryptoPrimitivesBenchmark {

    static final int RECORD = 16 * 1024;

    /** "jdk", "bc" or "accp" as the JCA provider serving {@code primitive}. */
    static Provider provider(String name, Primitive primitive) {
        switch (name) {
            case "jdk":
                return CryptoProviders.jdkProvider(primitive).orElseThrow();
            case "bc":
                return CryptoProviders.bouncyCastleProvider();
            case "accp":
                return CryptoProviders.correttoProvider()
                        .orElseThrow(() -> new IllegalStateException("Corretto does not load here"));
            default:
                throw new IllegalArgumentException(name);
        }
    }

    /** {@link #provider}, or null where that provider is not there (Corretto's native library did not load). */
    static Provider providerOrNull(String name, Primitive primitive) {
        if (name.equals("accp")) {
            return CryptoProviders.correttoProvider().orElse(null);
        }
        return name.equals("jdk") ? CryptoProviders.jdkProvider(primitive).orElse(null) : provider(name, primitive);
    }

    static KeyPair generate(String algorithm, Object spec) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (spec instanceof Integer) {
            generator.initialize((Integer) spec);
        } else if (spec != null) {
            generator.initialize((java.security.spec.AlgorithmParameterSpec) spec);
        }
        return generator.generateKeyPair();
    }

    @State(Scope.Thread)
    public static class Rsa {
        @Param({"jdk", "bc", "accp"})
        public String provider;
        Signature signer;
        Cipher raw;
        byte[] message = new byte[100];
        byte[] ciphertext;

        @Setup
        public void setUp() throws Exception {
            KeyPair keys = generate("RSA", 2048);
            signer = Signature.getInstance("SHA256withRSA", provider(provider, Primitive.SHA256_WITH_RSA));
            signer.initSign(keys.getPrivate());
            Cipher encrypt = Cipher.getInstance("RSA/ECB/PKCS1Padding");
            encrypt.init(Cipher.ENCRYPT_MODE, keys.getPublic());
            ciphertext = encrypt.doFinal(new byte[48]);
            raw = Cipher.getInstance("RSA/ECB/NoPadding", provider(provider, Primitive.RSA_RAW));
            raw.init(Cipher.DECRYPT_MODE, keys.getPrivate());
        }
    }

    @State(Scope.Thread)
    public static class Ecdsa {
        @Param({"jdk", "bc", "accp"})
        public String provider;
        Signature signer;
        byte[] message = new byte[100];

        @Setup
        public void setUp() throws Exception {
            KeyPair keys = generate("EC", new ECGenParameterSpec("secp256r1"));
            signer = Signature.getInstance("SHA256withECDSA", provider(provider, Primitive.SHA256_WITH_ECDSA));
            signer.initSign(keys.getPrivate());
        }
    }

    /** One side's ephemeral private key and the peer's public key, as in a handshake. */
    @State(Scope.Thread)
    public static class Ecdh {
        @Param({"jdk", "bc", "accp"})
        public String provider;
        KeyAgreement agreement;
        KeyPair ours;
        KeyPair peer;

        @Setup
        public void setUp() throws Exception {
            Provider p = provider(provider, Primitive.ECDH);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", p);
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            ours = generator.generateKeyPair();
            peer = generator.generateKeyPair();
            agreement = KeyAgreement.getInstance("ECDH", p);
        }
    }

    @State(Scope.Thread)
    public static class X25519 {
        @Param({"jdk", "bc"})
        public String provider;
        KeyAgreement agreement;
        KeyPair ours;
        KeyPair peer;

        @Setup
        public void setUp() throws Exception {
            Provider p = provider(provider, Primitive.X25519);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("X25519", p);
            ours = generator.generateKeyPair();
            peer = generator.generateKeyPair();
            agreement = KeyAgreement.getInstance("X25519", p);
        }
    }

    @State(Scope.Thread)
    public static class AesGcm {
        @Param({"jdk", "bc", "accp"})
        public String provider;
        Cipher cipher;
        SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
        byte[] plaintext = new byte[RECORD];
        byte[] out = new byte[RECORD + 16];
        byte[] nonce = new byte[12];
        long sequence;

        @Setup
        public void setUp() throws Exception {
            cipher = Cipher.getInstance("AES/GCM/NoPadding", provider(provider, Primitive.AES_GCM));
        }
    }

    /**
     * A kept-alive request's record (64 bytes) and larger ones, with the 13-byte additional data, opened as the record
     * layer opens it: where the JDK's intrinsics and Corretto's JNI crossing break even.
     */
    @State(Scope.Thread)
    public static class AesGcmSmall {
        @Param({"jdk", "accp"})
        public String provider;
        @Param({"64", "512", "2048", "8192"})
        public int size;
        Cipher sealer;
        Cipher opener;
        SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
        byte[] plaintext;
        byte[] sealed;
        byte[] opened;
        byte[] additionalData = new byte[13];
        byte[] nonce = new byte[12];
        long sequence;

        @Setup
        public void setUp() throws Exception {
            plaintext = new byte[size];
            sealed = new byte[size + 16];
            opened = new byte[size];
            Provider chosen = provider(provider, Primitive.AES_GCM);
            sealer = Cipher.getInstance("AES/GCM/NoPadding", chosen);
            opener = Cipher.getInstance("AES/GCM/NoPadding", chosen);
        }
    }

    @State(Scope.Thread)
    public static class ChaCha {
        @Param({"jdk", "bc"})
        public String provider;
        Cipher cipher;
        SecretKeySpec key = new SecretKeySpec(new byte[32], "ChaCha20");
        byte[] plaintext = new byte[RECORD];
        byte[] out = new byte[RECORD + 16];
        byte[] nonce = new byte[12];
        long sequence;

        @Setup
        public void setUp() throws Exception {
            cipher = Cipher.getInstance("ChaCha20-Poly1305", provider(provider, Primitive.CHACHA20_POLY1305));
        }
    }

    @State(Scope.Thread)
    public static class Hmac {
        @Param({"jdk", "bc", "accp"})
        public String provider;
        Mac mac;
        byte[] data = new byte[RECORD];

        @Setup
        public void setUp() throws Exception {
            mac = Mac.getInstance("HmacSHA256", provider(provider, Primitive.HMAC_SHA256));
            mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        }
    }

    @Benchmark
    public byte[] rsa2048SignPkcs1Sha256(Rsa s) throws Exception {
        s.signer.update(s.message);
        return s.signer.sign();
    }

    @Benchmark
    public byte[] rsa2048RawDecrypt(Rsa s) throws Exception {
        return s.raw.doFinal(s.ciphertext);
    }

    @Benchmark
    public byte[] ecdsaP256Sign(Ecdsa s) throws Exception {
        s.signer.update(s.message);
        return s.signer.sign();
    }

    @Benchmark
    public byte[] ecdhP256Derive(Ecdh s) throws Exception {
        s.agreement.init(s.ours.getPrivate());
        s.agreement.doPhase(s.peer.getPublic(), true);
        return s.agreement.generateSecret();
    }

    @Benchmark
    public byte[] x25519Derive(X25519 s) throws Exception {
        s.agreement.init(s.ours.getPrivate());
        s.agreement.doPhase(s.peer.getPublic(), true);
        return s.agreement.generateSecret();
    }

    /** A fresh nonce per record, as the record layer does (providers refuse to reuse a GCM key and nonce). */
    @Benchmark
    public int aes128Gcm16KiB(AesGcm s) throws Exception {
        ByteBuffer.wrap(s.nonce).putLong(4, ++s.sequence);
        s.cipher.init(Cipher.ENCRYPT_MODE, s.key, new GCMParameterSpec(128, s.nonce));
        return s.cipher.doFinal(s.plaintext, 0, s.plaintext.length, s.out, 0);
    }

    /** Seal and open one small record (a kept-alive request's), with the record layer's init per record. */
    @Benchmark
    public int aes128GcmSmallRecord(AesGcmSmall s) throws Exception {
        ByteBuffer.wrap(s.nonce).putLong(4, ++s.sequence);
        GCMParameterSpec spec = new GCMParameterSpec(128, s.nonce);
        s.sealer.init(Cipher.ENCRYPT_MODE, s.key, spec);
        s.sealer.updateAAD(s.additionalData);
        int length = s.sealer.doFinal(s.plaintext, 0, s.plaintext.length, s.sealed, 0);
        s.opener.init(Cipher.DECRYPT_MODE, s.key, spec);
        s.opener.updateAAD(s.additionalData);
        return s.opener.doFinal(s.sealed, 0, length, s.opened, 0);
    }

    @Benchmark
    public int chaCha20Poly1305_16KiB(ChaCha s) throws Exception {
        ByteBuffer.wrap(s.nonce).putLong(4, ++s.sequence);
        s.cipher.init(Cipher.ENCRYPT_MODE, s.key, new IvParameterSpec(s.nonce));
        return s.cipher.doFinal(s.plaintext, 0, s.plaintext.length, s.out, 0);
    }

    @Benchmark
    public byte[] hmacSha256_16KiB(Hmac s) {
        return s.mac.doFinal(s.data);
    }

    /** Runs every benchmark briefly (the settings of docs/crypto-providers.md); JMH options on the command line win. */
    public static void main(String[] args) throws Exception {
        String[] defaults = {CryptoPrimitivesBenchmark.class.getSimpleName(), "-f", "1", "-wi", "1", "-i", "2", "-w",
                "1s", "-r", "1s"};
        org.openjdk.jmh.Main.main(args.length == 0 ? defaults : args);
    }
}
