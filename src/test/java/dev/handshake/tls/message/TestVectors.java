package dev.handshake.tls.message;

import dev.handshake.tls.codec.Bytes;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Real-world handshake bytes for the codec tests: RFC 8448 traces and ClientHellos from the JDK's own SSLEngine. */
final class TestVectors {

    private static final Map<String, byte[]> RFC8448 = load("rfc8448-messages.txt");

    private TestVectors() {
    }

    /** A whole handshake message (with its 4-byte header) from {@code rfc8448-messages.txt}. */
    static byte[] rfc8448(String name) {
        byte[] message = RFC8448.get(name);
        if (message == null) {
            throw new IllegalArgumentException("no RFC 8448 message " + name);
        }
        return message.clone();
    }

    static Map<String, byte[]> rfc8448All() {
        return RFC8448;
    }

    /** The body of a handshake message: without the 4-byte header, which must state the body's length exactly. */
    static byte[] body(byte[] whole) {
        return HandshakeFrame.parse(whole).body();
    }

    /**
     * The ClientHello body that the JDK's SSLEngine sends for example.com:443 with the given protocols enabled (all
     * defaults when none), offering ALPN h2 and http/1.1: one wrap, then the 5-byte record header and the 4-byte
     * handshake header stripped.
     */
    static byte[] jdkClientHelloBody(String... protocols) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, null, null);
            SSLEngine engine = context.createSSLEngine("example.com", 443);
            engine.setUseClientMode(true);
            SSLParameters parameters = engine.getSSLParameters();
            if (protocols.length > 0) {
                parameters.setProtocols(protocols);
            }
            parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            engine.setSSLParameters(parameters);
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.wrap(ByteBuffer.allocate(0), out);
            out.flip();
            byte[] record = new byte[out.remaining()];
            out.get(record);
            if (record[0] != 22 || ((record[3] & 0xff) << 8 | (record[4] & 0xff)) != record.length - 5 || record[5] != 1) {
                throw new IllegalStateException("expected one handshake record holding a ClientHello: " + Bytes.hex(record));
            }
            return Arrays.copyOfRange(record, 9, record.length);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, byte[]> load(String resource) {
        try (InputStream in = TestVectors.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            Map<String, byte[]> out = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("=", 2);
                out.put(parts[0].trim(), Bytes.fromHex(parts[1]));
            }
            return Map.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
