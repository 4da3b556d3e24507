package dev.handshake.tls.keyschedule;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.Secret;
import dev.handshake.tls.record.ProtectionState;
import dev.handshake.tls.suite.CipherSuite;
import dev.handshake.tls.suite.PrfHash;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The TLS 1.3 key schedule (RFC 8446 §7.1) as typed stages: {@link EarlySecret} -> {@link HandshakeSecret} ->
 * {@link MasterSecret}, each yielding {@link TrafficSecret}s, so application keys can only come from the master
 * secret and handshake keys only from the handshake secret. HKDF (RFC 5869) is built here on the provider's HMAC: the
 * construction is protocol code, the primitive is the provider's.
 *
 * <p>Every stage is a record of plain values (the hash and a {@link Secret}), so it serializes with the connection.
 */
public final class Tls13KeySchedule {

    // RFC 8446 §7.1: the labels, spelled as there; HKDF-Expand-Label prepends "tls13 ".
    public static final String LABEL_PREFIX = "tls13 ";
    public static final String EXT_BINDER = "ext binder";
    public static final String RES_BINDER = "res binder";
    public static final String C_E_TRAFFIC = "c e traffic";
    public static final String E_EXP_MASTER = "e exp master";
    public static final String DERIVED = "derived";
    public static final String C_HS_TRAFFIC = "c hs traffic";
    public static final String S_HS_TRAFFIC = "s hs traffic";
    public static final String C_AP_TRAFFIC = "c ap traffic";
    public static final String S_AP_TRAFFIC = "s ap traffic";
    public static final String EXP_MASTER = "exp master";
    public static final String RES_MASTER = "res master";
    // RFC 8446 §4.4.4, §7.3, §7.2, §7.5, §4.6.1
    public static final String FINISHED = "finished";
    public static final String KEY = "key";
    public static final String IV = "iv";
    public static final String TRAFFIC_UPD = "traffic upd";
    public static final String EXPORTER = "exporter";
    public static final String RESUMPTION = "resumption";

    /** RFC 8446 §5.3: iv_length = max(8, N_MIN) = 12 for every TLS 1.3 AEAD. */
    public static final int IV_LENGTH = 12;

    private Tls13KeySchedule() {
    }

    /** RFC 5869 §2.2: HKDF-Extract(salt, IKM) = HMAC-Hash(salt, IKM); an empty salt is HashLen zeros. */
    public static byte[] hkdfExtract(CryptoProvider crypto, PrfHash hash, byte[] salt, byte[] ikm) {
        byte[] key = salt.length == 0 ? new byte[hash.length()] : salt;
        return hmac(crypto, hash, key, ikm);
    }

