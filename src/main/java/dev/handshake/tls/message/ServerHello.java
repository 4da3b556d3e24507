package dev.handshake.tls.message;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.wire.ExtensionType;
import dev.handshake.tls.wire.HandshakeType;
import dev.handshake.tls.wire.ProtocolVersion;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The ServerHello (RFC 5246 §7.4.1.3, RFC 8446 §4.1.3), also carrying a TLS 1.3 HelloRetryRequest, which is a
 * ServerHello whose random is a fixed magic value. As with ClientHello, an empty extensions block re-encodes as an
 * absent one, so the transcript hashes the bytes as received.
 */
public record ServerHello(ProtocolVersion legacyVersion, byte[] random, byte[] sessionId, CipherSuiteId cipherSuite,
                          int compressionMethod, List<Extension> extensions) implements HandshakeMessage {

    /** RFC 8446 §4.1.3: SHA-256("HelloRetryRequest"), the random that marks a ServerHello as a HelloRetryRequest. */
    private static final byte[] HELLO_RETRY_REQUEST_RANDOM = Bytes.fromHex(
            "CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

    /**
     * RFC 8446 §4.1.3: the last 8 bytes of ServerHello.random of a TLS 1.3-capable server that negotiates TLS 1.2
     * ("DOWNGRD" 01), or TLS 1.1 or below ("DOWNGRD" 00).
     */
    private static final byte[] DOWNGRADE_TLS12 = Bytes.fromHex("444F574E47524401");
    private static final byte[] DOWNGRADE_TLS11 = Bytes.fromHex("444F574E47524400");

    public static byte[] downgradeSentinelTls12() {
        return DOWNGRADE_TLS12.clone();
    }

    /** Whether {@code random} ends with either RFC 8446 §4.1.3 downgrade sentinel. */
    public static boolean hasDowngradeSentinel(byte[] random) {
        byte[] tail = Arrays.copyOfRange(random, random.length - 8, random.length);
        return Arrays.equals(tail, DOWNGRADE_TLS12) || Arrays.equals(tail, DOWNGRADE_TLS11);
    }

    public ServerHello {
        Objects.requireNonNull(legacyVersion, "legacyVersion");
        Objects.requireNonNull(cipherSuite, "cipherSuite");
        random = random.clone();
        sessionId = sessionId.clone();
        extensions = Extensions.checkedCopy(extensions);
        Hello.checkRandom(random);
        Hello.checkSessionId(sessionId);
        if (compressionMethod < 0 || compressionMethod > 0xff) {
            throw new IllegalArgumentException("compression_method is one byte");
        }
    }

    /** The HelloRetryRequest magic random (RFC 8446 §4.1.3), for building one. */
    public static byte[] helloRetryRequestRandom() {
        return HELLO_RETRY_REQUEST_RANDOM.clone();
    }

    public static ServerHello decode(byte[] body) {
        TlsReader r = TlsReader.of(body);
        ProtocolVersion legacyVersion = new ProtocolVersion(r.u16("legacy_version"));
        byte[] random = Hello.readRandom(r);
        byte[] sessionId = Hello.readSessionId(r);
        CipherSuiteId cipherSuite = new CipherSuiteId(r.u16("cipher_suite"));
        int compressionMethod = r.u8("compression_method");
        // RFC 5246 §7.4.1.3: a TLS 1.2 server that sends no extensions may omit the block.
        List<Extension> extensions = r.hasRemaining() ? Extensions.decodeList(r) : List.of();
        r.finish("ServerHello");
        return new ServerHello(legacyVersion, random, sessionId, cipherSuite, compressionMethod, extensions);
    }

    /** True when random is the RFC 8446 §4.1.3 HelloRetryRequest value (not secret: a plain comparison). */
    public boolean isHelloRetryRequest() {
        return Arrays.equals(random, HELLO_RETRY_REQUEST_RANDOM);
    }

    public Optional<Extension> extension(ExtensionType type) {
        return Extensions.find(extensions, type);
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.SERVER_HELLO;
    }

    @Override
    public void encodeBody(TlsWriter out) {
        out.u16(legacyVersion.code());
        out.bytes(random);
        out.vector8(sessionId);
        out.u16(cipherSuite.code());
        out.u8(compressionMethod);
        if (!extensions.isEmpty()) {
            Extensions.encodeList(out, extensions);
        }
    }

    @Override
    public byte[] random() {
        return random.clone();
    }

    @Override
    public byte[] sessionId() {
        return sessionId.clone();
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("legacy_version", legacyVersion.name());
        fields.put("random", Bytes.hex(random));
        fields.put("hello_retry_request", isHelloRetryRequest());
        fields.put("session_id", Bytes.hex(sessionId));
        fields.put("cipher_suite", cipherSuite.name());
        fields.put("compression_method", compressionMethod);
        fields.put("extensions", Extensions.describe(extensions));
        return fields;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerHello other
                && legacyVersion.equals(other.legacyVersion)
                && Arrays.equals(random, other.random)
                && Arrays.equals(sessionId, other.sessionId)
                && cipherSuite.equals(other.cipherSuite)
                && compressionMethod == other.compressionMethod
                && extensions.equals(other.extensions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(legacyVersion, Arrays.hashCode(random), Arrays.hashCode(sessionId), cipherSuite,
                compressionMethod, extensions);
    }

    @Override
    public String toString() {
        return (isHelloRetryRequest() ? "HelloRetryRequest" : "ServerHello") + describe();
    }
}
