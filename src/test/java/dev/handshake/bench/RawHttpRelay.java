package dev.handshake.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The relay API over a minimal HTTP/1.1 client on one plain {@link Socket}: the request is written with one
 * {@code write}, the answer is read by {@code Content-Length} (or chunks), and the connection is kept alive until the
 * server says {@code Connection: close} (Tomcat does after {@code maxKeepAliveRequests}, 100 by default). No
 * threads, no selector, no pipeline: what is left of a round trip is loopback TCP and the server.
 *
 * <p>{@code noDelay} and {@code splitWrites} exist to show Nagle's algorithm meeting delayed ACKs: with Nagle on and the
 * body written after the head, the body waits for the ACK of the head.
 */
final class RawHttpRelay extends HttpRelay {

    private final InetSocketAddress server;
    private final boolean noDelay;
    private final boolean splitWrites;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int connections;

    RawHttpRelay(InetSocketAddress server, String version, boolean jsonStart, boolean noDelay, boolean splitWrites) {
        super(version, jsonStart);
        this.server = server;
        this.noDelay = noDelay;
        this.splitWrites = splitWrites;
    }

    /** TCP connections opened so far (1 while keep-alive holds). */
    int connections() {
        return connections;
    }

    @Override
    Response exchange(String method, String path, String contentType, byte[] body, String ifMatch) throws IOException {
        if (socket == null) {
            connect();
        }
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(server.getHostString()).append(':').append(server.getPort()).append("\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\nAccept: ").append(contentType).append("\r\n");
        }
        if (ifMatch != null) {
            head.append("If-Match: ").append(ifMatch).append("\r\n");
        }
        head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        if (splitWrites || body == null) {
            out.write(headBytes);
            if (body != null) {
                out.write(body);
            }
        } else {
            byte[] request = new byte[headBytes.length + body.length];
            System.arraycopy(headBytes, 0, request, 0, headBytes.length);
            System.arraycopy(body, 0, request, headBytes.length, body.length);
            out.write(request);
        }
        out.flush();
        return read();
    }

    private Response read() throws IOException {
        String status = line();
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        String etag = null;
        String location = null;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                case "etag" -> etag = value;
                case "location" -> location = value;
                default -> {
                }
            }
        }
        byte[] body;
        if (chunked) {
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                 size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                chunks.write(in.readNBytes(size));
                line();
            }
            line(); // the empty trailer section
            body = chunks.toByteArray();
        } else {
            body = in.readNBytes((int) Math.max(0, length));
        }
        if (close) {
            disconnect();
        }
        return new Response(code, etag, location, body);
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) {
                throw new EOFException("connection closed mid-answer");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(noDelay);
        socket.connect(server, 10_000);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = socket.getOutputStream();
        connections++;
    }

    private void disconnect() throws IOException {
        socket.close();
        socket = null;
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            disconnect();
        }
    }
}
