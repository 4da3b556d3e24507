package dev.handshake.service.observability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only SSLKEYLOGFILE for the proxy (opt-in, {@code handshake.observability.key-log}). Each connection's
 * lines are appended in one write, so lines of concurrent connections never interleave. A write failure is logged
 * once per failure, never with the lines.
 */
public final class KeyLogFile {

    private static final Logger log = LoggerFactory.getLogger(KeyLogFile.class);

    private final Path path;

    public KeyLogFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    public synchronized void append(List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        try {
            Files.writeString(path, text, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            log.warn("cannot append to the TLS key log {}: {}", path, e.getMessage());
        }
    }
}
