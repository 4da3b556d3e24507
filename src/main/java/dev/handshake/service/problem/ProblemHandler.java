package dev.handshake.service.problem;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every error into an RFC 9457 problem response with one of the stable {@link ProblemKind} types. Spring MVC's
 * own exceptions (unreadable body, wrong media type, unknown path) are mapped to our kinds too, so a client never sees
 * a type it cannot branch on. Unexpected exceptions are logged once, here, and answered with a generic 500: no
 * exception class, message or stack trace reaches the caller.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> api(ApiException e) {
        ProblemDetail problem = problem(e.kind(), e.getMessage());
        e.properties().forEach(problem::setProperty);
        HttpHeaders headers = new HttpHeaders();
        if (e.retryAfterSeconds() >= 0) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
        }
        return respond(problem, headers, e.kind());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, WebRequest request) {
        log.error("unexpected error handling {}", request.getDescription(false), e);
        return respond(problem(ProblemKind.INTERNAL_ERROR, "The request could not be completed."), new HttpHeaders(),
                ProblemKind.INTERNAL_ERROR);
    }

    /** Spring MVC's own errors: replace its generic problem with ours, keeping only a safe detail. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        ProblemKind kind = kindOf(ex, statusCode);
        String detail = switch (kind) {
            case MALFORMED_REQUEST -> "The request body or a parameter could not be read: "
                    + "check the JSON, enum values and base64 fields against the OpenAPI description.";
            case UNSUPPORTED_MEDIA_TYPE -> "Send application/json (or application/octet-stream for raw flights).";
            case NOT_ACCEPTABLE -> "This resource answers application/json, application/problem+json or "
                    + "application/octet-stream only.";
            case METHOD_NOT_ALLOWED -> "This resource does not support the method.";
            case NOT_FOUND -> "No resource at this path.";
            default -> kind.title();
        };
        HttpHeaders copy = new HttpHeaders();
        if (headers != null) {
            copy.addAll(headers);
        }
        copy.remove(HttpHeaders.CONTENT_TYPE);
        return respond(problem(kind, detail), copy, kind);
    }

    private static ProblemKind kindOf(Exception ex, HttpStatusCode status) {
        if (ex instanceof HttpMediaTypeNotSupportedException) {
            return ProblemKind.UNSUPPORTED_MEDIA_TYPE;
        }
        if (ex instanceof HttpMediaTypeNotAcceptableException) {
            return ProblemKind.NOT_ACCEPTABLE;
        }
        if (ex instanceof HttpRequestMethodNotSupportedException) {
            return ProblemKind.METHOD_NOT_ALLOWED;
        }
        if (ex instanceof NoResourceFoundException) {
            return ProblemKind.NOT_FOUND;
        }
        if (status.value() == 400) {
            return ProblemKind.MALFORMED_REQUEST;
        }
        if (status.value() == 413) {
            return ProblemKind.FLIGHT_TOO_LARGE;
        }
        if (status.is5xxServerError()) {
            return ProblemKind.INTERNAL_ERROR;
        }
        return ProblemKind.MALFORMED_REQUEST;
    }

    static ProblemDetail problem(ProblemKind kind, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(kind.status(), detail);
        problem.setType(kind.type());
        problem.setTitle(kind.title());
        return problem;
    }

    private static ResponseEntity<Object> respond(ProblemDetail problem, HttpHeaders headers, ProblemKind kind) {
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(problem, headers, kind.status());
    }

    /** For code that must answer a problem outside a controller (filters); same shape as the handler's. */
    public static Map<String, Object> asMap(ProblemKind kind, String detail) {
        return Map.of("type", kind.type().toString(), "title", kind.title(), "status", kind.status().value(),
                "detail", detail);
    }
}
