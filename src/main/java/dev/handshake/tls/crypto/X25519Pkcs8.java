package dev.handshake.tls.crypto;

import dev.handshake.tls.codec.Bytes;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Optional;

/**
 * The form an X25519 private key takes in connection state: PKCS#8 v1 (RFC 8410 §7), the fixed 16-byte prefix and the
 * raw 32-byte scalar. It is what every provider reads and what the JDK writes, and states serialized before the raw
 * X25519 path (whose keys were PKCS#8 from a provider) still decode.
 */
final class X25519Pkcs8 {

    private static final byte[] PREFIX = Bytes.fromHex("302e020100300506032b656e04220420");

    private X25519Pkcs8() {
    }

    static byte[] encode(byte[] scalar) {
        return Bytes.concat(PREFIX, scalar);
    }

    /**
     * The scalar of a stored key: read directly from the v1 form; any other PKCS#8 form (a provider's v2 with the
     * public key) goes through the provider's key factory.
     */
    static byte[] scalar(CryptoProvider crypto, byte[] pkcs8) throws GeneralSecurityException {
        if (pkcs8.length == PREFIX.length + 32 && Arrays.equals(pkcs8, 0, PREFIX.length, PREFIX, 0, PREFIX.length)) {
            return Arrays.copyOfRange(pkcs8, PREFIX.length, pkcs8.length);
        }
        PrivateKey key = crypto.keyFactory(Primitive.X25519_KEY_FACTORY).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        if (key instanceof XECPrivateKey xec) {
            Optional<byte[]> scalar = xec.getScalar();
            if (scalar.isPresent() && scalar.get().length == 32) {
                return scalar.get();
            }
        }
        throw new GeneralSecurityException("not an x25519 private key");
    }
}
