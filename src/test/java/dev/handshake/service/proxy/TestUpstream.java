package dev.handshake.service.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A plain TCP upstream on loopback for proxy tests: one thread per connection runs the given behaviour. */
final class TestUpstream implements AutoCloseable {

    /** What the upstream does with one accepted connection. */
    interface Behaviour {
        void serve(Socket socket) throws IOException;
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-upstream");
        t.setDaemon(true);
        return t;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    final AtomicInteger accepted = new AtomicInteger();

    TestUpstream(Behaviour behaviour) throws IOException {
        server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        threads.execute(() -> {
            while (!server.isClosed()) {
                Socket socket;
                try {
                    socket = server.accept();
                } catch (IOException e) {
                    return;
                }
                accepted.incrementAndGet();
                try {
                    socket.setTcpNoDelay(true);
                } catch (IOException e) {
                    // best effort
                }
                open.add(socket);
                threads.execute(() -> {
                    try (socket) {
                        behaviour.serve(socket);
                    } catch (IOException e) {
                        // the proxy closed or reset: that is what some tests do
                    } finally {
                        open.remove(socket);
                    }
                });
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    String address() {
        return "127.0.0.1:" + port();
    }

    /** Connections accepted and not yet ended. */
    int openConnections() {
        return open.size();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
        threads.shutdownNow();
    }

    /** An HTTP/1.1 server answering every request on a connection with {@code 200 hello from NAME}. */
    static Behaviour http(String name) {
        return socket -> {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] body = ("hello from " + name).getBytes(StandardCharsets.US_ASCII);
            while (readHeaders(in) != null) {
                // one write: head and body in two would meet Nagle and delayed ACK (40 ms per response)
                out.write((("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                        + "\r\n\r\n") + new String(body, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        };
    }

    /** Echoes everything back until EOF, then half-closes. */
    static Behaviour echo() {
        return socket -> {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[16384];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            socket.shutdownOutput();
        };
    }

    /** The request head up to the blank line, or null at EOF. */
    static String readHeaders(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                return head.toString();
            }
        }
        return null;
    }
}
