package dev.handshake.tls.resumption;

import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.crypto.Secret;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.wire.ProtocolVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a server puts inside a ticket (sealed by {@link TicketSealer}): everything resumption needs, so the server
 * keeps no per-session state (RFC 5077 §4, RFC 8446 §4.6.1). Never readable without the ticket key.
 *
 * @param secret              TLS 1.3: the resumption PSK; TLS 1.2: the master secret
 * @param createdAtMillis     when the ticket was issued (the provider's clock)
 * @param ageAdd              TLS 1.3 ticket_age_add, to de-obfuscate the client's ticket age
 * @param serverName          the SNI of the original connection (RFC 8446 §4.6.1: resumption only for the same name)
 * @param peerCertificates    the peer's chain as DER, leaf first (empty when the peer sent none): who the session was
 *                            with, reported again when it resumes
 * @param resumptionContext   the {@link ResumptionContext#id} of the server that established the session: only a
 *                            server with the same id resumes it
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
        List<byte[]> peerCertificates,
        byte[] resumptionContext) {

    /**
     * 2: the resumption context and the peer's chain (1 had a hash of the chain and no context). A ticket of another
     * format does not decode, so it is simply not resumed: a full handshake.
     */
    private static final int FORMAT = 2;

    public TicketContents {
        peerCertificates = List.copyOf(peerCertificates);
        resumptionContext = resumptionContext.clone();
    }

    @Override
    public byte[] resumptionContext() {
        return resumptionContext.clone();
    }

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
        w.u16(peerCertificates.size());
        for (byte[] der : peerCertificates) {
            w.vector24(der);
        }
        w.vector8(resumptionContext);
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
        int certificates = r.u16("peer_certificates");
        List<byte[]> chain = new ArrayList<>();
        for (int i = 0; i < certificates; i++) {
            chain.add(r.vector24(1, "peer_certificate"));
        }
        byte[] context = r.vector8(0, "resumption_context");
        r.finish("ticket contents");
        return new TicketContents(version, suite, secret, ems, created, ageAdd, lifetime, serverName, alpn, chain,
                context);
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
