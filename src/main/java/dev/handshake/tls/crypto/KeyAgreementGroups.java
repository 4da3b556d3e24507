package dev.handshake.tls.crypto;

import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.NamedGroup;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import javax.crypto.KeyAgreement;

/**
 * Ephemeral (EC)DH over the named groups the engine supports: x25519 (RFC 7748), secp256r1 and secp384r1
 * (RFC 8422 §5.4, uncompressed points only), and for TLS 1.3 the hybrid X25519MLKEM768 (RFC 10024): ML-KEM-768 beside
 * x25519. Key generation and the agreement itself come from the provider; what is ours is the wire encoding and the
 * validation a peer's value must pass first.
 *
 * <p>A KEM is not symmetric like (EC)DH: the client {@link #generate}s a share, the server {@link #respond}s to it
 * (for ML-KEM by encapsulating to it), and the client {@link #agree}s with the server's answer.
 */
public final class KeyAgreementGroups {

    /** Our preference: x25519 first (fast, no point validation pitfalls), then the NIST curves. */
    public static final List<NamedGroup> SUPPORTED = List.of(NamedGroup.X25519, NamedGroup.SECP256R1, NamedGroup.SECP384R1);

    private KeyAgreementGroups() {
    }

    /** TLS 1.3 only: the hybrid groups (RFC 10024 §3 defines them for TLS 1.3; TLS 1.2 ECDHE never uses them). */
    public static final List<NamedGroup> HYBRID = List.of(NamedGroup.X25519MLKEM768);

    public static boolean supports(NamedGroup group) {
        return SUPPORTED.contains(group) || HYBRID.contains(group);
    }

    /** The server's answer to a client's key share: its own share for the wire and the shared secret. */
    public record Response(byte[] publicKey, Secret sharedSecret, Secret privateKey) {
    }

    /**
     * The server's side: for (EC)DH a fresh key pair and the agreement with the client's share; for X25519MLKEM768
     * (RFC 10024 §3) ML-KEM encapsulation to the client's key and x25519, the share being ciphertext (1088) || x25519
     * (32) and the secret ML-KEM's (32) || x25519's (32). An invalid client share is illegal_parameter.
     */
    public static Response respond(CryptoProvider crypto, NamedGroup group, byte[] clientShare) {
        if (group.equals(NamedGroup.X25519MLKEM768)) {
            if (clientShare.length != MlKem768.ENCAPSULATION_KEY_LENGTH + 32) {
                throw invalid("X25519MLKEM768 client share of " + clientShare.length + " bytes");
            }
            MlKem768.Encapsulation encapsulation;
            try {
                encapsulation = MlKem768.encapsulate(crypto.secureRandom(),
                        Arrays.copyOf(clientShare, MlKem768.ENCAPSULATION_KEY_LENGTH));
            } catch (RuntimeException e) {
                // FIPS 203 §7.2 input check (modulus) failed, or the key did not decode
                throw invalid("ML-KEM-768 encapsulation key rejected: " + e.getClass().getSimpleName());
            }
            Response x25519 = respond(crypto, NamedGroup.X25519,
                    Arrays.copyOfRange(clientShare, MlKem768.ENCAPSULATION_KEY_LENGTH, clientShare.length));
            return new Response(Bytes.concat(encapsulation.ciphertext(), x25519.publicKey()),
                    new Secret(Bytes.concat(encapsulation.sharedSecret().bytes(), x25519.sharedSecret().bytes())),
                    x25519.privateKey());
        }
        if (group.equals(NamedGroup.X25519)) {
            X25519Function.KeyPair pair = crypto.x25519().generateKeyPair(crypto.secureRandom());
            return new Response(pair.publicKey(), x25519(crypto, pair.privateKey(), clientShare),
                    new Secret(X25519Pkcs8.encode(pair.privateKey())));
        }
        // the key pair stays a live object for the agreement: decoding it back from PKCS#8 costs a provider lookup
        KeyPair pair = keyPair(crypto, group);
        KeyShare share = share(group, pair);
        return new Response(share.publicKey(), agree(crypto, group, pair.getPrivate(), clientShare), share.privateKey());
    }

