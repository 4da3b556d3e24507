package dev.handshake.service.walkthrough;

import dev.handshake.service.session.Mode;
import dev.handshake.service.session.SessionRecord;
import dev.handshake.service.session.Sessions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/sessions/{id}/steps}: reveal the next seed step of a walkthrough (or every step up to one). */
@RestController
@RequestMapping("/api/v1/sessions")
@Tag(name = "walkthrough", description = "Walkthrough mode: the service plays both sides, one seed step at a time")
class StepController {

    private final WalkthroughService walkthrough;
    private final Sessions sessions;

    StepController(WalkthroughService walkthrough, Sessions sessions) {
        this.walkthrough = walkthrough;
        this.sessions = sessions;
    }

    @Operation(summary = "Advance a walkthrough by one seed step (or to step `to`)",
            description = "Each step answers who acts, the messages of the step (decoded fields and raw bytes as hex), "
                    + "the values derived (randoms, pre-master secret or ECDHE shares, master secret, key block: "
                    + "shown, since nothing real is protected), the other events, and the seed's explanation. "
                    + "A fault stops the walkthrough at its step: outcome `warning` (step 3) or `stopped`, with the "
                    + "alert. Send If-Match with the session version to make a lost race a 409.")
    @ApiResponse(responseCode = "200", description = "The steps revealed",
            headers = @Header(name = "ETag", description = "the session version after this call"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = StepResponse.class),
                    examples = @ExampleObject(value = """
                            {"steps":[{"step":3,"actor":"client","title":"The client authenticates the server",
                              "explanation":"The client uses the information sent by the server to authenticate the server ...",
                              "outcome":"warning","messages":[],"derived":[],
                              "events":[{"actor":"client","kind":"certificate_checked","name":"certificate_check","seedStep":3,
                                         "summary":"not trusted (EXPIRED): ..."}],
                              "alert":{"description":"certificate_expired","sentBy":"client","reason":"..."}}],
                             "status":"FAILED","version":4}""")))
    @ApiResponse(responseCode = "400", description = "`to` out of range or malformed If-Match (type malformed-request)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "Unknown or expired session (type session-not-found)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "A relay session (wrong-mode), a finished or stopped walkthrough "
            + "(wrong-state), or another call advanced it first (concurrent-advance)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(path = "/{id}/steps", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<StepResponse> step(@Parameter(description = "session id") @PathVariable String id,
                                      @Parameter(description = "reveal every step up to and including this one (1-11)")
                                      @RequestParam(name = "to", required = false) Integer to,
                                      @Parameter(description = "expected session version (the ETag)")
                                      @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        SessionRecord session = sessions.load(id, Mode.WALKTHROUGH, ifMatch);
        WalkthroughService.Advanced advanced = walkthrough.advance(session, to);
        SessionRecord stored = sessions.store(session, advanced.session());
        Integer next = stored.walkthrough().nextStep() <= 11 ? stored.walkthrough().nextStep() : null;
        return ResponseEntity.ok().eTag(Sessions.etag(stored.version()))
                .body(new StepResponse(advanced.steps(), next, stored.status(), stored.version()));
    }
}
