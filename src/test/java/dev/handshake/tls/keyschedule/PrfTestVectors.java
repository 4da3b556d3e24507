package dev.handshake.tls.keyschedule;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.suite.PrfHash;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TLS PRF known-answer vectors of {@code tls-prf-test-vectors.txt} (copied unchanged from
 * /work/shared/rfc/; records of "Key = value" lines separated by blank lines, '#' comments).
 */
public final class PrfTestVectors {

    /** One TLS 1.2 PRF vector. */
    public record Vector(String name, PrfHash hash, byte[] secret, String label, byte[] seed, byte[] output) {
        @Override
        public String toString() {
            return name;
        }
    }

    private PrfTestVectors() {
    }

    /** The vectors whose hash is one our suites use (SHA-256 and SHA-384). */
    public static List<Vector> tls12() {
        List<Vector> vectors = new ArrayList<>();
        for (Map<String, String> record : records()) {
            PrfHash hash;
            switch (record.get("Hash")) {
                case "SHA-256":
                    hash = PrfHash.SHA256;
                    break;
                case "SHA-384":
                    hash = PrfHash.SHA384;
                    break;
                default:
                    continue;
            }
            byte[] output = Bytes.fromHex(record.get("Output"));
            if (output.length != Integer.parseInt(record.get("OutputLen"))) {
                throw new IllegalStateException("vector " + record.get("name") + " has a wrong OutputLen");
            }
            String label = record.get("Label");
            if (!Bytes.hex(label.getBytes(StandardCharsets.US_ASCII)).equals(record.get("LabelHex"))) {
                throw new IllegalStateException("vector " + record.get("name") + ": Label and LabelHex differ");
            }
            vectors.add(new Vector(record.get("name"), hash, Bytes.fromHex(record.get("Secret")), label,
                    Bytes.fromHex(record.get("Seed")), output));
        }
        if (vectors.size() != 2) {
            throw new IllegalStateException("expected the SHA-256 and SHA-384 vectors, found " + vectors);
        }
        return vectors;
    }

    private static List<Map<String, String>> records() {
        String text;
        try (InputStream in = PrfTestVectors.class.getResourceAsStream("tls-prf-test-vectors.txt")) {
            if (in == null) {
                throw new IllegalStateException("tls-prf-test-vectors.txt is not on the test class path");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Map<String, String>> records = new ArrayList<>();
        Map<String, String> current = null;
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.startsWith("#")) {
                continue;
            }
            if (line.isEmpty()) {
                current = null;
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = new LinkedHashMap<>();
                current.put("name", line.substring(1, line.length() - 1));
                records.add(current);
                continue;
            }
            int eq = line.indexOf(" = ");
            if (current == null || eq < 0) {
                throw new IllegalStateException("unexpected line in vector file: " + line);
            }
            current.put(line.substring(0, eq), line.substring(eq + 3));
        }
        return records;
    }
}
