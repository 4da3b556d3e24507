package dev.handshake.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Redis for tests, never a mock. {@link #shared()} is the one {@code .ci/run} started
 * ({@code HANDSHAKE_TEST_REDIS=host:port}) or, without it, a {@code redis-server} process this JVM starts once;
 * {@link #startOwn()} is always a process of the test's own, which it may stop and restart (the outage tests must not
 * stop a Redis other tests use). Processes run with persistence off on a free loopback port and are stopped by their
 * own handle, never by name.
 */
public final class TestRedis implements AutoCloseable {

    public static final String ADDRESS_VARIABLE = "HANDSHAKE_TEST_REDIS";
    private static TestRedis shared;

    private final String host;
    private final int port;
    private final Path directory;
    private Process process;

    private TestRedis(String host, int port, Path directory) {
        this.host = host;
        this.port = port;
        this.directory = directory;
    }

    /** The Redis every test class may share (flush nothing in it: other classes' replicas use it too). */
    public static synchronized TestRedis shared() {
        if (shared == null) {
            String address = System.getenv(ADDRESS_VARIABLE);
            if (address != null && !address.isBlank()) {
                int colon = address.lastIndexOf(':');
                shared = new TestRedis(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)), null);
            } else {
                shared = startOwn();
                Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
            }
        }
        return shared;
    }

    /** A redis-server process of the caller's own; the test is skipped (not passed) where the binary is missing. */
    public static TestRedis startOwn() {
        Assumptions.assumeTrue(binary() != null, "no redis-server binary (.ci/run installs Debian's redis-server)");
        try {
            TestRedis redis = new TestRedis("127.0.0.1", freePort(), Files.createTempDirectory("test-redis"));
            redis.start();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** Spring properties pointing a context at this Redis. */
    public List<String> springProperties() {
        return List.of("spring.data.redis.host=" + host, "spring.data.redis.port=" + port);
    }

    /** Starts (or restarts, on the same port) this Redis process, and waits until it answers PING. */
    public synchronized void start() {
        if (directory == null) {
            throw new IllegalStateException("this Redis belongs to .ci/run; start your own to stop and start it");
        }
        List<String> command = new ArrayList<>(List.of(binary(), "--port", Integer.toString(port), "--bind", host,
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", directory.toString(),
                "--protected-mode", "no"));
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!ping()) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException("redis-server did not start on port " + port);
            }
            sleep(20);
        }
    }

    /** Stops this Redis process (SIGTERM, then SIGKILL) and waits until the port refuses connections. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    /** Sends one inline command and returns the first line of the reply (RESP), e.g. {@code +PONG}. */
    public String command(String... words) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            socket.setSoTimeout(2000);
            StringBuilder request = new StringBuilder("*" + words.length + "\r\n");
            for (String word : words) {
                request.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(word)
                        .append("\r\n");
            }
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = socket.getInputStream().read()) != -1 && c != '\n') {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        } catch (IOException e) {
            return "-unreachable " + e.getMessage();
        }
    }

    public boolean ping() {
        return command("PING").equals("+PONG");
    }

    private static String binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(dir, "redis-server");
            if (candidate.canExecute()) {
                return candidate.getPath();
            }
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