    public static KeyShare generate(CryptoProvider crypto, NamedGroup group) {
        if (group.equals(NamedGroup.X25519MLKEM768)) {
            // RFC 10024 §3: the client's share is the ML-KEM-768 encapsulation key (1184) || the x25519 key (32);
            // the private part keeps the ML-KEM seed and the x25519 PKCS#8, each length-prefixed
            MlKem768.KeyPair mlkem = MlKem768.generate(crypto.secureRandom());
            KeyShare x25519 = generate(crypto, NamedGroup.X25519);
            byte[] both = new dev.handshake.tls.codec.TlsWriter().vector16(mlkem.seed().bytes())
                    .vector16(x25519.privateKey().bytes()).toByteArray();
            return new KeyShare(group, new Secret(both), Bytes.concat(mlkem.encapsulationKey(), x25519.publicKey()));
        }
        if (group.equals(NamedGroup.X25519)) {
            X25519Function.KeyPair pair = crypto.x25519().generateKeyPair(crypto.secureRandom());
            return new KeyShare(group, new Secret(X25519Pkcs8.encode(pair.privateKey())), pair.publicKey());
        }
        return share(group, keyPair(crypto, group));
    }

    private static KeyPair keyPair(CryptoProvider crypto, NamedGroup group) {
        try {
            KeyPairGenerator generator = crypto.keyPairGenerator(Primitive.EC_KEY_PAIR);
            generator.initialize(new ECGenParameterSpec(curveName(group)), crypto.secureRandom());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a key share for " + group, e);
        }
    }

    /** The wire form of the public key and the PKCS#8 form of the private key, for the state. */
    private static KeyShare share(NamedGroup group, KeyPair pair) {
        ECPublicKey publicKey = (ECPublicKey) pair.getPublic();
        return new KeyShare(group, new Secret(pair.getPrivate().getEncoded()),
                encodePoint(publicKey.getW(), fieldBytes(publicKey.getParams())));
    }

    /**
     * The shared secret between our private key and the peer's public value. An invalid peer value (wrong length,
     * not on the curve, the point at infinity, an all-zero X25519 result) is the peer's fault: illegal_parameter
     * (RFC 8422 §5.11, RFC 8446 §4.2.8.2, RFC 7748 §6.1).
     */
    public static Secret agree(CryptoProvider crypto, NamedGroup group, Secret ourPrivateKey, byte[] peerPublic) {
        if (group.equals(NamedGroup.X25519MLKEM768)) {
            // the client's side: the server sent ciphertext (1088) || x25519 (32); the secret is ML-KEM's || x25519's
            if (peerPublic.length != MlKem768.CIPHERTEXT_LENGTH + 32) {
                throw invalid("X25519MLKEM768 server share of " + peerPublic.length + " bytes");
            }
            dev.handshake.tls.codec.TlsReader r = dev.handshake.tls.codec.TlsReader.of(ourPrivateKey.bytes());
            Secret seed = new Secret(r.vector16(1, "ML-KEM seed"));
            Secret x25519Private = new Secret(r.vector16(1, "x25519 key"));
            Secret mlkem = MlKem768.decapsulate(seed, Arrays.copyOf(peerPublic, MlKem768.CIPHERTEXT_LENGTH));
            Secret classical = agree(crypto, NamedGroup.X25519, x25519Private,
                    Arrays.copyOfRange(peerPublic, MlKem768.CIPHERTEXT_LENGTH, peerPublic.length));
            return new Secret(Bytes.concat(mlkem.bytes(), classical.bytes()));
        }
        if (group.equals(NamedGroup.X25519)) {
            byte[] scalar;
            try {
                scalar = X25519Pkcs8.scalar(crypto, ourPrivateKey.bytes());
            } catch (GeneralSecurityException e) {
                // our own key, from our own state: not the peer's fault
                throw new IllegalStateException("cannot decode our " + group + " private key", e);
            }
            return x25519(crypto, scalar, peerPublic);
        }
        PrivateKey ours;
        try {
            ours = crypto.keyFactory(Primitive.EC_KEY_FACTORY)
                    .generatePrivate(new PKCS8EncodedKeySpec(ourPrivateKey.bytes()));
        } catch (GeneralSecurityException e) {
            // our own key, from our own state: not the peer's fault
            throw new IllegalStateException("cannot decode our " + group + " private key", e);
        }
        return agree(crypto, group, ours, peerPublic);
    }

