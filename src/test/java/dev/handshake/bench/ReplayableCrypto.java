package dev.handshake.bench;

import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.Primitive;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.ShortBufferException;

/**
 * A {@link CryptoProvider} (test code, for benchmarks) that makes one side of a handshake repeat itself exactly, so
 * the other side's flights can be recorded once and replayed against it: the same ServerHello (or ClientHello and
 * ClientKeyExchange) and the same keys on every run.
 *
 * <p>Two sources of randomness need taming:
 * <ul>
 * <li>{@link #randomBytes}/{@link #secureRandom}: a seeded SHA1PRNG, restarted by {@link #restart()} before each
 *     handshake.</li>
 * <li>Amazon Corretto Crypto Provider ignores the SecureRandom it is handed and draws from AWS-LC's own DRBG, for EC
 *     key generation, RSAES-PKCS1 encryption, RSASSA-PSS and ECDSA signing (checked: two runs with the same seeded
 *     SecureRandom give different outputs). So for those (and any other provider's) randomized operations this
 *     wrapper still <em>performs</em> the operation with the real provider, so that its cost is measured, and then
 *     returns the output of the first run for the same input: the first key pair for a curve, the first signature
 *     over the same bytes, the first ciphertext of the same plaintext. What the benchmark measures is therefore the
 *     real work; only the bytes are pinned.</li>
 * </ul>
 * The clock is pinned too, at the delegate's time when this wrapper is made: a resumed ClientHello carries an
 * obfuscated ticket age that must agree with the server's clock, and a pinned client sends the same age every time.
 * Everything else goes straight to the delegate (the production provider choice).
 */
final class ReplayableCrypto implements CryptoProvider {

    private final CryptoProvider delegate;
    private final long seed;
    private final Instant pinnedNow;
    private SecureRandom random;
    private final Map<String, KeyPair> keyPairs = new HashMap<>();
    private final Map<String, byte[]> outputs = new HashMap<>();

    @Override
    public java.security.PrivateKey nativePrivateKey(Primitive primitive, java.security.PrivateKey key) {
        return delegate.nativePrivateKey(primitive, key);
    }

    ReplayableCrypto(CryptoProvider delegate, long seed) {
        this.delegate = delegate;
        this.seed = seed;
        this.pinnedNow = delegate.now();
        restart();
    }

    /** Starts the random stream over: call before each handshake that must repeat the recorded one. */
    void restart() {
        try {
            SecureRandom fresh = SecureRandom.getInstance("SHA1PRNG", "SUN");
            fresh.setSeed(seed); // before the first nextBytes: SHA1PRNG is then deterministic
            random = fresh;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void randomBytes(byte[] out) {
        random.nextBytes(out);
    }

    @Override
    public SecureRandom secureRandom() {
        return random;
    }

    @Override
    public KeyPairGenerator keyPairGenerator(Primitive primitive) {
        return new PinnedKeyPairGenerator(delegate.keyPairGenerator(primitive));
    }

    @Override
    public Signature signature(Primitive primitive) {
        return new PinnedSignature(delegate.signature(primitive));
    }

    @Override
    public Cipher cipher(Primitive primitive) {
        Cipher real = delegate.cipher(primitive);
        // Only the RSA encryption is randomized; record ciphers stay the real objects, untouched.
        return primitive == Primitive.RSA_PKCS1 ? new PinnedCipher(new PinnedCipherSpi(real), real.getProvider(),
                real.getAlgorithm()) : real;
    }

    @Override
    public MessageDigest messageDigest(Primitive primitive) {
        return delegate.messageDigest(primitive);
    }

    @Override
    public Mac mac(Primitive primitive) {
        return delegate.mac(primitive);
    }

    @Override
    public KeyAgreement keyAgreement(Primitive primitive) {
        return delegate.keyAgreement(primitive);
    }

    @Override
    public KeyFactory keyFactory(Primitive primitive) {
        return delegate.keyFactory(primitive);
    }

    @Override
    public CertificateFactory certificateFactory() {
        return delegate.certificateFactory();
    }

    @Override
    public CertPathValidator certPathValidator() {
        return delegate.certPathValidator();
    }

    @Override
    public Provider providerOf(Primitive primitive) {
        return delegate.providerOf(primitive);
    }

    @Override
    public Instant now() {
        return pinnedNow;
    }

    /** The first output for this input, or {@code fresh} (remembered) if there is none yet. */
    private byte[] pinned(String operation, byte[] input, byte[] fresh) {
        return outputs.computeIfAbsent(operation + ":" + HexFormat.of().formatHex(input), k -> fresh).clone();
    }

    /** Generates for real, returns the first pair generated for the same algorithm and parameters. */
    private final class PinnedKeyPairGenerator extends KeyPairGenerator {
        private final KeyPairGenerator real;
        private String parameters = "default";

        PinnedKeyPairGenerator(KeyPairGenerator real) {
            super(real.getAlgorithm());
            this.real = real;
        }

        @Override
        public void initialize(int keySize, SecureRandom ignored) {
            real.initialize(keySize, random);
            parameters = "size " + keySize;
        }

        @Override
        public void initialize(AlgorithmParameterSpec spec, SecureRandom ignored) throws InvalidAlgorithmParameterException {
            real.initialize(spec, random);
            parameters = spec instanceof ECGenParameterSpec ec ? ec.getName() : String.valueOf(spec);
        }

        @Override
        public KeyPair generateKeyPair() {
            KeyPair fresh = real.generateKeyPair();
            return keyPairs.computeIfAbsent(getAlgorithm() + "/" + parameters, k -> fresh);
        }
    }

    /** Signs for real, returns the first signature made over the same bytes. */
    private final class PinnedSignature extends Signature {
        private final Signature real;
        private final java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        private PrivateKey signingKey;

        PinnedSignature(Signature real) {
            super(real.getAlgorithm());
            this.real = real;
        }

        @Override
        protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
            real.initVerify(publicKey);
            signingKey = null;
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
            engineInitSign(privateKey, random);
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey, SecureRandom ignored) throws InvalidKeyException {
            real.initSign(privateKey, random);
            signingKey = privateKey;
            data.reset();
        }

        @Override
        protected void engineUpdate(byte b) throws SignatureException {
            engineUpdate(new byte[] {b}, 0, 1);
        }

        @Override
        protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
            real.update(b, off, len);
            if (signingKey != null) {
                data.write(b, off, len);
            }
        }

        @Override
        protected byte[] engineSign() throws SignatureException {
            byte[] fresh = real.sign();
            byte[] signed = data.toByteArray();
            data.reset();
            return pinned("sign " + getAlgorithm(), signed, fresh);
        }

        @Override
        protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
            return real.verify(sigBytes);
        }

