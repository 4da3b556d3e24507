package dev.handshake.bench;

import dev.handshake.client.HttpTransport;
import java.io.IOException;
import java.net.URI;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * A candidate {@link HttpTransport} measured against the shipped ones: Apache HttpClient 5 classic (blocking I/O, a
 * pooling connection manager, head and body through one 8 KiB session buffer).
 */
final class ApacheHttpTransport implements HttpTransport, AutoCloseable {

    private final CloseableHttpClient http = HttpClients.custom().disableAutomaticRetries().build();

    @Override
    public Response exchange(String method, URI uri, String contentType, byte[] body, String ifMatch)
            throws IOException {
        HttpUriRequestBase request = new HttpUriRequestBase(method, uri);
        if (contentType != null) {
            request.setHeader("Accept", contentType);
        }
        if (body != null) {
            request.setEntity(new ByteArrayEntity(body, ContentType.parse(contentType)));
        }
        if (ifMatch != null) {
            request.setHeader("If-Match", ifMatch);
        }
        return http.execute(request, response -> {
            byte[] bytes = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
            return new Response(response.getCode(), value(response.getFirstHeader("ETag")),
                    value(response.getFirstHeader("Location")), bytes);
        });
    }

    private static String value(Header header) {
        return header == null ? null : header.getValue();
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
