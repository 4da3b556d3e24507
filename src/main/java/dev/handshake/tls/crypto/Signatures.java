package dev.handshake.tls.crypto;

import dev.handshake.tls.wire.ProtocolVersion;
import dev.handshake.tls.wire.SignatureScheme;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signing and verifying with TLS signature schemes (RFC 8446 §4.2.3; RFC 5246 §7.4.1.4.1 reads the same code points
 * as hash and signature bytes), and the choice of a scheme for our key from what the peer offers.
 */
public final class Signatures {

    /**
     * What we offer in signature_algorithms and prefer when choosing, strongest-and-cheapest first: ECDSA and Ed25519
     * (small, fast signatures), then RSA-PSS (the only RSA signature TLS 1.3 allows), then PKCS#1 v1.5 for TLS 1.2
     * peers without PSS. No SHA-1 and no MD5 (RFC 9155); no P-521, which no client needs and we have no certificate
     * for.
     */
    public static final List<SignatureScheme> DEFAULT_PREFERENCE = List.of(
            SignatureScheme.ECDSA_SECP256R1_SHA256,
            SignatureScheme.ECDSA_SECP384R1_SHA384,
            SignatureScheme.ED25519,
            SignatureScheme.RSA_PSS_RSAE_SHA256,
            SignatureScheme.RSA_PSS_RSAE_SHA384,
            SignatureScheme.RSA_PSS_RSAE_SHA512,
            SignatureScheme.RSA_PSS_PSS_SHA256,
            SignatureScheme.RSA_PSS_PSS_SHA384,
            SignatureScheme.RSA_PSS_PSS_SHA512,
            SignatureScheme.RSA_PKCS1_SHA256,
            SignatureScheme.RSA_PKCS1_SHA384,
            SignatureScheme.RSA_PKCS1_SHA512);

    /** The key type and hash behind each scheme we implement. */
    private enum KeyType { RSA, RSA_PSS, EC, ED25519 }

    private record Algorithm(KeyType keyType, Primitive primitive, String pssHash, int pssSaltLength, Curve curve) {
    }

    /** The NIST curves by group order, which identifies them among all standard curves whatever provider made the key. */
    private enum Curve {
        SECP256R1("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"),
        SECP384R1("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973"),
        SECP521R1("1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03"
                + "bb5c9b8899c47aebb6fb71e91386409");

        private final BigInteger order;

        Curve(String orderHex) {
            this.order = new BigInteger(orderHex, 16);
        }
    }

    private static final Map<SignatureScheme, Algorithm> ALGORITHMS = Map.ofEntries(
            Map.entry(SignatureScheme.RSA_PKCS1_SHA1, pkcs1(Primitive.SHA1_WITH_RSA)),
            Map.entry(SignatureScheme.RSA_PKCS1_SHA256, pkcs1(Primitive.SHA256_WITH_RSA)),
            Map.entry(SignatureScheme.RSA_PKCS1_SHA384, pkcs1(Primitive.SHA384_WITH_RSA)),
            Map.entry(SignatureScheme.RSA_PKCS1_SHA512, pkcs1(Primitive.SHA512_WITH_RSA)),
            // RFC 8446 §4.2.3: MGF1 with the same hash, salt as long as the digest.
            Map.entry(SignatureScheme.RSA_PSS_RSAE_SHA256, pss(KeyType.RSA, "SHA-256", 32)),
            Map.entry(SignatureScheme.RSA_PSS_RSAE_SHA384, pss(KeyType.RSA, "SHA-384", 48)),
            Map.entry(SignatureScheme.RSA_PSS_RSAE_SHA512, pss(KeyType.RSA, "SHA-512", 64)),
            Map.entry(SignatureScheme.RSA_PSS_PSS_SHA256, pss(KeyType.RSA_PSS, "SHA-256", 32)),
            Map.entry(SignatureScheme.RSA_PSS_PSS_SHA384, pss(KeyType.RSA_PSS, "SHA-384", 48)),
            Map.entry(SignatureScheme.RSA_PSS_PSS_SHA512, pss(KeyType.RSA_PSS, "SHA-512", 64)),
            // The curve is bound to the hash in TLS 1.3 only; TLS 1.2 reads these as "ECDSA with hash" (RFC 8422 §5.1.3).
            Map.entry(SignatureScheme.ECDSA_SHA1, new Algorithm(KeyType.EC, Primitive.SHA1_WITH_ECDSA, null, 0, null)),
            Map.entry(SignatureScheme.ECDSA_SECP256R1_SHA256,
                    new Algorithm(KeyType.EC, Primitive.SHA256_WITH_ECDSA, null, 0, Curve.SECP256R1)),
            Map.entry(SignatureScheme.ECDSA_SECP384R1_SHA384,
                    new Algorithm(KeyType.EC, Primitive.SHA384_WITH_ECDSA, null, 0, Curve.SECP384R1)),
            Map.entry(SignatureScheme.ECDSA_SECP521R1_SHA512,
                    new Algorithm(KeyType.EC, Primitive.SHA512_WITH_ECDSA, null, 0, Curve.SECP521R1)),
            Map.entry(SignatureScheme.ED25519, new Algorithm(KeyType.ED25519, Primitive.ED25519, null, 0, null)));

