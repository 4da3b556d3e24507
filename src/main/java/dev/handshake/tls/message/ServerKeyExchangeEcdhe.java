package dev.handshake.tls.message;

import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.HandshakeType;
import dev.handshake.tls.wire.NamedGroup;
import dev.handshake.tls.wire.SignatureScheme;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The TLS 1.2 ECDHE ServerKeyExchange (RFC 8422 §5.4): the server's ephemeral public key on a named group, signed
 * with its certificate key over client_random + server_random + ServerECDHParams ({@link #signedParams()}).
 */
public record ServerKeyExchangeEcdhe(NamedGroup group, byte[] publicKey, SignatureScheme signatureScheme,
                                     byte[] signature) implements HandshakeMessage {

    /**
     * ECCurveType named_curve(3). RFC 8422 §5.4 deprecates explicit_prime(1) and explicit_char2(2): arbitrary curve
     * parameters are a known source of invalid-curve attacks, so only named curves are accepted.
     */
    public static final int NAMED_CURVE = 3;

    public ServerKeyExchangeEcdhe {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(signatureScheme, "signatureScheme");
        publicKey = publicKey.clone();
        signature = signature.clone();
        if (publicKey.length < 1 || publicKey.length > 0xff) {
            throw new IllegalArgumentException("ECPoint point<1..2^8-1>");
        }
        if (signature.length > 0xffff) {
            throw new IllegalArgumentException("signature<0..2^16-1>");
        }
    }

    public static ServerKeyExchangeEcdhe decode(byte[] body) {
        TlsReader r = TlsReader.of(body);
        int curveType = r.u8("curve_type");
        if (curveType != NAMED_CURVE) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                    "ECCurveType " + curveType + " is not named_curve (RFC 8422 §5.4)");
        }
        NamedGroup group = new NamedGroup(r.u16("namedcurve"));
        byte[] point = r.vector8(1, "ECPoint");
        // digitally-signed struct in TLS 1.2 (RFC 5246 §4.7): SignatureAndHashAlgorithm, then opaque signature<0..2^16-1>.
        SignatureScheme scheme = new SignatureScheme(r.u16("signature_algorithm"));
        byte[] signature = r.vector16(0, "signature");
        r.finish("ServerKeyExchange");
        return new ServerKeyExchangeEcdhe(group, point, scheme, signature);
    }

    /**
     * The encoded ServerECDHParams (curve_type, namedcurve, point). RFC 8422 §5.4: the signature covers
     * {@code client_random + server_random + signedParams()}.
     */
    public byte[] signedParams() {
        TlsWriter w = new TlsWriter(4 + publicKey.length);
        writeParams(w);
        return w.toByteArray();
    }

    private void writeParams(TlsWriter w) {
        w.u8(NAMED_CURVE);
        w.u16(group.code());
        w.vector8(publicKey);
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.SERVER_KEY_EXCHANGE;
    }

    @Override
    public void encodeBody(TlsWriter out) {
        writeParams(out);
        out.u16(signatureScheme.code());
        out.vector16(signature);
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("curve_type", "named_curve");
        fields.put("named_curve", group.name());
        fields.put("public", Bytes.hex(publicKey));
        fields.put("signature_algorithm", signatureScheme.name());
        fields.put("signature", Bytes.hex(signature));
        return fields;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerKeyExchangeEcdhe other && group.equals(other.group)
                && Arrays.equals(publicKey, other.publicKey) && signatureScheme.equals(other.signatureScheme)
                && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(group, Arrays.hashCode(publicKey), signatureScheme, Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return "ServerKeyExchangeEcdhe" + describe();
    }
}
