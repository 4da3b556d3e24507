package dev.handshake.tls.crypto;

import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * X25519 on Bouncy Castle's arithmetic ({@code org.bouncycastle.math.ec.rfc7748}), the code its JCA provider runs
 * underneath, without the JCA layer: that layer costs a provider lookup per object, key objects and their encodings,
 * and one more base-point multiplication per generated key pair (its private-key object recomputes the public key).
 * Used where the provider rule picks Bouncy Castle for X25519; measured in docs/crypto-providers.md. Stateless.
 */
final class BouncyCastleX25519 implements X25519Function {

    static final BouncyCastleX25519 INSTANCE = new BouncyCastleX25519();

    private BouncyCastleX25519() {
    }

    @Override
    public KeyPair generateKeyPair(SecureRandom random) {
        // the same 32 random bytes, clamped the same way, as Bouncy Castle's KeyPairGenerator draws: a fixed random
        // source still replays a handshake byte for byte
        byte[] privateKey = new byte[X25519.SCALAR_SIZE];
        X25519.generatePrivateKey(random, privateKey);
        byte[] publicKey = new byte[X25519.POINT_SIZE];
        X25519.generatePublicKey(privateKey, 0, publicKey, 0);
        return new KeyPair(privateKey, publicKey);
    }

    @Override
    public byte[] sharedSecret(byte[] privateKey, byte[] peerPublicKey) {
        if (privateKey.length != X25519.SCALAR_SIZE || peerPublicKey.length != X25519.POINT_SIZE) {
            throw new IllegalArgumentException("x25519 takes 32-byte values");
        }
        byte[] shared = new byte[X25519.POINT_SIZE];
        // calculateAgreement's false (an all-zero result) is left to the caller's check, as for the JCA path
        X25519.calculateAgreement(privateKey, 0, peerPublicKey, 0, shared, 0);
        return shared;
    }
}
