package dev.handshake.tls.message.extension;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;

import java.util.Arrays;

/**
 * One offered PSK (RFC 8446 §4.2.11): {@code opaque identity<1..2^16-1>} (a ticket, or an external PSK's label) and
 * {@code uint32 obfuscated_ticket_age} (the ticket age plus ticket_age_add, mod 2^32; 0 for external PSKs).
 */
public record PskIdentity(byte[] identity, long obfuscatedTicketAge) {

    public PskIdentity {
        identity = identity.clone();
        if (identity.length < 1 || identity.length > 0xffff) {
            throw new IllegalArgumentException("identity<1..2^16-1>");
        }
        if (obfuscatedTicketAge < 0 || obfuscatedTicketAge > 0xffffffffL) {
            throw new IllegalArgumentException("obfuscated_ticket_age is a uint32");
        }
    }

    public static PskIdentity decode(TlsReader r) {
        byte[] identity = r.vector16(1, "identity");
        long age = r.u32("obfuscated_ticket_age");
        return new PskIdentity(identity, age);
    }

    public void encode(TlsWriter w) {
        w.vector16(identity);
        w.u32(obfuscatedTicketAge);
    }

    @Override
    public byte[] identity() {
        return identity.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PskIdentity other && obfuscatedTicketAge == other.obfuscatedTicketAge
                && Arrays.equals(identity, other.identity);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(identity) + Long.hashCode(obfuscatedTicketAge);
    }

    @Override
    public String toString() {
        return "PskIdentity[" + Bytes.hex(identity) + ", age " + obfuscatedTicketAge + "]";
    }
}
