package dev.handshake.bench;

import dev.handshake.client.HttpTransport;
import java.io.IOException;
import java.net.URI;

/** The relay API's requests over one of RelayClient's {@link HttpTransport}s (or a candidate). */
final class TransportRelay extends HttpRelay {

    private final HttpTransport transport;
    private final URI base;

    TransportRelay(HttpTransport transport, URI base, String version) {
        super(version, false);
        this.transport = transport;
        this.base = base;
    }

    @Override
    Response exchange(String method, String path, String contentType, byte[] body, String ifMatch) throws IOException {
        HttpTransport.Response answer = transport.exchange(method, base.resolve(path), contentType, body, ifMatch);
        return new Response(answer.status(), answer.etag(), answer.location(), answer.body());
    }
}
