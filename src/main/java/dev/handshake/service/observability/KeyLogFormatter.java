package dev.handshake.service.observability;

import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.wire.HandshakeType;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Writes secrets in the SSLKEYLOGFILE format ({@code rfc9850.txt} §2): {@code <label> <client_random hex> <secret hex>},
 * one line each, lower-case hex. TLS 1.2 needs one CLIENT_RANDOM line (the master secret); TLS 1.3 five (handshake
 * and first application traffic secrets of both sides, and the exporter secret).
 */
public final class KeyLogFormatter {

    /** The engine's SecretDerived names (RFC 8446 §7.1 spellings) and the key log labels of RFC 9850 §3. */
    static final Map<String, String> TLS13_LABELS = Map.of(
            "client_handshake_traffic_secret", "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
            "server_handshake_traffic_secret", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
            "client_application_traffic_secret_0", "CLIENT_TRAFFIC_SECRET_0",
            "server_application_traffic_secret_0", "SERVER_TRAFFIC_SECRET_0",
            "exporter_master_secret", "EXPORTER_SECRET");

    private static final HexFormat HEX = HexFormat.of();
    private static final String CLIENT_HELLO = HandshakeType.CLIENT_HELLO.name();

    private KeyLogFormatter() {
    }

    public static String line(String label, byte[] clientRandom, byte[] secret) {
        if (clientRandom.length != 32) {
            throw new IllegalArgumentException("client_random is 32 bytes, not " + clientRandom.length);
        }
        return label + " " + HEX.formatHex(clientRandom) + " " + HEX.formatHex(secret);
    }

    /** TLS 1.2 (and earlier): the master secret under CLIENT_RANDOM. */
    public static String tls12(byte[] clientRandom, byte[] masterSecret) {
        return line("CLIENT_RANDOM", clientRandom, masterSecret);
    }

    /** TLS 1.3: a line for each key-log secret among {@code events} (SecretDerived, in order); others are skipped. */
    public static List<String> tls13(byte[] clientRandom, List<HandshakeEvent> events) {
        List<String> lines = new ArrayList<>();
        for (HandshakeEvent event : events) {
            if (event instanceof HandshakeEvent.SecretDerived secret) {
                String label = TLS13_LABELS.get(secret.name());
                if (label != null) {
                    lines.add(line(label, clientRandom, secret.value().bytes()));
                }
            }
        }
        return lines;
    }

    /** The client's random from the first ClientHello among {@code events} (sent or received), or null. */
    public static byte[] clientRandom(List<HandshakeEvent> events) {
        for (HandshakeEvent event : events) {
            byte[] encoded = null;
            if (event instanceof HandshakeEvent.MessageReceived m && CLIENT_HELLO.equals(m.type())) {
                encoded = m.encoded();
            } else if (event instanceof HandshakeEvent.MessageSent m && CLIENT_HELLO.equals(m.type())) {
                encoded = m.encoded();
            }
            // RFC 8446 §4.1.2: msg_type(1) length(3) legacy_version(2) random(32)
            if (encoded != null && encoded.length >= 38) {
                return java.util.Arrays.copyOfRange(encoded, 6, 38);
            }
        }
        return null;
    }
}
