package dev.handshake.service.session.redis;

import dev.handshake.testing.TestRedis;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code MONITOR} connection to a test's Redis: every command Redis executes, with who sent it, so a test can count
 * the round trips a client makes ({@code [0 127.0.0.1:port] "evalsha" ...}) apart from the commands its Lua scripts run
 * ({@code [0 lua] "HSET" ...}).
 */
final class RedisMonitor implements AutoCloseable {

    private static final Pattern LINE = Pattern.compile("^\\+\\S+ \\[\\d+ ([^\\]]+)\\] \"([^\"]+)\"");

    private final Socket socket;
    private final BufferedReader in;
    private final List<String> lines = new ArrayList<>();

    private RedisMonitor(Socket socket, BufferedReader in) {
        this.socket = socket;
        this.in = in;
        Thread reader = new Thread(this::read, "redis-monitor");
        reader.setDaemon(true);
        reader.start();
    }

    static RedisMonitor attach(TestRedis redis) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(redis.host(), redis.port()), 2000);
        socket.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        if (!"+OK".equals(in.readLine())) {
            throw new IllegalStateException("MONITOR refused");
        }
        return new RedisMonitor(socket, in);
    }

    private void read() {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            // the socket was closed: monitoring is over
        }
    }

    /** Commands clients sent so far, by name (lower case); waits until no new line arrived for 300 ms. */
    Map<String, Long> clientCommands() {
        int seen = -1;
        while (true) {
            int now;
            synchronized (lines) {
                now = lines.size();
            }
            if (now == seen) {
                break;
            }
            seen = now;
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Map<String, Long> counts = new TreeMap<>();
        synchronized (lines) {
            for (String line : lines) {
                Matcher m = LINE.matcher(line);
                if (m.find() && !m.group(1).equals("lua")) {
                    counts.merge(m.group(2).toLowerCase(Locale.ROOT), 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