    /** RFC 5869 §2.3: HKDF-Expand(PRK, info, L), T(i) = HMAC(PRK, T(i-1) | info | i). */
    public static byte[] hkdfExpand(CryptoProvider crypto, PrfHash hash, byte[] prk, byte[] info, int length) {
        if (length < 0 || length > 255 * hash.length()) {
            throw new IllegalArgumentException("HKDF-Expand length " + length + " out of range");
        }
        try {
            Mac mac = crypto.mac(hash.hmac());
            mac.init(new SecretKeySpec(prk, mac.getAlgorithm()));
            byte[] out = new byte[length];
            byte[] previous = Bytes.EMPTY;
            for (int at = 0, counter = 1; at < length; counter++) {
                mac.update(previous);
                mac.update(info);
                mac.update((byte) counter);
                previous = mac.doFinal();
                int n = Math.min(previous.length, length - at);
                System.arraycopy(previous, 0, out, at, n);
                at += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC unavailable for HKDF", e);
        }
    }

    /** RFC 8446 §7.1: HkdfLabel = uint16 length || opaque label<7..255> ("tls13 " + Label) || opaque context<0..255>. */
    public static byte[] hkdfLabel(String label, byte[] context, int length) {
        // written straight into one array: a handshake derives about twenty of these, and building each from a
        // concatenated String, its getBytes and a concat of five arrays was a visible share of the key schedule's time
        int labelLength = LABEL_PREFIX.length() + label.length();
        if (labelLength > 255 || context.length > 255) {
            throw new IllegalArgumentException("label or context too long");
        }
        byte[] out = new byte[2 + 1 + labelLength + 1 + context.length];
        out[0] = (byte) (length >>> 8);
        out[1] = (byte) length;
        out[2] = (byte) labelLength;
        int at = ascii(label, out, ascii(LABEL_PREFIX, out, 3));
        out[at++] = (byte) context.length;
        System.arraycopy(context, 0, out, at, context.length);
        return out;
    }

    /** Writes an ASCII label at {@code at}, returning the index after it; the labels are RFC 8446's, never user text. */
    private static int ascii(String text, byte[] out, int at) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > 0x7f) {
                throw new IllegalArgumentException("label is not ASCII");
            }
            out[at++] = (byte) c;
        }
        return at;
    }

    public static byte[] hkdfExpandLabel(CryptoProvider crypto, PrfHash hash, byte[] secret, String label,
                                         byte[] context, int length) {
        return hkdfExpand(crypto, hash, secret, hkdfLabel(label, context, length), length);
    }

    /** RFC 8446 §7.1: Derive-Secret(Secret, Label, Messages), here given Transcript-Hash(Messages). */
    public static byte[] deriveSecret(CryptoProvider crypto, PrfHash hash, byte[] secret, String label,
                                      byte[] transcriptHash) {
        return hkdfExpandLabel(crypto, hash, secret, label, transcriptHash, hash.length());
    }

    /** Transcript-Hash(M1 || ... || Mn) over the concatenated handshake messages with their headers (§4.4.1). */
    public static byte[] transcriptHash(CryptoProvider crypto, PrfHash hash, byte[] messages) {
        MessageDigest digest = crypto.messageDigest(hash.digest());
        return digest.digest(messages);
    }

    /**
     * RFC 8446 §4.4.1: after HelloRetryRequest, ClientHello1 is replaced in the transcript by the synthetic
     * message_hash message: type 254, length Hash.length, Hash(ClientHello1).
     */
    public static byte[] messageHash(CryptoProvider crypto, PrfHash hash, byte[] clientHello1) {
        byte[] digest = transcriptHash(crypto, hash, clientHello1);
        return Bytes.concat(new byte[] {(byte) 254, 0, 0, (byte) digest.length}, digest);
    }

    /**
     * RFC 8446 §4.4.3: what CertificateVerify signs: 64 spaces, the context string, a zero byte, then the transcript
     * hash, so a TLS 1.3 signature can never be replayed as another protocol's or the other role's.
     */
    public static byte[] certificateVerifyContent(boolean server, byte[] transcriptHash) {
        byte[] spaces = new byte[64];
        java.util.Arrays.fill(spaces, (byte) 0x20);
        byte[] context = ("TLS 1.3, " + (server ? "server" : "client") + " CertificateVerify")
                .getBytes(StandardCharsets.US_ASCII);
        return Bytes.concat(spaces, context, new byte[] {0}, transcriptHash);
    }

    static byte[] hmac(CryptoProvider crypto, PrfHash hash, byte[] key, byte[] data) {
        try {
            Mac mac = crypto.mac(hash.hmac());
            mac.init(new SecretKeySpec(key, mac.getAlgorithm()));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC unavailable", e);
        }
    }

    private static byte[] emptyHash(CryptoProvider crypto, PrfHash hash) {
        return transcriptHash(crypto, hash, Bytes.EMPTY);
    }

    /** The first stage: HKDF-Extract(0, PSK), with a zero PSK when no PSK is in use (§7.1). */
    public record EarlySecret(PrfHash hash, Secret secret) {

        public static EarlySecret of(CryptoProvider crypto, PrfHash hash, Secret psk) {
            byte[] ikm = psk == null ? new byte[hash.length()] : psk.bytes();
            return new EarlySecret(hash, new Secret(hkdfExtract(crypto, hash, Bytes.EMPTY, ikm)));
        }

        /** binder_key: "ext binder" for external PSKs, "res binder" for resumption PSKs (§7.1, §4.2.11.2). */
        public Secret binderKey(CryptoProvider crypto, boolean external) {
            return new Secret(deriveSecret(crypto, hash, secret.bytes(), external ? EXT_BINDER : RES_BINDER,
                    emptyHash(crypto, hash)));
        }

        public TrafficSecret clientEarlyTrafficSecret(CryptoProvider crypto, byte[] clientHelloHash) {
            return new TrafficSecret(hash, new Secret(deriveSecret(crypto, hash, secret.bytes(), C_E_TRAFFIC,
                    clientHelloHash)));
        }

        public Secret earlyExporterMasterSecret(CryptoProvider crypto, byte[] clientHelloHash) {
            return new Secret(deriveSecret(crypto, hash, secret.bytes(), E_EXP_MASTER, clientHelloHash));
        }

        /** The next stage: HKDF-Extract(Derive-Secret(., "derived", ""), (EC)DHE shared secret). */
        public HandshakeSecret handshakeSecret(CryptoProvider crypto, Secret sharedSecret) {
            byte[] salt = deriveSecret(crypto, hash, secret.bytes(), DERIVED, emptyHash(crypto, hash));
            return new HandshakeSecret(hash, new Secret(hkdfExtract(crypto, hash, salt, sharedSecret.bytes())));
        }
    }

    /** The second stage: the handshake traffic secrets, over ClientHello...ServerHello. */
    public record HandshakeSecret(PrfHash hash, Secret secret) {

        public TrafficSecret clientHandshakeTrafficSecret(CryptoProvider crypto, byte[] helloHash) {
            return new TrafficSecret(hash, new Secret(deriveSecret(crypto, hash, secret.bytes(), C_HS_TRAFFIC, helloHash)));
        }

        public TrafficSecret serverHandshakeTrafficSecret(CryptoProvider crypto, byte[] helloHash) {
            return new TrafficSecret(hash, new Secret(deriveSecret(crypto, hash, secret.bytes(), S_HS_TRAFFIC, helloHash)));
        }

        /** The next stage: HKDF-Extract(Derive-Secret(., "derived", ""), 0). */
        public MasterSecret masterSecret(CryptoProvider crypto) {
            byte[] salt = deriveSecret(crypto, hash, secret.bytes(), DERIVED, emptyHash(crypto, hash));
            return new MasterSecret(hash, new Secret(hkdfExtract(crypto, hash, salt, new byte[hash.length()])));
        }
    }

    /** The last stage: application traffic, exporter and resumption secrets. */
    public record MasterSecret(PrfHash hash, Secret secret) {

        /** Over ClientHello...server Finished. */
        public TrafficSecret clientApplicationTrafficSecret(CryptoProvider crypto, byte[] serverFinishedHash) {
            return new TrafficSecret(hash, new Secret(deriveSecret(crypto, hash, secret.bytes(), C_AP_TRAFFIC,
                    serverFinishedHash)));
        }

        public TrafficSecret serverApplicationTrafficSecret(CryptoProvider crypto, byte[] serverFinishedHash) {
            return new TrafficSecret(hash, new Secret(deriveSecret(crypto, hash, secret.bytes(), S_AP_TRAFFIC,
                    serverFinishedHash)));
        }

        /** Over ClientHello...server Finished. */
        public Secret exporterMasterSecret(CryptoProvider crypto, byte[] serverFinishedHash) {
            return new Secret(deriveSecret(crypto, hash, secret.bytes(), EXP_MASTER, serverFinishedHash));
        }

        /** Over ClientHello...client Finished. */
        public Secret resumptionMasterSecret(CryptoProvider crypto, byte[] clientFinishedHash) {
            return new Secret(deriveSecret(crypto, hash, secret.bytes(), RES_MASTER, clientFinishedHash));
        }
    }

    /** One direction's traffic secret (handshake or application), from which its keys and Finished key come. */
    public record TrafficSecret(PrfHash hash, Secret secret) {

        /** RFC 8446 §7.3: [sender]_write_key = HKDF-Expand-Label(Secret, "key", "", key_length). */
        public Secret key(CryptoProvider crypto, CipherSuite suite) {
            return new Secret(hkdfExpandLabel(crypto, hash, secret.bytes(), KEY, Bytes.EMPTY, suite.cipher().keyLength()));
        }

        /** RFC 8446 §7.3: [sender]_write_iv = HKDF-Expand-Label(Secret, "iv", "", iv_length). */
        public byte[] iv(CryptoProvider crypto) {
            return hkdfExpandLabel(crypto, hash, secret.bytes(), IV, Bytes.EMPTY, IV_LENGTH);
        }

        /** The record protection these keys give, at sequence number 0 (§5.3). */
        public ProtectionState protection(CryptoProvider crypto, CipherSuite suite) {
            return ProtectionState.tls13(suite, key(crypto, suite), iv(crypto));
        }

        /** RFC 8446 §4.4.4: finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length). */
        public Secret finishedKey(CryptoProvider crypto) {
            return new Secret(hkdfExpandLabel(crypto, hash, secret.bytes(), FINISHED, Bytes.EMPTY, hash.length()));
        }

        /** RFC 8446 §4.4.4: verify_data = HMAC(finished_key, Transcript-Hash(Handshake Context, Certificate*, CertificateVerify*)). */
        public byte[] finishedVerifyData(CryptoProvider crypto, byte[] transcriptHash) {
            return hmac(crypto, hash, finishedKey(crypto).bytes(), transcriptHash);
        }

        /** RFC 8446 §7.2: application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd", "", Hash.length). */
        public TrafficSecret next(CryptoProvider crypto) {
            return new TrafficSecret(hash, new Secret(hkdfExpandLabel(crypto, hash, secret.bytes(), TRAFFIC_UPD,
                    Bytes.EMPTY, hash.length())));
        }
    }

    /**
     * RFC 8446 §7.5: TLS-Exporter(label, context_value, key_length) = HKDF-Expand-Label(Derive-Secret(Secret, label,
     * ""), "exporter", Hash(context_value), key_length).
     */
    public static byte[] exporter(CryptoProvider crypto, PrfHash hash, Secret exporterMasterSecret, String label,
                                  byte[] context, int length) {
        byte[] derived = deriveSecret(crypto, hash, exporterMasterSecret.bytes(), label, emptyHash(crypto, hash));
        return hkdfExpandLabel(crypto, hash, derived, EXPORTER, transcriptHash(crypto, hash, context), length);
    }

    /**
     * RFC 8446 §4.2.11.2: a PSK binder is computed as a Finished is, with the binder key as the base key, over the
     * transcript up to and including Truncate(ClientHello) (after HelloRetryRequest, message_hash and the HRR first).
     */
    public static byte[] binder(CryptoProvider crypto, PrfHash hash, Secret binderKey, byte[] truncatedTranscript) {
        return new TrafficSecret(hash, binderKey).finishedVerifyData(crypto, transcriptHash(crypto, hash, truncatedTranscript));
    }

    /** RFC 8446 §4.6.1: the PSK of a ticket = HKDF-Expand-Label(resumption_master_secret, "resumption", nonce, Hash.length). */
    public static Secret resumptionPsk(CryptoProvider crypto, PrfHash hash, Secret resumptionMasterSecret, byte[] nonce) {
        return new Secret(hkdfExpandLabel(crypto, hash, resumptionMasterSecret.bytes(), RESUMPTION, nonce, hash.length()));
    }
}
