package dev.handshake.service.session;

import dev.handshake.tls.event.HandshakeEvent;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The TLS records a session saw, in order and direction, and its TLS key log: what a capture download
 * ({@code GET /api/v1/sessions/{id}/capture}) is made from.
 *
 * <p>Bounded: records are kept until {@code maxBytes} are held; after that nothing more is kept (a stream with a hole
 * would decode worse than a truncated one) and the rest is only counted in {@code droppedBytes}. The key log holds at
 * most {@link #MAX_KEY_LOG_LINES} lines (a renegotiating peer adds one per handshake).
 *
 * <p>The key log is filled only from {@code SecretDerived} events, which the engine emits only when its configuration
 * reveals secrets (walkthrough always; relay only with key export on), so a relay session without key export never
 * holds one. Lines are in SSLKEYLOGFILE format (draft-ietf-tls-keylogfile, {@code shared/rfc/rfc9850.txt}).
 *
 * @param chunks       records as they were written by one side, oldest first
 * @param storedBytes  bytes held in {@code chunks}
 * @param droppedBytes bytes seen beyond the bound, not kept
 * @param clientRandom the latest ClientHello's random (hex): the key log's key; null before a ClientHello
 * @param keyLog       SSLKEYLOGFILE lines, no duplicates
 */
public record SessionCapture(List<Chunk> chunks, int storedBytes, long droppedBytes, String clientRandom,
                             List<String> keyLog) {

    /** Bounds the key log of one session (each TLS 1.2 renegotiation adds a line): memory a peer can make us hold. */
    public static final int MAX_KEY_LOG_LINES = 32;
    public static final SessionCapture EMPTY = new SessionCapture(List.of(), 0, 0, null, List.of());
    private static final HexFormat HEX = HexFormat.of();

    /** Engine secret names and their SSLKEYLOGFILE labels (TLS 1.3; RFC 8446 §7.1 names on the left). */
    private static final Map<String, String> TLS13_LABELS = Map.of(
            "client_handshake_traffic_secret", "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
            "server_handshake_traffic_secret", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
            "client_application_traffic_secret_0", "CLIENT_TRAFFIC_SECRET_0",
            "server_application_traffic_secret_0", "SERVER_TRAFFIC_SECRET_0",
            "exporter_master_secret", "EXPORTER_SECRET");

    public SessionCapture {
        chunks = List.copyOf(chunks);
        keyLog = List.copyOf(keyLog);
    }

    /** Records written by one side. */
    public record Chunk(boolean fromClient, byte[] bytes) {
    }

    /** This capture with {@code records} written by the client (or the server) appended, within {@code maxBytes}. */
    public SessionCapture withRecords(boolean fromClient, byte[] records, int maxBytes) {
        if (records == null || records.length == 0) {
            return this;
        }
        if (droppedBytes > 0 || storedBytes + records.length > maxBytes) {
            return new SessionCapture(chunks, storedBytes, droppedBytes + records.length, clientRandom, keyLog);
        }
        List<Chunk> next = new ArrayList<>(chunks);
        next.add(new Chunk(fromClient, records.clone()));
        return new SessionCapture(next, storedBytes + records.length, droppedBytes, clientRandom, keyLog);
    }

    /** This capture with what {@code events} tell about the key log: the client random and derived secrets. */
    public SessionCapture withEvents(List<HandshakeEvent> events) {
        String random = clientRandom;
        List<String> lines = new ArrayList<>(keyLog);
        for (HandshakeEvent event : events) {
            Map<String, Object> fields = null;
            String type = null;
            if (event instanceof HandshakeEvent.MessageSent m) {
                type = m.type();
                fields = m.fields();
            } else if (event instanceof HandshakeEvent.MessageReceived m) {
                type = m.type();
                fields = m.fields();
            }
            if ("client_hello".equals(type) && fields != null && fields.get("random") != null) {
                random = fields.get("random").toString();
            }
            if (event instanceof HandshakeEvent.SecretDerived s && random != null) {
                String label = label(s.name(), lines);
                String line = label == null ? null : label + " " + random + " " + HEX.formatHex(s.value().bytes());
                if (line != null && !lines.contains(line) && lines.size() < MAX_KEY_LOG_LINES) {
                    lines.add(line);
                }
            }
        }
        return new SessionCapture(chunks, storedBytes, droppedBytes, random, lines);
    }

    /**
     * The key log label of an engine secret, or null. TLS 1.3 also derives a secret named {@code master_secret}, which
     * is no key log entry there: TLS 1.3 derives its handshake traffic secrets first, so their presence tells.
     */
    private static String label(String name, List<String> linesSoFar) {
        String tls13 = TLS13_LABELS.get(name);
        if (tls13 != null) {
            return tls13;
        }
        if ((name.equals("master_secret") || name.equals("extended_master_secret"))
                && linesSoFar.stream().noneMatch(l -> l.startsWith("CLIENT_HANDSHAKE_TRAFFIC_SECRET "))) {
            return "CLIENT_RANDOM"; // TLS 1.2: keyed by the client random, the extended master secret included
        }
        return null;
    }

    /** The key log as an SSLKEYLOGFILE text, one line per secret, newline-terminated. */
    public String keyLogText() {
        StringBuilder text = new StringBuilder();
        keyLog.forEach(line -> text.append(line).append('\n'));
        return text.toString();
    }
}
