package dev.handshake.service.capture;

import dev.handshake.service.session.Mode;
import dev.handshake.service.session.SessionRecord;
import dev.handshake.service.session.SessionStatus;
import dev.handshake.service.session.Sessions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/sessions/{id}/capture}: the session's records as a pcapng file that Wireshark opens decrypted. */
@RestController
@RequestMapping("/api/v1/sessions")
@Tag(name = "sessions")
class CaptureController {

    static final MediaType PCAPNG = MediaType.parseMediaType("application/vnd.tcpdump.pcap");

    private final Sessions sessions;
    private final CaptureProperties properties;

    CaptureController(Sessions sessions, CaptureProperties properties) {
        this.sessions = sessions;
        this.properties = properties;
    }

    @Operation(summary = "Download the session as a pcapng capture",
            description = "The records the session saw (up to `handshake.capture.max-bytes`), as TCP/IPv4 packets "
                    + "between 192.0.2.1 (client) and 198.51.100.1:443 (server), documentation addresses that are "
                    + "only written into the file. Walkthrough captures carry the TLS key log in a Decryption Secrets "
                    + "Block, so Wireshark and tshark decrypt them with no setup; relay captures only when "
                    + "`handshake.capture.relay-key-export` is on. Header `Capture-Truncated` gives the bytes not kept.")
    @ApiResponse(responseCode = "200", description = "The capture",
            content = @Content(mediaType = "application/vnd.tcpdump.pcap", schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "404", description = "Unknown or expired session (type session-not-found)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @GetMapping(path = "/{id}/capture")
    ResponseEntity<byte[]> capture(@Parameter(description = "session id") @PathVariable String id) {
        SessionRecord session = sessions.load(id);
        boolean keyLog = session.mode() == Mode.WALKTHROUGH || properties.relayKeyExport();
        byte[] file = Pcapng.write(session.capture(), keyLog, session.createdAt(), session.status() == SessionStatus.CLOSED);
        return ResponseEntity.ok()
                .contentType(PCAPNG)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("handshake-" + session.mode().json() + "-" + id + ".pcapng").build().toString())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Capture-Truncated", Long.toString(session.capture().droppedBytes()))
                .body(file);
    }
}
