package dev.handshake.service.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * What a session is, as {@code GET /api/v1/sessions/{id}} shows it (and the answer to creating one).
 *
 * @param version     the compare-and-set version; also the ETag. Send it as {@code If-Match} to advance only this version
 * @param stepsDone   seed steps (1-11) completed
 * @param nextStep    walkthrough: the step the next call reveals; null when finished or in relay mode
 * @param flight      on creation of a relay session with a first flight: the server's answer, base64
 * @param secrets     walkthrough only: derived values of the revealed steps, secrets included
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A handshake session")
public record SessionView(
        @Schema(example = "kq3Zb0P6w1nC4mUvQhTx2AaB") String id,
        @Schema(example = "relay") String mode,
        @Schema(example = "2") long version,
        @Schema(example = "ESTABLISHED") SessionStatus status,
        @Schema(example = "[1,2,3,4,7,8,9,10]") List<Integer> stepsDone,
        Integer nextStep,
        Negotiated negotiated,
        @Schema(description = "Summary of the certificates the server received (relay) or the client received "
                + "(walkthrough), leaf first") List<Map<String, Object>> peerCertificates,
        SessionRecord.FailureSummary failure,
        List<TranscriptEntry> transcript,
        int droppedEvents,
        List<WalkthroughProgress.DerivedValue> secrets,
        SessionOptions options,
        @Schema(example = "2026-11-28T12:00:00Z") String createdAt,
        @Schema(example = "2026-11-28T12:00:30Z") String expiresAt,
        Map<String, String> links,
        String flight) {

    /**
     * What the handshake negotiated (null fields until known).
     *
     * @param resumed whether the handshake resumed an earlier session from a ticket (no certificates were exchanged);
     *                the ticket may have been issued by another replica or by the TCP proxy of any replica
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Negotiated(
            @Schema(example = "tls1_2") String version,
            @Schema(example = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256") String cipherSuite,
            @Schema(example = "x25519") String group,
            Boolean extendedMasterSecret,
            @Schema(example = "http/1.1") String applicationProtocol,
            @Schema(example = "localhost") String serverName,
            Integer renegotiations,
            Boolean resumed) {
    }

    public SessionView withFlight(String base64) {
        return new SessionView(id, mode, version, status, stepsDone, nextStep, negotiated, peerCertificates, failure,
                transcript, droppedEvents, secrets, options, createdAt, expiresAt, links, base64);
    }
}