    private Signatures() {
    }

    private static Algorithm pkcs1(Primitive primitive) {
        return new Algorithm(KeyType.RSA, primitive, null, 0, null);
    }

    private static Algorithm pss(KeyType keyType, String hash, int saltLength) {
        Primitive primitive = keyType == KeyType.RSA ? Primitive.RSASSA_PSS : Primitive.RSASSA_PSS_WITH_PSS_KEY;
        return new Algorithm(keyType, primitive, hash, saltLength, null);
    }

    /** Whether this engine can sign and verify with {@code scheme} at all. */
    public static boolean supported(SignatureScheme scheme) {
        return ALGORITHMS.containsKey(scheme);
    }

    /** The primitive that makes and checks {@code scheme} signatures, or empty for a scheme we do not implement. */
    public static Optional<Primitive> primitive(SignatureScheme scheme) {
        return Optional.ofNullable(ALGORITHMS.get(scheme)).map(Algorithm::primitive);
    }

    /**
     * Signs {@code data} with {@code scheme}. The caller has chosen a scheme {@link #compatible} with the key, so a
     * failure here is a fault of ours or of the deployment (IllegalStateException), not of the peer.
     */
    public static byte[] sign(CryptoProvider provider, SignatureScheme scheme, PrivateKey key, byte[] data) {
        Algorithm algorithm = ALGORITHMS.get(scheme);
        if (algorithm == null) {
            throw new IllegalArgumentException("unsupported signature scheme " + scheme);
        }
        try {
            Signature signature = provider.signature(algorithm.primitive());
            configure(signature, algorithm);
            signature.initSign(provider.nativePrivateKey(algorithm.primitive(), key), provider.secureRandom());
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + scheme + " and a " + key.getAlgorithm() + " key", e);
        }
    }

    /**
     * Verifies a peer's signature. Every failure is {@code false}: a malformed or truncated signature, a key that does
     * not fit the scheme, a scheme we do not implement. The caller turns false into decrypt_error (RFC 8446 §4.4.3,
     * RFC 5246 §7.4.8); what exactly failed is of no use to the peer.
     */
    public static boolean verify(CryptoProvider provider, SignatureScheme scheme, PublicKey key, byte[] data,
            byte[] signature) {
        Algorithm algorithm = ALGORITHMS.get(scheme);
        if (algorithm == null || !fitsKeyType(algorithm, key)) {
            return false;
        }
        try {
            Signature verifier = provider.signature(algorithm.primitive());
            configure(verifier, algorithm);
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            // Providers throw SignatureException for bad DER, and some throw unchecked exceptions on odd lengths.
            return false;
        }
    }

    /**
     * Whether {@code key} can make (or check) {@code scheme} signatures as TLS 1.3 defines them (RFC 8446 §4.2.3):
     * rsa_pkcs1 and rsa_pss_rsae need an rsaEncryption key, rsa_pss_pss an id-RSASSA-PSS key, and each ECDSA scheme
     * a key on its own curve.
     */
    public static boolean compatible(SignatureScheme scheme, PublicKey key) {
        Algorithm algorithm = ALGORITHMS.get(scheme);
        if (algorithm == null || !fitsKeyType(algorithm, key)) {
            return false;
        }
        return algorithm.curve() == null || algorithm.curve() == curveOf((ECKey) key);
    }

    /**
     * Chooses the scheme to sign with: the first of {@code ourPreference} that the peer offered, that fits
     * {@code ourKey}, and that {@code version} allows.
     * <ul>
     * <li>TLS 1.2: never SHA-1 or MD5 (RFC 9155 §5). An ECDSA scheme names only the hash there (RFC 8422 §5.1.3), so
     *     a key on another curve may use it, but a scheme matching the key's curve is preferred.</li>
     * <li>TLS 1.3: no rsa_pkcs1 schemes (RFC 8446 §4.2.3, they are for certificates only), no SHA-1, and each ECDSA
     *     scheme only with its own curve.</li>
     * <li>Before TLS 1.2 there is no signature_algorithms (the signature is fixed by the key type), so nothing is
     *     chosen here.</li>
     * </ul>
     * A TLS 1.2 client that sends no signature_algorithms implies SHA-1 (RFC 5246 §7.4.1.4.1), which RFC 9155 forbids:
     * the caller passes an empty list and gets empty, i.e. handshake_failure.
     */
    public static Optional<SignatureScheme> choose(List<SignatureScheme> peerOffered, List<SignatureScheme> ourPreference,
            PublicKey ourKey, ProtocolVersion version) {
        if (!version.isAtLeast(ProtocolVersion.TLS1_2)) {
            return Optional.empty();
        }
        boolean tls13 = version.isAtLeast(ProtocolVersion.TLS1_3);
        Optional<SignatureScheme> exact = ourPreference.stream()
                .filter(peerOffered::contains)
                .filter(s -> allowedIn(s, tls13))
                .filter(s -> compatible(s, ourKey))
                .findFirst();
        if (exact.isPresent() || tls13) {
            return exact;
        }
        return ourPreference.stream()
                .filter(peerOffered::contains)
                .filter(s -> allowedIn(s, false))
                .filter(s -> {
                    Algorithm algorithm = ALGORITHMS.get(s);
                    return algorithm != null && algorithm.keyType() == KeyType.EC && fitsKeyType(algorithm, ourKey);
                })
                .findFirst();
    }

    private static boolean allowedIn(SignatureScheme scheme, boolean tls13) {
        int hash = scheme.code() >>> 8;
        // RFC 9155 §5 (TLS 1.2) and RFC 8446 §4.2.3 (TLS 1.3): the legacy hash byte 1 is MD5, 2 is SHA-1.
        if (hash == 1 || hash == 2) {
            return false;
        }
        if (tls13) {
            // RFC 8446 §4.2.3: "RSASSA-PKCS1-v1_5 ... MUST NOT be used for signed TLS handshake messages".
            return !(scheme.equals(SignatureScheme.RSA_PKCS1_SHA256) || scheme.equals(SignatureScheme.RSA_PKCS1_SHA384)
                    || scheme.equals(SignatureScheme.RSA_PKCS1_SHA512));
        }
        return true;
    }

    private static void configure(Signature signature, Algorithm algorithm) throws GeneralSecurityException {
        if (algorithm.pssHash() != null) {
            signature.setParameter(new PSSParameterSpec(algorithm.pssHash(), "MGF1",
                    new MGF1ParameterSpec(algorithm.pssHash()), algorithm.pssSaltLength(), 1));
        }
    }

    private static boolean fitsKeyType(Algorithm algorithm, Key key) {
        switch (algorithm.keyType()) {
            case RSA:
                return key instanceof RSAKey && "RSA".equalsIgnoreCase(key.getAlgorithm());
            case RSA_PSS:
                return key instanceof RSAKey && "RSASSA-PSS".equalsIgnoreCase(key.getAlgorithm());
            case EC:
                return key instanceof ECKey;
            case ED25519:
                return isEd25519(key);
            default:
                return false;
        }
    }

    private static boolean isEd25519(Key key) {
        if (key instanceof EdECKey) {
            // The JDK and Corretto call every Edwards key "EdDSA"; the curve is in the parameters.
            return "Ed25519".equalsIgnoreCase(((EdECKey) key).getParams().getName());
        }
        return "Ed25519".equalsIgnoreCase(key.getAlgorithm());
    }

    private static Curve curveOf(ECKey key) {
        BigInteger order = key.getParams().getOrder();
        for (Curve curve : Curve.values()) {
            if (curve.order.equals(order)) {
                return curve;
            }
        }
        return null;
    }
}
