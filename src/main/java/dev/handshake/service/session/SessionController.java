package dev.handshake.service.session;

import dev.handshake.service.problem.ApiException;
import dev.handshake.service.problem.ProblemKind;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The session resource shared by both modes: start, read, close. */
@RestController
@RequestMapping("/api/v1/sessions")
@Tag(name = "sessions", description = "Handshake sessions: start, inspect, close")
class SessionController {

    static final String PROBLEM_EXAMPLE = """
            {"type":"https://handshake.dev/problems/session-not-found","title":"Session not found","status":404,
             "detail":"No session with this id exists; it may have expired.","sessionId":"kq3Zb0P6w1nC4mUvQhTx2AaB"}""";

    private final Sessions sessions;
    private final SessionViews views;
    private final Map<Mode, ModeHandler> handlers = new EnumMap<>(Mode.class);

    SessionController(Sessions sessions, SessionViews views, List<ModeHandler> handlers) {
        this.sessions = sessions;
        this.views = views;
        handlers.forEach(h -> this.handlers.put(h.mode(), h));
    }

    @Operation(summary = "Start a session",
            description = "Creates a relay session (you are the TLS client; post your records to its flights) or a "
                    + "walkthrough session (the service plays both sides; advance it through its steps). A relay "
                    + "session may carry the first flight: the answer then holds the server's flight in `flight`.")
    @ApiResponse(responseCode = "201", description = "Created; Location names the session",
            headers = {@Header(name = "Location", description = "the session's URL"),
                    @Header(name = "ETag", description = "the session version")},
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = SessionView.class)))
    @ApiResponse(responseCode = "400", description = "Malformed body, option or base64 (type malformed-request)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = """
                            {"type":"https://handshake.dev/problems/malformed-request","title":"Malformed request",
                             "status":400,"detail":"firstFlight is not valid base64."}""")))
    @ApiResponse(responseCode = "413", description = "First flight larger than the flight limit (type flight-too-large)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "503", description = "Session store full (type store-full), or the Redis session store "
            + "cannot be reached (type store-unavailable; any operation on sessions); see Retry-After",
            headers = @Header(name = "Retry-After", description = "seconds"),
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = """
                            {"type":"https://handshake.dev/problems/store-full","title":"Session store full","status":503,
                             "detail":"The service holds its maximum number of sessions; retry later."}""")))
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<SessionView> create(@Valid @RequestBody CreateSessionRequest request) {
        ModeHandler handler = handlers.get(request.mode());
        if (handler == null) {
            throw new ApiException(ProblemKind.MALFORMED_REQUEST, "Unsupported mode.");
        }
        ModeHandler.Created created = handler.create(SessionIds.next(), request, sessions.now());
        sessions.create(created.session());
        SessionRecord stored = created.session().withVersion(1);
        SessionView view = views.view(stored);
        if (created.flight() != null) {
            view = view.withFlight(Base64.getEncoder().encodeToString(created.flight()));
        }
        return ResponseEntity.created(URI.create("/api/v1/sessions/" + stored.id()))
                .eTag(Sessions.etag(stored.version())).body(view);
    }

    @Operation(summary = "Read a session",
            description = "Steps done, what was negotiated, the peer's certificates, the transcript of events with "
                    + "their seed steps, and (walkthrough only) the derived secrets of the revealed steps.")
    @ApiResponse(responseCode = "200", description = "The session",
            headers = @Header(name = "ETag", description = "the session version"))
    @ApiResponse(responseCode = "404", description = "Unknown or expired session (type session-not-found)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = PROBLEM_EXAMPLE)))
    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<SessionView> read(@Parameter(description = "session id") @PathVariable String id) {
        SessionRecord session = sessions.load(id);
        return ResponseEntity.ok().eTag(Sessions.etag(session.version())).body(views.view(session));
    }

    @Operation(summary = "Close and forget a session",
            description = "Relay: answers the server's close_notify record (application/octet-stream) for you to "
                    + "hand to your TLS client, then forgets the session. Walkthrough: forgets it (204).")
    @ApiResponse(responseCode = "200", description = "Relay: the close_notify record",
            content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                    schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "204", description = "Walkthrough: forgotten")
    @ApiResponse(responseCode = "404", description = "Unknown or expired session (type session-not-found)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = PROBLEM_EXAMPLE)))
    @DeleteMapping(path = "/{id}")
    ResponseEntity<byte[]> close(@PathVariable String id) {
        // removed first, in one store call (the Redis store reads and deletes in one script): the close_notify record
        // needs only the state removed, and of two concurrent DELETEs only one closes the connection
        SessionRecord session = sessions.remove(id);
        byte[] records = handlers.get(session.mode()).close(session);
        if (session.mode() == Mode.WALKTHROUGH) {
            return ResponseEntity.noContent().build();
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.CACHE_CONTROL, "no-store").body(records);
    }
}
