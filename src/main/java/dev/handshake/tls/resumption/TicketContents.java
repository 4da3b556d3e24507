package dev.handshake.tls.resumption;

import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.crypto.Secret;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.wire.ProtocolVersion;
import java.nio.charset.StandardCharsets;

/**
 * What a server puts inside a ticket (sealed by {@link TicketSealer}): everything resumption needs, so the server
 * keeps no per-session state (RFC 5077 §4, RFC 8446 §4.6.1). Never readable without the ticket key.
 *
 * @param secret              TLS 1.3: the resumption PSK; TLS 1.2: the master secret
 * @param createdAtMillis     when the ticket was issued (the provider's clock)
 * @param ageAdd              TLS 1.3 ticket_age_add, to de-obfuscate the client's ticket age
 * @param serverName          the SNI of the original connection (RFC 8446 §4.6.1: resumption only for the same name)
 * @param peerCertificateHash SHA-256 over the peer's chain (empty when the peer sent none): who the session was with
 */
public record TicketContents(
        ProtocolVersion version,
        CipherSuiteId cipherSuite,
        Secret secret,
        boolean extendedMasterSecret,
        long createdAtMillis,
        long ageAdd,
        long lifetimeSeconds,
        String serverName,
        String applicationProtocol,
        byte[] peerCertificateHash) {

    private static final int FORMAT = 1;

    public byte[] encode() {
        TlsWriter w = new TlsWriter();
        w.u8(FORMAT);
        w.u16(version.code());
        w.u16(cipherSuite.code());
        w.vector8(secret.bytes());
        w.u8(extendedMasterSecret ? 1 : 0);
        w.u64(createdAtMillis);
        w.u32(ageAdd);
        w.u32(lifetimeSeconds);
        w.vector16(text(serverName));
        w.vector8(text(applicationProtocol));
        w.vector8(peerCertificateHash);
        return w.toByteArray();
    }

    /** Decodes what {@link #encode} wrote; anything else fails with an exception (the caller ignores the ticket). */
    public static TicketContents decode(byte[] bytes) {
        TlsReader r = TlsReader.of(bytes);
        if (r.u8("format") != FORMAT) {
            throw new IllegalArgumentException("unknown ticket format");
        }
        ProtocolVersion version = new ProtocolVersion(r.u16("version"));
        CipherSuiteId suite = new CipherSuiteId(r.u16("cipher_suite"));
        Secret secret = new Secret(r.vector8(1, "secret"));
        boolean ems = r.u8("ems") == 1;
        long created = r.u64("created");
        long ageAdd = r.u32("age_add");
        long lifetime = r.u32("lifetime");
        String serverName = fromText(r.vector16(0, "server_name"));
        String alpn = fromText(r.vector8(0, "alpn"));
        byte[] peerHash = r.vector8(0, "peer_certificate_hash");
        r.finish("ticket contents");
        return new TicketContents(version, suite, secret, ems, created, ageAdd, lifetime, serverName, alpn, peerHash);
    }

    private static byte[] text(String value) {
        return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    }

    private static String fromText(byte[] value) {
        return value.length == 0 ? null : new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "TicketContents[" + version + ", " + cipherSuite + ", " + secret + "]";
    }
}
