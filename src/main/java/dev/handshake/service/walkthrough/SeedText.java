package dev.handshake.service.walkthrough;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The seed's explanation of each of the 11 steps ({@code shared/seed/ssl-handshake-steps.txt}, copied verbatim). */
final class SeedText {

    private static final Map<Integer, String> STEPS = load();

    private SeedText() {
    }

    static String of(int step) {
        return STEPS.getOrDefault(step, "");
    }

    private static Map<Integer, String> load() {
        try (InputStream in = SeedText.class.getResourceAsStream("/walkthrough/seed-steps.txt")) {
            if (in == null) {
                throw new IllegalStateException("walkthrough/seed-steps.txt missing from the classpath");
            }
            Map<Integer, String> steps = new HashMap<>();
            Matcher m = Pattern.compile("(?m)^(\\d+)\\.\\s+(.+)$").matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            while (m.find()) {
                steps.put(Integer.parseInt(m.group(1)), m.group(2).trim());
            }
            return Map.copyOf(steps);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
