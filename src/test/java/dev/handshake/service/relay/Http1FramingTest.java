package dev.handshake.service.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class Http1FramingTest {

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String response(String wire, String method, int limit) throws IOException {
        return new String(Http1Framing.readResponse(new ByteArrayInputStream(b(wire)), new Http1Framing.Request(method),
                limit), StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            "POST /x HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc",
            "PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n0\r\nTrailer: t\r\n\r\n"})
    void completeRequestsPass(String request) throws Exception {
        assertThat(Http1Framing.completeRequest(b(request)).method()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GET / HTTP/1.1\r\nHost: a\r\n",                                          // no end of headers
            "POST /x HTTP/1.1\r\nContent-Length: 4\r\n\r\nabc",                       // short body
            "POST /x HTTP/1.1\r\nContent-Length: 2\r\n\r\nabc",                       // extra byte
            "GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n",                           // two requests
            "PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n",      // no last chunk
            "PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
            "POST /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
            "POST /x HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
            "hello\r\n\r\n"})
    void anythingButExactlyOneRequestIsRefused(String request) {
        assertThatThrownBy(() -> Http1Framing.completeRequest(b(request)))
                .isInstanceOf(Http1Framing.FramingException.class);
    }

    @Test
    void responsesEndWhereTheirFramingSays() throws Exception {
        String tail = "HTTP/1.1 200 OK\r\n\r\nnext";
        assertThat(response("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" + tail, "GET", 1000))
                .isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX: y\r\n\r\n";
        assertThat(response(chunked + tail, "GET", 1000)).isEqualTo(chunked);
        String interim = "HTTP/1.1 100 Continue\r\n\r\n";
        assertThat(response(interim + "HTTP/1.1 204 No Content\r\n\r\n" + tail, "POST", 1000))
                .isEqualTo(interim + "HTTP/1.1 204 No Content\r\n\r\n");
        assertThat(response("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n" + tail, "HEAD", 1000))
                .isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
        assertThat(response("HTTP/1.0 200 OK\r\n\r\nuntil close", "GET", 1000))
                .isEqualTo("HTTP/1.0 200 OK\r\n\r\nuntil close");
    }

    @Test
    void truncatedOrOversizedResponsesFail() {
        assertThatThrownBy(() -> response("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nok", "GET", 1000))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> response("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n", "GET", 1000))
                .isInstanceOf(Http1Framing.TooLargeException.class);
        assertThatThrownBy(() -> response("HTTP/1.1 200 OK\r\n\r\n" + "x".repeat(2000), "GET", 1000))
                .isInstanceOf(Http1Framing.UncheckedTooLarge.class);
        assertThatThrownBy(() -> response("SSH-2.0-OpenSSH\r\n\r\n", "GET", 1000)).isInstanceOf(IOException.class);
    }
}
