package dev.handshake.tls.message;

import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.wire.ExtensionType;
import dev.handshake.tls.wire.HandshakeType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The TLS 1.3 EncryptedExtensions (RFC 8446 §4.3.1): {@code Extension extensions<0..2^16-1>}, the server's answers
 * that do not shape the key exchange, sent under the handshake key.
 */
public record EncryptedExtensions(List<Extension> extensions) implements HandshakeMessage {

    public EncryptedExtensions {
        extensions = Extensions.checkedCopy(extensions);
    }

    public static EncryptedExtensions decode(byte[] body) {
        TlsReader r = TlsReader.of(body);
        List<Extension> extensions = Extensions.decodeList(r);
        r.finish("EncryptedExtensions");
        return new EncryptedExtensions(extensions);
    }

    public Optional<Extension> extension(ExtensionType type) {
        return Extensions.find(extensions, type);
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.ENCRYPTED_EXTENSIONS;
    }

    @Override
    public void encodeBody(TlsWriter out) {
        Extensions.encodeList(out, extensions);
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("extensions", Extensions.describe(extensions));
        return fields;
    }
}
