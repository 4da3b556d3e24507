package dev.handshake.tls.message;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.wire.ExtensionType;
import dev.handshake.tls.wire.HandshakeType;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The TLS 1.3 NewSessionTicket (RFC 8446 §4.6.1): {@code uint32 ticket_lifetime}, {@code uint32 ticket_age_add},
 * {@code opaque ticket_nonce<0..255>}, {@code opaque ticket<1..2^16-1>}, {@code Extension extensions<0..2^16-2>}.
 * The 7-day lifetime cap is policy for the sender and the cache, not a decoding rule.
 */
public record NewSessionTicket13(long lifetimeSeconds, long ageAdd, byte[] nonce, byte[] ticket,
                                 List<Extension> extensions) implements HandshakeMessage {

    public NewSessionTicket13 {
        nonce = nonce.clone();
        ticket = ticket.clone();
        extensions = Extensions.checkedCopy(extensions);
        if (lifetimeSeconds < 0 || lifetimeSeconds > 0xffffffffL || ageAdd < 0 || ageAdd > 0xffffffffL) {
            throw new IllegalArgumentException("ticket_lifetime and ticket_age_add are uint32");
        }
        if (nonce.length > 0xff) {
            throw new IllegalArgumentException("ticket_nonce<0..255>");
        }
        if (ticket.length < 1 || ticket.length > 0xffff) {
            throw new IllegalArgumentException("ticket<1..2^16-1>");
        }
    }

    public static NewSessionTicket13 decode(byte[] body) {
        TlsReader r = TlsReader.of(body);
        long lifetime = r.u32("ticket_lifetime");
        long ageAdd = r.u32("ticket_age_add");
        byte[] nonce = r.vector8(0, "ticket_nonce");
        byte[] ticket = r.vector16(1, "ticket");
        List<Extension> extensions = Extensions.decodeList(r);
        r.finish("NewSessionTicket");
        return new NewSessionTicket13(lifetime, ageAdd, nonce, ticket, extensions);
    }

    public Optional<Extension> extension(ExtensionType type) {
        return Extensions.find(extensions, type);
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.NEW_SESSION_TICKET;
    }

    @Override
    public void encodeBody(TlsWriter out) {
        out.u32(lifetimeSeconds);
        out.u32(ageAdd);
        out.vector8(nonce);
        out.vector16(ticket);
        Extensions.encodeList(out, extensions);
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public byte[] ticket() {
        return ticket.clone();
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("ticket_lifetime", lifetimeSeconds);
        fields.put("ticket_age_add", ageAdd);
        fields.put("ticket_nonce", Bytes.hex(nonce));
        fields.put("ticket", Bytes.hex(ticket));
        fields.put("extensions", Extensions.describe(extensions));
        return fields;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NewSessionTicket13 other && lifetimeSeconds == other.lifetimeSeconds
                && ageAdd == other.ageAdd && Arrays.equals(nonce, other.nonce) && Arrays.equals(ticket, other.ticket)
                && extensions.equals(other.extensions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lifetimeSeconds, ageAdd, Arrays.hashCode(nonce), Arrays.hashCode(ticket), extensions);
    }

    @Override
    public String toString() {
        return "NewSessionTicket13[lifetime " + lifetimeSeconds + " s, " + ticket.length + " bytes, " + extensions + "]";
    }
}
