package dev.handshake.service.relay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 message framing (RFC 9112 §6): where a request ends, and reading exactly one response from a stream. Only
 * framing: header values other than Content-Length and Transfer-Encoding are passed through untouched.
 */
final class Http1Framing {

    /** Longest header section accepted, like common servers' defaults (nginx 8 KiB x 4). */
    static final int MAX_HEADER_BYTES = 32 * 1024;

    private Http1Framing() {
    }

    /** The request is not exactly one complete HTTP/1.1 message. */
    static final class FramingException extends Exception {
        FramingException(String message) {
            super(message);
        }
    }

    /** The upstream's response exceeded the size limit. */
    static final class TooLargeException extends IOException {
        TooLargeException(String message) {
            super(message);
        }
    }

    /** Facts about a request that the response framing depends on. */
    record Request(String method) {
        boolean isHead() {
            return "HEAD".equals(method);
        }
    }

    /**
     * Checks that {@code bytes} is exactly one complete request: a header section, then a body framed by
     * Content-Length, chunked encoding or nothing. Requests with both (a smuggling vector, RFC 9112 §6.3) are refused.
     */
    static Request completeRequest(byte[] bytes) throws FramingException {
        int end = headerEnd(bytes, 0, bytes.length);
        if (end < 0) {
            throw new FramingException(bytes.length > MAX_HEADER_BYTES ? "request header section too long"
                    : "incomplete request: no end of the header section");
        }
        Headers headers = Headers.parse(new String(bytes, 0, end, StandardCharsets.ISO_8859_1));
        String[] requestLine = headers.startLine().split(" ");
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            throw new FramingException("not an HTTP/1.x request line");
        }
        if (headers.contentLength() == Long.MIN_VALUE) {
            throw new FramingException("invalid Content-Length");
        }
        if (headers.chunked() && headers.contentLength() >= 0) {
            throw new FramingException("both Content-Length and Transfer-Encoding");
        }
        int bodyEnd;
        if (headers.chunked()) {
            bodyEnd = chunkedEnd(bytes, end);
            if (bodyEnd < 0) {
                throw new FramingException("incomplete chunked body");
            }
        } else if (headers.contentLength() >= 0) {
            long want = end + headers.contentLength();
            if (want > bytes.length) {
                throw new FramingException("incomplete body: Content-Length " + headers.contentLength());
            }
            bodyEnd = (int) want;
        } else {
            bodyEnd = end;
        }
        if (bodyEnd != bytes.length) {
            throw new FramingException("more than one request (" + (bytes.length - bodyEnd) + " bytes follow it)");
        }
        return new Request(requestLine[0]);
    }

    /**
     * Reads one response to {@code request} (skipping interim 1xx responses, which are passed on too) and returns its
     * bytes as received. A response without Content-Length or chunked encoding ends when the upstream closes.
     */
    static byte[] readResponse(InputStream in, Request request, int limit) throws IOException {
        Bounded out = new Bounded(limit);
        while (true) {
            int start = out.size();
            readHeaderSection(in, out);
            Headers headers = Headers.parse(new String(out.bytes(), start, out.size() - start, StandardCharsets.ISO_8859_1));
            String[] statusLine = headers.startLine().split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x status line");
            }
            int status;
            try {
                status = Integer.parseInt(statusLine[1]);
            } catch (NumberFormatException e) {
                throw new IOException("bad status code");
            }
            if (headers.contentLength() == Long.MIN_VALUE) {
                throw new IOException("invalid Content-Length in the response");
            }
            if (status >= 100 && status < 200 && status != 101) {
                continue; // interim response; the final one follows
            }
            if (request.isHead() || status == 204 || status == 304 || status == 101) {
                return out.toByteArray();
            }
            if (headers.chunked()) {
                copyChunked(in, out);
            } else if (headers.contentLength() >= 0) {
                copy(in, out, headers.contentLength());
            } else {
                in.transferTo(out);
            }
            return out.toByteArray();
        }
    }

    private static void readHeaderSection(InputStream in, Bounded out) throws IOException {
        int start = out.size();
        int matched = 0; // of CR LF CR LF
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("upstream closed before a complete response header");
            }
            out.write(b);
            if (out.size() - start > MAX_HEADER_BYTES) {
                throw new IOException("response header section too long");
            }
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return;
            }
        }
    }

    private static void copyChunked(InputStream in, Bounded out) throws IOException {
        while (true) {
            String sizeLine = line(in, out);
            int semi = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size");
            }
            if (size < 0) {
                throw new IOException("bad chunk size");
            }
            if (size == 0) {
                while (!line(in, out).isEmpty()) {
                    // trailer fields
                }
                return;
            }
            copy(in, out, size);
            if (!line(in, out).isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
        }
    }

    private static String line(InputStream in, Bounded out) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("upstream closed inside a chunked body");
            }
            out.write(b);
            if (b == '\n') {
                int len = line.length();
                return len > 0 && line.charAt(len - 1) == '\r' ? line.substring(0, len - 1) : line.toString();
            }
            if (line.length() > 4096) {
                throw new IOException("chunk line too long");
            }
            line.append((char) b);
        }
    }

    private static void copy(InputStream in, Bounded out, long length) throws IOException {
        if (length > out.remaining()) {
            throw new TooLargeException("response body of " + length + " bytes");
        }
        byte[] buffer = new byte[16384];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("upstream closed " + left + " bytes before the end of the body");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    /** Index just past the CRLFCRLF ending the header section, or -1. */
    private static int headerEnd(byte[] b, int from, int to) {
        for (int i = from; i + 3 < to && i < from + MAX_HEADER_BYTES; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    /** Index just past a complete chunked body starting at {@code from}, or -1 if incomplete. */
    private static int chunkedEnd(byte[] b, int from) throws FramingException {
        int i = from;
        while (true) {
            int eol = lineEnd(b, i);
            if (eol < 0) {
                return -1;
            }
            String sizeLine = new String(b, i, eol - i, StandardCharsets.ISO_8859_1);
            int semi = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new FramingException("bad chunk size");
            }
            i = eol + 2;
            if (size == 0) {
                while (true) { // trailer section up to an empty line
                    int end = lineEnd(b, i);
                    if (end < 0) {
                        return -1;
                    }
                    boolean empty = end == i;
                    i = end + 2;
                    if (empty) {
                        return i;
                    }
                }
            }
            if (size < 0 || i + size + 2 > b.length) {
                return -1;
            }
            i += (int) size;
            if (b[i] != '\r' || b[i + 1] != '\n') {
                throw new FramingException("chunk not followed by CRLF");
            }
            i += 2;
        }
    }

    private static int lineEnd(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The start line and the two framing fields of a header section. */
    private record Headers(String startLine, long contentLength, boolean chunked) {
        static Headers parse(String section) {
            String[] lines = section.split("\r\n");
            long length = -1;
            boolean chunked = false;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = lines[i].substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    try {
                        long parsed = Long.parseLong(value);
                        if (parsed < 0 || (length >= 0 && length != parsed)) {
                            return new Headers(lines[0], Long.MIN_VALUE, chunked);
                        }
                        length = parsed;
                    } catch (NumberFormatException e) {
                        return new Headers(lines[0], Long.MIN_VALUE, chunked);
                    }
                } else if (name.equals("transfer-encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                }
            }
            return new Headers(lines[0], length, chunked);
        }
    }

    /** A byte buffer that refuses to grow past a limit. */
    private static final class Bounded extends ByteArrayOutputStream {
        private final int limit;

        Bounded(int limit) {
            super(Math.min(limit, 8192));
            this.limit = limit;
        }

        int remaining() {
            return limit - count;
        }

        byte[] bytes() {
            return buf;
        }

        @Override
        public synchronized void write(int b) {
            if (count >= limit) {
                throw new UncheckedTooLarge();
            }
            super.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if (count + len > limit) {
                throw new UncheckedTooLarge();
            }
            super.write(b, off, len);
        }
    }

    /** Thrown from inside {@link Bounded}; turned into {@link TooLargeException} by the caller. */
    static final class UncheckedTooLarge extends RuntimeException {
        UncheckedTooLarge() {
            super("response larger than the limit", null, false, false);
        }
    }
}
