package dev.handshake.service.problem;

import java.net.URI;
import org.springframework.http.HttpStatus;

/**
 * Every kind of error the API reports, each with a stable {@code type} URI and a fixed title (RFC 9457 §3.1). Clients
 * branch on the type, never on the detail text, so a type URI is never renamed once published.
 */
public enum ProblemKind {
    SESSION_NOT_FOUND("session-not-found", "Session not found", HttpStatus.NOT_FOUND),
    WRONG_MODE("wrong-mode", "Operation not available in this session's mode", HttpStatus.CONFLICT),
    WRONG_STATE("wrong-state", "Operation not available in this session's state", HttpStatus.CONFLICT),
    CONCURRENT_ADVANCE("concurrent-advance", "Session was advanced concurrently", HttpStatus.CONFLICT),
    MALFORMED_REQUEST("malformed-request", "Malformed request", HttpStatus.BAD_REQUEST),
    FLIGHT_TOO_LARGE("flight-too-large", "Flight too large", HttpStatus.CONTENT_TOO_LARGE),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", HttpStatus.UNSUPPORTED_MEDIA_TYPE),
    NOT_ACCEPTABLE("not-acceptable", "Not acceptable", HttpStatus.NOT_ACCEPTABLE),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", HttpStatus.METHOD_NOT_ALLOWED),
    NOT_FOUND("not-found", "No such resource", HttpStatus.NOT_FOUND),
    STORE_FULL("store-full", "Session store full", HttpStatus.SERVICE_UNAVAILABLE),
    STORE_UNAVAILABLE("store-unavailable", "Session store unavailable", HttpStatus.SERVICE_UNAVAILABLE),
    INTERNAL_ERROR("internal-error", "Internal error", HttpStatus.INTERNAL_SERVER_ERROR);

    /** Problem type URIs live under one base; they identify kinds and need not resolve. */
    public static final String BASE = "https://handshake.dev/problems/";

    private final URI type;
    private final String title;
    private final HttpStatus status;

    ProblemKind(String slug, String title, HttpStatus status) {
        this.type = URI.create(BASE + slug);
        this.title = title;
        this.status = status;
    }

    public URI type() {
        return type;
    }

    public String title() {
        return title;
    }

    public HttpStatus status() {
        return status;
    }
}
