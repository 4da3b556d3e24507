package dev.handshake.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * Moves bytes between a connected TCP socket and a sans-IO TLS implementation (our engine, or a {@link TlsPeer}) in
 * the test thread: whatever arrives from the socket goes to the function, and whatever the function returns goes back
 * out. The engine itself has no sockets; this is the smallest blocking glue that lets it talk to a real process.
 *
 * <pre>{@code
 * try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
 *     SocketPump.Result r = SocketPump.run(socket, peer.produce(), peer::receive, peer::handshakeDone, Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class SocketPump {

    /** What happened: the bytes moved each way, whether the other side closed, and whether {@code until} was met. */
    public record Result(long bytesIn, long bytesOut, boolean peerClosed, boolean conditionMet) {
    }

    private SocketPump() {
    }

    /**
     * Writes {@code firstOut} (e.g. a ClientHello; empty for a server), then reads and answers until {@code until}
     * holds, the other side closes, or {@code timeout} passes. {@code until} is checked before each read, so a
     * condition met by the first flight ends the pump at once. Never blocks longer than {@code timeout} in total.
     */
    public static Result run(Socket socket, byte[] firstOut, UnaryOperator<byte[]> onBytes, BooleanSupplier until,
            Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        long bytesIn = 0;
        long bytesOut = 0;
        if (firstOut.length > 0) {
            out.write(firstOut);
            out.flush();
            bytesOut += firstOut.length;
        }
        byte[] buffer = new byte[16 * 1024 + 2048];
        while (!until.getAsBoolean()) {
            long leftMillis = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
            if (leftMillis <= 0) {
                return new Result(bytesIn, bytesOut, false, false);
            }
            socket.setSoTimeout((int) Math.min(leftMillis, Integer.MAX_VALUE));
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                return new Result(bytesIn, bytesOut, false, false);
            }
            if (n < 0) {
                return new Result(bytesIn, bytesOut, true, until.getAsBoolean());
            }
            bytesIn += n;
            byte[] answer = onBytes.apply(Arrays.copyOf(buffer, n));
            if (answer.length > 0) {
                out.write(answer);
                out.flush();
                bytesOut += answer.length;
            }
        }
        return new Result(bytesIn, bytesOut, false, true);
    }

    /** Writes bytes the sans-IO side produced outside {@link #run}, e.g. application data or close_notify. */
    public static void send(Socket socket, byte[] bytes) throws IOException {
        if (bytes.length > 0) {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        }
    }
}
