package dev.handshake.tls.crypto;

import dev.handshake.tls.wire.SignatureScheme;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** Keys made once per test JVM by the JDK, as a certificate loaded by the JDK would carry them. */
final class TestKeys {

    static final KeyPair RSA = generate("RSA", 2048, null);
    static final KeyPair RSA_PSS = generate("RSASSA-PSS", 2048, null);
    static final KeyPair P256 = generate("EC", 0, "secp256r1");
    static final KeyPair P384 = generate("EC", 0, "secp384r1");
    static final KeyPair P521 = generate("EC", 0, "secp521r1");
    static final KeyPair ED25519 = generate("Ed25519", 0, null);
    static final KeyPair ED448 = generate("Ed448", 0, null);

    private TestKeys() {
    }

    /** A key pair that fits {@code scheme} (RFC 8446 §4.2.3). */
    static KeyPair forScheme(SignatureScheme scheme) {
        if (scheme.equals(SignatureScheme.ED25519)) {
            return ED25519;
        }
        if (scheme.equals(SignatureScheme.ECDSA_SECP256R1_SHA256)) {
            return P256;
        }
        if (scheme.equals(SignatureScheme.ECDSA_SECP384R1_SHA384)) {
            return P384;
        }
        if (scheme.equals(SignatureScheme.ECDSA_SECP521R1_SHA512)) {
            return P521;
        }
        if (scheme.code() >= 0x0809 && scheme.code() <= 0x080b) {
            return RSA_PSS;
        }
        return RSA;
    }

    private static KeyPair generate(String algorithm, int bits, String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (curve != null) {
                generator.initialize(new ECGenParameterSpec(curve));
            } else if (bits > 0) {
                generator.initialize(bits);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
