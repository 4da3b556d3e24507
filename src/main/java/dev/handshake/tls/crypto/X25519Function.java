package dev.handshake.tls.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * The X25519 function of RFC 7748 §5 on raw values: 32-byte private scalars and 32-byte u-coordinates, the forms TLS
 * puts on the wire (RFC 8446 §4.2.8.2) and the engine keeps in its state. One implementation per way of reaching a
 * provider's arithmetic: through JCA key objects ({@link JcaX25519}), or Bouncy Castle's directly
 * ({@link BouncyCastleX25519}).
 */
public interface X25519Function {

    /** One ephemeral key pair: the private scalar (secret) and the public u-coordinate. */
    record KeyPair(byte[] privateKey, byte[] publicKey) {
        @Override
        public String toString() {
            return "X25519Function.KeyPair[private redacted, public " + publicKey.length + " bytes]";
        }
    }

    KeyPair generateKeyPair(SecureRandom random);

    /**
     * X25519(privateKey, peerPublicKey). The all-zero result of a small-order peer value is returned as it is: the
     * caller rejects it (RFC 7748 §6.1). A peer value the provider refuses throws.
     */
    byte[] sharedSecret(byte[] privateKey, byte[] peerPublicKey) throws GeneralSecurityException;
}
