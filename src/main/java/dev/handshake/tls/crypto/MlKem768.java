package dev.handshake.tls.crypto;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.generators.MLKEMKeyPairGenerator;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.MLKEMKeyGenerationParameters;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;
import java.security.SecureRandom;

/**
 * ML-KEM-768 (FIPS 203) for the X25519MLKEM768 hybrid group, through Bouncy Castle's lightweight API.
 *
 * <p><b>The one documented exception to "primitives only through JCA"</b>: Java 17's JCA has no KEM service type
 * ({@code javax.crypto.KEM} arrived in Java 21), so there is no JCA object {@link CryptoProvider} could hand out. This
 * wrapper is kept to the three operations TLS needs, and its randomness still comes from the provider's
 * {@link CryptoProvider#secureRandom()}, so tests replay it. When the engine moves to Java 21 it becomes
 * {@code KEM.getInstance("ML-KEM-768", provider)} behind {@link Primitive#ML_KEM_768}.
 */
public final class MlKem768 {

    /** FIPS 203 Table 3, ML-KEM-768: encapsulation key, ciphertext and shared secret sizes. */
    public static final int ENCAPSULATION_KEY_LENGTH = 1184;
    public static final int CIPHERTEXT_LENGTH = 1088;
    public static final int SHARED_SECRET_LENGTH = 32;
    /** The private key is kept as its 64-byte seed (d || z, FIPS 203 §7.1), the compact form. */
    public static final int SEED_LENGTH = 64;

    private static final MLKEMParameters PARAMETERS = MLKEMParameters.ml_kem_768;

    /** A key pair: the encapsulation key for the wire, the decapsulation key as its seed. */
    public record KeyPair(byte[] encapsulationKey, Secret seed) {
    }

    /** What encapsulation gives the server: the ciphertext for the wire and the shared secret. */
    public record Encapsulation(byte[] ciphertext, Secret sharedSecret) {
    }

    private MlKem768() {
    }

    public static KeyPair generate(SecureRandom random) {
        MLKEMKeyPairGenerator generator = new MLKEMKeyPairGenerator();
        generator.init(new MLKEMKeyGenerationParameters(random, PARAMETERS));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        byte[] encapsulationKey = ((MLKEMPublicKeyParameters) pair.getPublic()).getEncoded();
        byte[] seed = ((MLKEMPrivateKeyParameters) pair.getPrivate()).getSeed();
        return new KeyPair(encapsulationKey, new Secret(seed));
    }

    /**
     * Encapsulates to the peer's key. A key of the wrong length or failing FIPS 203's modulus check is rejected with
     * {@link IllegalArgumentException} (the caller turns it into illegal_parameter).
     */
    public static Encapsulation encapsulate(SecureRandom random, byte[] encapsulationKey) {
        if (encapsulationKey.length != ENCAPSULATION_KEY_LENGTH) {
            throw new IllegalArgumentException("ML-KEM-768 encapsulation key of " + encapsulationKey.length + " bytes");
        }
        SecretWithEncapsulation result = new MLKEMGenerator(random)
                .generateEncapsulated(new MLKEMPublicKeyParameters(PARAMETERS, encapsulationKey));
        return new Encapsulation(result.getEncapsulation(), new Secret(result.getSecret()));
    }

    /** Decapsulates the peer's ciphertext with our key (implicit rejection: a bad ciphertext gives a wrong secret). */
    public static Secret decapsulate(Secret seed, byte[] ciphertext) {
        if (ciphertext.length != CIPHERTEXT_LENGTH) {
            throw new IllegalArgumentException("ML-KEM-768 ciphertext of " + ciphertext.length + " bytes");
        }
        MLKEMPrivateKeyParameters key = new MLKEMPrivateKeyParameters(PARAMETERS, seed.bytes());
        return new Secret(new MLKEMExtractor(key).extractSecret(ciphertext));
    }
}
