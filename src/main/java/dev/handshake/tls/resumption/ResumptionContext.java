package dev.handshake.tls.resumption;

import dev.handshake.tls.ClientAuth;
import dev.handshake.tls.Identity;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.Primitive;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The server configuration a resumable session belongs to (OpenSSL's "session id context"): what makes a resumed
 * session's authentication equivalent to a full handshake's here. Every ticket and session-cache entry carries its
 * {@link #id}, and a server resumes only sessions whose id equals its own (RFC 8446 §4.2.11 and §4.6.1: a PSK only
 * for a compatible connection; RFC 5077 §3.4 and RFC 5246 §7.4.1.2: resumption within the same context).
 *
 * <p>The inputs are the leaf certificate of every server identity (who the client authenticated), the client-auth
 * policy, the trust anchors client certificates were validated against (only when client certificates are asked for:
 * otherwise they never authenticate anyone), and an optional label from the caller (a proxy route's name, "relay").
 * Leaves and anchors are sorted, so their order in the configuration does not matter. Nothing random or per-process
 * goes in: replicas with the same configuration compute the same id, so tickets still resume across replicas.
 *
 * <p>Configuration, not connection state. The encoding is built once, when the {@code TlsConfig} is; the SHA-256 is
 * computed through the {@link CryptoProvider} on first use (a configuration has no provider of its own) and kept.
 */
public final class ResumptionContext {

    /** Changes whenever the encoding below does, so an id of another layout can never be equal by accident. */
    private static final int ENCODING_VERSION = 1;

    private final String label;
    private final byte[] encoding;
    /** Computed on first use; a race computes the same bytes twice, which is harmless. */
    private volatile byte[] id;

    private ResumptionContext(String label, byte[] encoding) {
        this.label = label;
        this.encoding = encoding;
    }

    /** The context of a server with these identities, client-auth policy, trust anchors and (nullable) label. */
    public static ResumptionContext of(String label, List<Identity> identities, ClientAuth clientAuth,
                                       List<X509Certificate> trustAnchors) {
        TlsWriter w = new TlsWriter();
        w.u8(ENCODING_VERSION);
        w.vector16(label == null ? Bytes.EMPTY : label.getBytes(StandardCharsets.UTF_8));
        List<byte[]> leaves = new ArrayList<>();
        for (Identity identity : identities) {
            leaves.add(der(identity.leaf()));
        }
        writeSorted(w, leaves);
        w.vector8(clientAuth.name().getBytes(StandardCharsets.US_ASCII));
        List<byte[]> anchors = new ArrayList<>();
        if (clientAuth != ClientAuth.NONE) {
            for (X509Certificate anchor : trustAnchors) {
                anchors.add(der(anchor));
            }
        }
        writeSorted(w, anchors);
        return new ResumptionContext(label, w.toByteArray());
    }

    /**
     * Only a label, for a {@code TlsConfig} builder to pass in: the configuration derives the real context from its
     * own identities, client-auth policy and trust anchors, keeping just this label.
     */
    public static ResumptionContext labelOnly(String label) {
        return of(label, List.of(), ClientAuth.NONE, List.of());
    }

    /** The caller-supplied label, or null. */
    public String label() {
        return label;
    }

    /** SHA-256 over the inputs: what tickets and cached sessions store, and what a server compares. */
    public byte[] id(CryptoProvider crypto) {
        byte[] computed = id;
        if (computed == null) {
            computed = crypto.messageDigest(Primitive.SHA256).digest(encoding);
            id = computed;
        }
        return computed.clone();
    }

    /**
     * Why a server with this context and {@code clientAuth} must not resume {@code session}, or null when it may:
     * another context, or (defence in depth, whatever the context says) a session without a client certificate
     * offered to a server that requires one.
     */
    public String refusal(CryptoProvider crypto, ClientAuth clientAuth, TicketContents session) {
        if (!java.security.MessageDigest.isEqual(id(crypto), session.resumptionContext())) {
            return "session belongs to another resumption context (server certificate, client authentication,"
                    + " trust anchors or label differ)";
        }
        if (clientAuth == ClientAuth.REQUIRED && session.peerCertificates().isEmpty()) {
            return "session has no client certificate and this server requires one";
        }
        return null;
    }

    private static void writeSorted(TlsWriter w, List<byte[]> encodings) {
        encodings.sort(Arrays::compareUnsigned);
        w.u16(encodings.size());
        for (byte[] der : encodings) {
            w.vector24(der);
        }
    }

    private static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResumptionContext other && Arrays.equals(encoding, other.encoding);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoding);
    }

    @Override
    public String toString() {
        return "ResumptionContext[" + (label == null ? "no label" : label) + "]";
    }
}