    /** X25519 with our raw scalar: the peer's value checked for length and, after the function, for the zero result. */
    private static Secret x25519(CryptoProvider crypto, byte[] ourScalar, byte[] peerPublic) {
        if (peerPublic.length != 32) {
            throw invalid("x25519 share of " + peerPublic.length + " bytes");
        }
        byte[] shared;
        try {
            shared = crypto.x25519().sharedSecret(ourScalar, peerPublic);
        } catch (GeneralSecurityException | RuntimeException e) {
            // providers differ in what they throw for a bad peer value (the JDK's X25519 throws IllegalStateException
            // for a small-order point): whatever it is, the peer's share was at fault, and nothing may escape advance()
            throw invalid("key share rejected by the provider: " + e.getClass().getSimpleName());
        }
        if (isAllZero(shared)) {
            throw invalid("x25519 produced the all-zero value (small-order peer share)");
        }
        return new Secret(shared);
    }

    /** ECDH over a NIST curve with our live private key. */
    private static Secret agree(CryptoProvider crypto, NamedGroup group, PrivateKey ours, byte[] peerPublic) {
        try {
            KeyFactory factory = crypto.keyFactory(Primitive.EC_KEY_FACTORY);
            ECParameterSpec params = ((java.security.interfaces.ECPrivateKey) ours).getParams();
            ECPoint point = decodeAndValidatePoint(peerPublic, params);
            PublicKey peer = factory.generatePublic(new ECPublicKeySpec(point, params));
            KeyAgreement agreement = crypto.keyAgreement(Primitive.ECDH);
            agreement.init(ours);
            agreement.doPhase(peer, true);
            return new Secret(agreement.generateSecret());
        } catch (TlsAlertException e) {
            throw e;
        } catch (GeneralSecurityException | RuntimeException e) {
            // providers differ in what they throw for a bad peer value (the JDK's X25519 throws IllegalStateException
            // for a small-order point): whatever it is, the peer's share was at fault, and nothing may escape advance()
            throw invalid("key share rejected by the provider: " + e.getClass().getSimpleName());
        }
    }

    private static ECPoint decodeAndValidatePoint(byte[] encoded, ECParameterSpec params) {
        int size = fieldBytes(params);
        // RFC 8422 §5.4.1 / RFC 8446 §4.2.8.2: only the uncompressed form 0x04 || X || Y
        if (encoded.length != 1 + 2 * size || encoded[0] != 4) {
            throw invalid("EC point is not an uncompressed point of this curve");
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(encoded, 1, 1 + size));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(encoded, 1 + size, encoded.length));
        BigInteger p = ((ECFieldFp) params.getCurve().getField()).getP();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            throw invalid("EC point coordinate out of range");
        }
        // y^2 = x^3 + a x + b (mod p): an off-curve point enables invalid-curve attacks on the static-looking key
        BigInteger left = y.multiply(y).mod(p);
        BigInteger right = x.pow(3).add(params.getCurve().getA().multiply(x)).add(params.getCurve().getB()).mod(p);
        if (!left.equals(right)) {
            throw invalid("EC point is not on the curve");
        }
        return new ECPoint(x, y);
    }

    private static byte[] encodePoint(ECPoint point, int size) {
        byte[] out = new byte[1 + 2 * size];
        out[0] = 4;
        copyFixed(point.getAffineX(), out, 1, size);
        copyFixed(point.getAffineY(), out, 1 + size, size);
        return out;
    }

    private static void copyFixed(BigInteger value, byte[] out, int offset, int size) {
        byte[] bytes = value.toByteArray();
        int start = Math.max(0, bytes.length - size);
        int length = bytes.length - start;
        System.arraycopy(bytes, start, out, offset + size - length, length);
    }

    private static int fieldBytes(ECParameterSpec params) {
        return (params.getCurve().getField().getFieldSize() + 7) / 8;
    }

    private static String curveName(NamedGroup group) {
        if (group.equals(NamedGroup.SECP256R1)) {
            return "secp256r1";
        }
        if (group.equals(NamedGroup.SECP384R1)) {
            return "secp384r1";
        }
        throw new IllegalArgumentException("unsupported group " + group);
    }

    private static boolean isAllZero(byte[] bytes) {
        int acc = 0;
        for (byte b : bytes) {
            acc |= b;
        }
        return acc == 0;
    }

    private static TlsAlertException invalid(String reason) {
        return new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, reason);
    }
}