        @Override
        protected void engineSetParameter(AlgorithmParameterSpec params) throws InvalidAlgorithmParameterException {
            real.setParameter(params);
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) throws InvalidParameterException {
            throw new InvalidParameterException("not supported");
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) throws InvalidParameterException {
            throw new InvalidParameterException("not supported");
        }

        @Override
        protected AlgorithmParameters engineGetParameters() {
            return real.getParameters();
        }
    }

    /** A Cipher around {@link PinnedCipherSpi} (Cipher's constructor that takes an SPI is protected). */
    private static final class PinnedCipher extends Cipher {
        PinnedCipher(CipherSpi spi, Provider provider, String transformation) {
            super(spi, provider, transformation);
        }
    }

    /** Encrypts for real, returns the first ciphertext of the same plaintext (RSAES-PKCS1-v1_5 only). */
    private final class PinnedCipherSpi extends CipherSpi {
        private final Cipher real;

        PinnedCipherSpi(Cipher real) {
            this.real = real;
        }

        @Override
        protected void engineSetMode(String mode) throws NoSuchAlgorithmException {
            throw new NoSuchAlgorithmException("fixed transformation");
        }

        @Override
        protected void engineSetPadding(String padding) throws NoSuchPaddingException {
            throw new NoSuchPaddingException("fixed transformation");
        }

        @Override
        protected int engineGetBlockSize() {
            return real.getBlockSize();
        }

        @Override
        protected int engineGetOutputSize(int inputLen) {
            return real.getOutputSize(inputLen);
        }

        @Override
        protected byte[] engineGetIV() {
            return real.getIV();
        }

        @Override
        protected AlgorithmParameters engineGetParameters() {
            return real.getParameters();
        }

        @Override
        protected void engineInit(int opmode, Key key, SecureRandom ignored) throws InvalidKeyException {
            real.init(opmode, key, random);
        }

        @Override
        protected void engineInit(int opmode, Key key, AlgorithmParameterSpec params, SecureRandom ignored)
                throws InvalidKeyException, InvalidAlgorithmParameterException {
            real.init(opmode, key, params, random);
        }

        @Override
        protected void engineInit(int opmode, Key key, AlgorithmParameters params, SecureRandom ignored)
                throws InvalidKeyException, InvalidAlgorithmParameterException {
            real.init(opmode, key, params, random);
        }

        @Override
        protected byte[] engineUpdate(byte[] input, int offset, int len) {
            throw new UnsupportedOperationException("one-shot only");
        }

        @Override
        protected int engineUpdate(byte[] input, int offset, int len, byte[] output, int outOffset) {
            throw new UnsupportedOperationException("one-shot only");
        }

        @Override
        protected byte[] engineDoFinal(byte[] input, int offset, int len)
                throws IllegalBlockSizeException, BadPaddingException {
            byte[] plaintext = java.util.Arrays.copyOfRange(input, offset, offset + len);
            byte[] fresh = real.doFinal(plaintext);
            return pinned("encrypt " + real.getAlgorithm(), plaintext, fresh);
        }

        @Override
        protected int engineDoFinal(byte[] input, int offset, int len, byte[] output, int outOffset)
                throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
            byte[] out = engineDoFinal(input, offset, len);
            System.arraycopy(out, 0, output, outOffset, out.length);
            return out.length;
        }
    }
}
