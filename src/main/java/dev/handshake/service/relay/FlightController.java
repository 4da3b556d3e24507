package dev.handshake.service.relay;

import dev.handshake.service.problem.ApiException;
import dev.handshake.service.problem.ProblemKind;
import dev.handshake.service.session.ClientAuthPolicy;
import dev.handshake.service.session.CreateSessionRequest;
import dev.handshake.service.session.Mode;
import dev.handshake.service.session.ModeHandler;
import dev.handshake.service.session.SessionIds;
import dev.handshake.service.session.SessionRecord;
import dev.handshake.service.session.Sessions;
import dev.handshake.service.session.TlsOptions;
import dev.handshake.tls.ClientAuth;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Base64;
import java.util.List;
import java.util.Set;
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
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/v1/sessions/{id}/flights}: client records in, server records out. The body is read here, bounded,
 * rather than by a message converter, so an oversized flight is refused after {@code maxFlightBytes + 1} bytes without
 * buffering the rest.
 */
@RestController
@RequestMapping("/api/v1/sessions")
@Tag(name = "relay", description = "Relay mode: you are the TLS client, the service is the TLS server")
class FlightController {

    /** The session's status after the flight, for raw-records clients that read no JSON. */
    static final String STATUS_HEADER = "Handshake-Status";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RelayService relay;
    private final Sessions sessions;
    private final Validator validator;

    FlightController(RelayService relay, Sessions sessions, Validator validator) {
        this.relay = relay;
        this.sessions = sessions;
        this.validator = validator;
    }

