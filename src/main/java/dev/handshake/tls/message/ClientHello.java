package dev.handshake.tls.message;

import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.wire.ExtensionType;
import dev.handshake.tls.wire.HandshakeType;
import dev.handshake.tls.wire.ProtocolVersion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The ClientHello (RFC 5246 §7.4.1.2, RFC 8446 §4.1.2): the client's version, random, session id, offered suites,
 * compression methods and extensions. Unknown suites and extensions (GREASE included, RFC 8701) are kept, so the
 * message re-encodes byte for byte; the one exception is an empty extensions block ({@code 00 00}), which decodes like
 * an absent one and re-encodes as absent. The transcript therefore always hashes the bytes as received.
 */
public record ClientHello(ProtocolVersion legacyVersion, byte[] random, byte[] sessionId,
                          List<CipherSuiteId> cipherSuites, byte[] compressionMethods, List<Extension> extensions)
        implements HandshakeMessage {

    public ClientHello {
        Objects.requireNonNull(legacyVersion, "legacyVersion");
        random = random.clone();
        sessionId = sessionId.clone();
        cipherSuites = List.copyOf(cipherSuites);
        compressionMethods = compressionMethods.clone();
        extensions = Extensions.checkedCopy(extensions);
        Hello.checkRandom(random);
        Hello.checkSessionId(sessionId);
        if (cipherSuites.isEmpty() || cipherSuites.size() > 0x7fff) {
            throw new IllegalArgumentException("cipher_suites<2..2^16-2> needs 1 to 32767 suites");
        }
        if (compressionMethods.length < 1 || compressionMethods.length > 0xff) {
            throw new IllegalArgumentException("compression_methods<1..2^8-1> needs 1 to 255 methods");
        }
    }

    public static ClientHello decode(byte[] body) {
        TlsReader r = TlsReader.of(body);
        ProtocolVersion legacyVersion = new ProtocolVersion(r.u16("legacy_version"));
        byte[] random = Hello.readRandom(r);
        byte[] sessionId = Hello.readSessionId(r);

        // CipherSuite cipher_suites<2..2^16-2>: whole two-byte code points, at least one of them.
        TlsReader suites = r.sub16("cipher_suites");
        if (suites.remaining() < 2 || suites.remaining() % 2 != 0) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR,
                    "cipher_suites length " + suites.remaining() + " is not a non-zero even number");
        }
        List<CipherSuiteId> cipherSuites = new ArrayList<>(suites.remaining() / 2);
        while (suites.hasRemaining()) {
            cipherSuites.add(new CipherSuiteId(suites.u16("cipher_suite")));
        }
        byte[] compressionMethods = r.vector8(1, "compression_methods");

        // RFC 5246 §7.4.1.2: the extensions block may be absent altogether ("a ClientHello ... without extensions").
        List<Extension> extensions = r.hasRemaining() ? Extensions.decodeList(r) : List.of();
        r.finish("ClientHello");
        return new ClientHello(legacyVersion, random, sessionId, cipherSuites, compressionMethods, extensions);
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.CLIENT_HELLO;
    }

    @Override
    public void encodeBody(TlsWriter out) {
        out.u16(legacyVersion.code());
        out.bytes(random);
        out.vector8(sessionId);
        out.block16(w -> cipherSuites.forEach(suite -> w.u16(suite.code())));
        out.vector8(compressionMethods);
        if (!extensions.isEmpty()) {
            Extensions.encodeList(out, extensions);
        }
    }

    public boolean offers(CipherSuiteId suite) {
        return cipherSuites.contains(suite);
    }

    public Optional<Extension> extension(ExtensionType type) {
        return Extensions.find(extensions, type);
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
    public byte[] compressionMethods() {
        return compressionMethods.clone();
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("legacy_version", legacyVersion.name());
        fields.put("random", Bytes.hex(random));
        fields.put("session_id", Bytes.hex(sessionId));
        fields.put("cipher_suites", cipherSuites.stream().map(CipherSuiteId::name).toList());
        fields.put("compression_methods", Bytes.hex(compressionMethods));
        fields.put("extensions", Extensions.describe(extensions));
        return fields;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientHello other
                && legacyVersion.equals(other.legacyVersion)
                && Arrays.equals(random, other.random)
                && Arrays.equals(sessionId, other.sessionId)
                && cipherSuites.equals(other.cipherSuites)
                && Arrays.equals(compressionMethods, other.compressionMethods)
                && extensions.equals(other.extensions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(legacyVersion, Arrays.hashCode(random), Arrays.hashCode(sessionId), cipherSuites,
                Arrays.hashCode(compressionMethods), extensions);
    }

    @Override
    public String toString() {
        return "ClientHello" + describe();
    }
}
