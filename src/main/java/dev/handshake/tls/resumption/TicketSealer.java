package dev.handshake.tls.resumption;

import dev.handshake.tls.TicketKeys;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.Primitive;
import dev.handshake.tls.crypto.ReusedCiphers;
import java.security.GeneralSecurityException;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals {@link TicketContents} into an opaque ticket and opens it again:
 * {@code opaque key_id<1..16> || nonce[12] || AES-256-GCM(key, nonce, aad = key_id, contents)}. The key id lets a
 * server holding several {@link TicketKeys} pick the right one; the tag makes any change to the ticket (or its key
 * id) fail to open, and a failure to open is never an error: the server just does a full handshake (RFC 5077 §3.3,
 * RFC 8446 §4.2.11).
 */
public final class TicketSealer {

    private static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = 128;

    private TicketSealer() {
    }

    /**
     * The largest ticket we issue: both NewSessionTicket messages carry it as {@code opaque ticket<..2^16-1>} (RFC
     * 8446 §4.6.1, RFC 5077 §3.3), and a ticket holds the client's certificate chain, which can be longer.
     */
    public static final int MAX_TICKET_LENGTH = 0xFFFF;

    /** The sealed ticket, or empty when it would exceed {@link #MAX_TICKET_LENGTH} (then none is issued). */
    public static Optional<byte[]> seal(CryptoProvider crypto, TicketKeys.Key key, TicketContents contents) {
        byte[] plaintext = contents.encode();
        byte[] id = key.id();
        if (1 + id.length + NONCE_LENGTH + plaintext.length + TAG_BITS / 8 > MAX_TICKET_LENGTH) {
            return Optional.empty();
        }
        byte[] nonce = new byte[NONCE_LENGTH];
        crypto.randomBytes(nonce);
        try {
            // the thread's cipher for this key: a cipher lookup and Corretto's AES key setup per ticket were half
            // the NewSessionTicket's cost in a proxied TLS 1.3 handshake (JFR, docs/benchmarks-proxy.md)
            Cipher cipher = ReusedCiphers.initialized(crypto, Primitive.AES_GCM, key.secret(), "AES",
                    Cipher.ENCRYPT_MODE, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(id);
            byte[] sealed = cipher.doFinal(plaintext);
            return Optional.of(new TlsWriter().vector8(id).bytes(nonce).bytes(sealed).toByteArray());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a ticket", e);
        }
    }

    /** The contents of {@code ticket} if one of {@code keys} sealed it and it is intact; otherwise empty. */
    public static Optional<TicketContents> open(CryptoProvider crypto, TicketKeys keys, byte[] ticket) {
        try {
            TlsReader r = TlsReader.of(ticket);
            byte[] id = r.vector8(1, "key_id");
            byte[] nonce = r.bytes(NONCE_LENGTH, "nonce");
            byte[] sealed = r.rest();
            Optional<TicketKeys.Key> key = keys.find(id);
            if (key.isEmpty() || sealed.length < TAG_BITS / 8) {
                return Optional.empty();
            }
            Cipher cipher = ReusedCiphers.initialized(crypto, Primitive.AES_GCM, key.get().secret(), "AES",
                    Cipher.DECRYPT_MODE, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(id);
            return Optional.of(TicketContents.decode(cipher.doFinal(sealed)));
        } catch (GeneralSecurityException | RuntimeException e) {
            // tampered, truncated or from a key we no longer hold: not resumable, and not the client's fault
            return Optional.empty();
        }
    }

    /** A ticket_age_add or similar 32-bit random value. */
    public static long randomUint32(CryptoProvider crypto) {
        byte[] b = new byte[4];
        crypto.randomBytes(b);
        return ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
    }
}