    @Operation(summary = "Start a relay session with raw records",
            description = "The octet-stream form of starting a relay session: the body is your TLS client's first "
                    + "flight (its ClientHello records), the options are query parameters with the same names, values "
                    + "and defaults as the JSON form's members, and the answer is the server's flight as raw records, "
                    + "with the session in Location, its version in ETag and its status in Handshake-Status. It exists "
                    + "for speed: a raw-records client needs no JSON, no base64 and no session view on the hot path "
                    + "(GET the session when you want it).",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content =
                    @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                            schema = @Schema(type = "string", format = "binary"))))
    @ApiResponse(responseCode = "201", description = "Created; the body is the server's records",
            headers = {@Header(name = "Location", description = "the session's URL"),
                    @Header(name = "ETag", description = "the session version"),
                    @Header(name = STATUS_HEADER, description = "HANDSHAKING, ESTABLISHED or FAILED")},
            content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                    schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "400", description = "An option out of range (type malformed-request)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = """
                            {"type":"https://handshake.dev/problems/malformed-request","title":"Malformed request",
                             "status":400,"detail":"version is out of range.","field":"version"}""")))
    @ApiResponse(responseCode = "413", description = "First flight larger than the flight limit (type flight-too-large)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "503", description = "Session store full (store-full) or unreachable "
            + "(store-unavailable); see Retry-After", headers = @Header(name = "Retry-After", description = "seconds"),
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    ResponseEntity<byte[]> start(@Parameter(description = "TLSv1.2 (default) or TLSv1.3") @RequestParam(required = false) String version,
                                 @Parameter(description = "MODERN, COMPATIBLE (default) or LEGACY") @RequestParam(required = false) String profile,
                                 @Parameter(description = "informational, as in the JSON form") @RequestParam(required = false) String serverName,
                                 @Parameter(description = "none (default), optional or required") @RequestParam(required = false) String clientAuth,
                                 @Parameter(description = "ALPN protocols in preference order (repeat the parameter)")
                                 @RequestParam(required = false) List<String> applicationProtocols,
                                 @Parameter(description = "pad TLS 1.3 records to a multiple of this many bytes; 0 "
                                         + "(default): none") @RequestParam(required = false) Integer recordPadding,
                                 HttpServletRequest request) throws IOException {
        CreateSessionRequest options = new CreateSessionRequest(Mode.RELAY, profile, version, serverName,
                clientAuth == null ? null : clientAuthPolicy(clientAuth), applicationProtocols, null, null,
                recordPadding);
        Set<ConstraintViolation<CreateSessionRequest>> violations = validator.validate(options);
        if (!violations.isEmpty()) {
            String field = violations.iterator().next().getPropertyPath().iterator().next().getName();
            throw new ApiException(ProblemKind.MALFORMED_REQUEST, field + " is out of range.").with("field", field);
        }
        int max = sessions.properties().maxFlightBytes();
        ModeHandler.Created created = relay.start(SessionIds.next(), options, readBounded(request, max, max),
                sessions.now());
        sessions.create(created.session());
        SessionRecord stored = created.session().withVersion(1);
        return ResponseEntity.created(URI.create("/api/v1/sessions/" + stored.id()))
                .eTag(Sessions.etag(stored.version())).header(STATUS_HEADER, stored.status().name())
                .header(HttpHeaders.CACHE_CONTROL, "no-store").contentType(MediaType.APPLICATION_OCTET_STREAM)
                .body(created.flight() == null ? new byte[0] : created.flight());
    }

    private static ClientAuthPolicy clientAuthPolicy(String value) {
        try {
            return ClientAuthPolicy.of(value);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ProblemKind.MALFORMED_REQUEST, "clientAuth must be none, optional or required.")
                    .with("field", "clientAuth");
        }
    }

    @Operation(summary = "Post one flight of client records",
            description = "Send the records your TLS client wrote (application/octet-stream: raw bytes, answered as raw "
                    + "bytes; or JSON with base64). The answer holds the server's records. A TLS failure is not an HTTP "
                    + "error: the answer is 200 with the fatal alert record, and the session shows the alert and step. "
                    + "Application data records are meant for /records; if a flight carries some, they are handled as "
                    + "/records handles them (forwarded to the route's upstream, or echoed when no route is configured). Send If-Match with the session version (ETag) to make a lost race a 409 "
                    + "instead of a second advance.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                            schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = FlightRequest.class))}))
    @ApiResponse(responseCode = "200", description = "The server's records (possibly a fatal alert)",
            headers = {@Header(name = "ETag", description = "the session version after this flight"),
                    @Header(name = STATUS_HEADER, description = "HANDSHAKING, ESTABLISHED, FAILED or CLOSED")},
            content = {@Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                    schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = FlightResponse.class))})
    @ApiResponse(responseCode = "400", description = "Malformed JSON, base64 or If-Match (type malformed-request)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "Unknown or expired session (type session-not-found)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "Walkthrough session (wrong-mode), failed or closed connection "
            + "(wrong-state), or another flight advanced the session first (concurrent-advance)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = """
                            {"type":"https://handshake.dev/problems/concurrent-advance","title":"Session was advanced concurrently",
                             "status":409,"detail":"Another request advanced this session first; read it again and retry with its current version.",
                             "sessionId":"kq3Zb0P6w1nC4mUvQhTx2AaB"}""")))
    @ApiResponse(responseCode = "413", description = "Flight larger than the limit (type flight-too-large)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "415", description = "Neither octet-stream nor JSON (type unsupported-media-type)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(path = "/{id}/flights",
            consumes = {MediaType.APPLICATION_OCTET_STREAM_VALUE, MediaType.APPLICATION_JSON_VALUE})
    ResponseEntity<?> flight(@Parameter(description = "session id") @PathVariable String id,
                             @Parameter(description = "expected session version (the ETag)")
                             @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                             HttpServletRequest request) throws IOException {
        return post(id, ifMatch, request, false);
    }

    @Operation(summary = "Post application-data records; get the upstream's reply as records",
            description = "On an ESTABLISHED session: the service decrypts the records and forwards the plaintext to "
                    + "the upstream of the proxy route that the session's SNI selects (handshake.proxy.routes, exact "
                    + "names, then wildcards, then default-route; never an address from the request). http1 routes: the "
                    + "records must carry exactly one complete HTTP/1.1 request; the answer holds one complete "
                    + "response. tcp routes: the answer holds what the upstream sent until it half-closed, went quiet, "
                    + "or the size limit. With no route configured the data is echoed. A record that fails to decrypt "
                    + "ends the session with bad_record_mac (200 with the alert, status FAILED). When the upstream "
                    + "fails (502/504) or the request is incomplete (400), the session is not advanced.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                            schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = FlightRequest.class))}))
    @ApiResponse(responseCode = "200", description = "The upstream's reply as records (or a fatal alert)",
            headers = {@Header(name = "ETag", description = "the session version after this call"),
                    @Header(name = STATUS_HEADER, description = "ESTABLISHED, FAILED or CLOSED")},
            content = {@Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                    schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = FlightResponse.class))})
    @ApiResponse(responseCode = "400", description = "Malformed body, or not exactly one complete HTTP/1.1 request for "
            + "an http1 route (type malformed-request)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "Unknown or expired session (type session-not-found)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "Walkthrough session (wrong-mode), handshake not complete, failed "
            + "or closed (wrong-state), no route for the session's SNI (no-upstream-route), or concurrent-advance",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "413", description = "Records larger than the flight limit (type flight-too-large)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "502", description = "Upstream down, broken or response too large (upstream-failed)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "504", description = "Upstream too slow (upstream-timeout)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(path = "/{id}/records",
            consumes = {MediaType.APPLICATION_OCTET_STREAM_VALUE, MediaType.APPLICATION_JSON_VALUE})
    ResponseEntity<?> records(@Parameter(description = "session id") @PathVariable String id,
                              @Parameter(description = "expected session version (the ETag)")
                              @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                              HttpServletRequest request) throws IOException {
        return post(id, ifMatch, request, true);
    }

    @Operation(summary = "Ask the TLS 1.3 client for its certificate (post-handshake authentication)",
            description = "On an ESTABLISHED TLS 1.3 session whose client offered post_handshake_auth (RFC 8446 "
                    + "§4.2.6; openssl s_client -enable_pha does, SunJSSE and BC JSSE do not): the answer is the "
                    + "server's CertificateRequest as records, to hand to your TLS client. Its answer (Certificate, "
                    + "CertificateVerify, Finished) is an ordinary post to /flights or /records; once verified, the "
                    + "session view's peerCertificates show the new certificate. Application data keeps flowing "
                    + "meanwhile. With policy=required an empty Certificate ends the connection with "
                    + "certificate_required; with optional the client may decline.")
    @ApiResponse(responseCode = "200", description = "The CertificateRequest records",
            headers = {@Header(name = "ETag", description = "the session version after this call"),
                    @Header(name = STATUS_HEADER, description = "ESTABLISHED")},
            content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                    schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "400", description = "policy is neither required nor optional, or If-Match malformed "
            + "(type malformed-request)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "Unknown or expired session (type session-not-found)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "Walkthrough session (wrong-mode); handshake not complete, failed "
            + "or closed, a TLS 1.2 session, a client that did not offer post_handshake_auth, or a request still "
            + "outstanding (wrong-state); concurrent-advance",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = """
                            {"type":"https://handshake.dev/problems/wrong-state","title":"Operation not available in this session's state",
                             "status":409,"detail":"No certificate can be requested now: the client did not offer post_handshake_auth.",
                             "sessionId":"kq3Zb0P6w1nC4mUvQhTx2AaB","version":"tls1_3"}""")))
    @PostMapping(path = "/{id}/certificate-request")
    ResponseEntity<byte[]> certificateRequest(@Parameter(description = "session id") @PathVariable String id,
                                              @Parameter(description = "required (default) or optional")
                                              @RequestParam(required = false) String policy,
                                              @Parameter(description = "expected session version (the ETag)")
                                              @RequestHeader(name = HttpHeaders.IF_MATCH, required = false)
                                              String ifMatch) {
        ClientAuth mode;
        if (policy == null || policy.equalsIgnoreCase("required")) {
            mode = ClientAuth.REQUIRED;
        } else if (policy.equalsIgnoreCase("optional")) {
            mode = ClientAuth.OPTIONAL;
        } else {
            throw new ApiException(ProblemKind.MALFORMED_REQUEST, "policy must be required or optional.")
                    .with("field", "policy");
        }
        SessionRecord session = sessions.load(id, Mode.RELAY, ifMatch);
        RelayService.Advanced advanced = relay.requestClientCertificate(session, mode);
        SessionRecord stored = sessions.store(session, advanced.session());
        return ResponseEntity.ok().eTag(Sessions.etag(stored.version())).header(STATUS_HEADER, stored.status().name())
                .header(HttpHeaders.CACHE_CONTROL, "no-store").contentType(MediaType.APPLICATION_OCTET_STREAM)
                .body(advanced.records());
    }

    private ResponseEntity<?> post(String id, String ifMatch, HttpServletRequest request, boolean dataOnly)
            throws IOException {
        int max = sessions.properties().maxFlightBytes();
        boolean json = MediaType.APPLICATION_JSON.isCompatibleWith(MediaType.parseMediaType(request.getContentType()));
        byte[] records;
        if (json) {
            // base64 is 4/3 of the flight, plus room for the JSON around it
            byte[] body = readBounded(request, max / 3 * 4 + 1024, max);
            FlightRequest flight;
            try {
                flight = JSON.readValue(body, FlightRequest.class);
            } catch (JacksonException e) {
                throw new ApiException(ProblemKind.MALFORMED_REQUEST, "The body is not a flight: expected "
                        + "{\"records\": \"<base64>\"}.");
            }
            if (flight == null || flight.records() == null) {
                throw new ApiException(ProblemKind.MALFORMED_REQUEST, "records is required.").with("field", "records");
            }
            records = TlsOptions.base64(flight.records(), "records", max);
        } else {
            records = readBounded(request, max, max);
        }
        // the records endpoint reaches the upstream before the compare-and-set: it reads the store, never a cached write
        SessionRecord session = sessions.load(id, Mode.RELAY, ifMatch, !dataOnly);
        RelayService.Advanced advanced = dataOnly ? relay.records(session, records) : relay.flight(session, records);
        SessionRecord stored = sessions.store(session, advanced.session());
        ResponseEntity.BodyBuilder response = ResponseEntity.ok().eTag(Sessions.etag(stored.version()))
                .header(STATUS_HEADER, stored.status().name()).header(HttpHeaders.CACHE_CONTROL, "no-store");
        if (json) {
            return response.contentType(MediaType.APPLICATION_JSON).body(new FlightResponse(
                    Base64.getEncoder().encodeToString(advanced.records()), stored.status(), stored.version(),
                    advanced.applicationDataReceived(), stored.failure()));
        }
        return response.contentType(MediaType.APPLICATION_OCTET_STREAM).body(advanced.records());
    }

    /** Reads at most {@code limit} bytes; one more means the body is too large (413 naming {@code flightLimit}). */
    private static byte[] readBounded(HttpServletRequest request, int limit, int flightLimit) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            throw TlsOptions.tooLarge(flightLimit);
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(limit + 1);
            if (body.length > limit) {
                throw TlsOptions.tooLarge(flightLimit);
            }
            return body;
        }
    }
}
