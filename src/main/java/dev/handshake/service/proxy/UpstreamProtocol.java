package dev.handshake.service.proxy;

/** How the REST relay's {@code /records} endpoint frames an exchange with a route's upstream. */
public enum UpstreamProtocol {
    /** One complete HTTP/1.1 request per call; the reply is one complete response (Content-Length, chunked or close). */
    HTTP1,
    /** Raw bytes; the reply is what arrives until the upstream half-closes, goes quiet, or a size limit is hit. */
    TCP
}
