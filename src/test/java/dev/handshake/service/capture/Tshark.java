package dev.handshake.service.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's {@code tshark} on a capture file: what Wireshark makes of our pcapng files. */
final class Tshark {

    static final Path EXECUTABLE = Path.of("/usr/bin/tshark");

    private Tshark() {
    }

    static boolean available() {
        return Files.isExecutable(EXECUTABLE);
    }

    /** The lines tshark prints for {@code file} with display filter {@code filter} and the given fields. */
    static List<String> fields(Path file, String filter, String... fields) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(EXECUTABLE.toString(), "-n", "-r", file.toString(), "-2",
                "-Y", filter, "-T", "fields", "-E", "separator=|"));
        for (String field : fields) {
            command.add("-e");
            command.add(field);
        }
        return run(command);
    }

    static List<String> run(List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("tshark", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("tshark did not finish in 60 s: " + command);
            }
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
                // tshark run as root warns about it; that is not output
                if (!line.isBlank() && !line.contains("Running as user \"root\"")) {
                    lines.add(line);
                }
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("tshark exit " + process.exitValue() + ": " + lines);
            }
            return lines;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
