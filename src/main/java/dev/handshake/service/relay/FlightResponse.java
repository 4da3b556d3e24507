package dev.handshake.service.relay;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.handshake.service.session.SessionRecord;
import dev.handshake.service.session.SessionStatus;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The server's answer to one flight, JSON form.
 *
 * @param records                 the server's records, base64 (may be empty)
 * @param applicationDataReceived bytes of application data the server decrypted from this flight (echoed back inside
 *                                {@code records})
 * @param failure                 set when the flight ended the connection with a fatal alert (which is in {@code records})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "The server's answer to one flight")
record FlightResponse(
        @Schema(example = "FgMDAFECAABNAwNm...") String records,
        @Schema(example = "ESTABLISHED") SessionStatus status,
        @Schema(example = "3") long version,
        @Schema(example = "0") int applicationDataReceived,
        SessionRecord.FailureSummary failure) {
}
