package dev.handshake.service.walkthrough;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.handshake.service.session.SessionStatus;
import dev.handshake.service.session.WalkthroughProgress;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/** The answer to advancing a walkthrough: the steps revealed by this call, and where the walkthrough is now. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "Steps revealed by one call")
record StepResponse(List<RevealedStep> steps, @Schema(example = "5") Integer nextStep, SessionStatus status,
                    @Schema(example = "4") long version) {

    /**
     * One seed step.
     *
     * @param outcome completed; warning (step 3: the server could not be authenticated); stopped (a fatal alert ended
     *                the session here); or info (nothing happened on the wire, e.g. step 11 without renegotiation)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RevealedStep(
            @Schema(example = "4") int step,
            @Schema(example = "client") String actor,
            @Schema(example = "The client creates the pre-master secret and sends it encrypted (or its key share)") String title,
            @Schema(description = "The seed's own words for this step") String explanation,
            @Schema(example = "completed") String outcome,
            List<Message> messages,
            List<WalkthroughProgress.DerivedValue> derived,
            List<Event> events,
            Alert alert) {
    }

    /** A message of the step: who sent it, its decoded fields and its bytes (handshake header included) as hex. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Message(@Schema(example = "client") String from, @Schema(example = "client_key_exchange") String type,
                   @Schema(example = "4") int seedStep, Map<String, Object> fields,
                   @Schema(example = "10000102010054...") String rawHex) {
    }

    /** Anything else that happened in the step (receipt, key change, certificate check, alert, ...). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Event(String actor, String kind, String name, @Schema(example = "4") int seedStep, String summary,
                 Map<String, Object> fields) {
    }

    /** The fatal alert that stopped the walkthrough. */
    record Alert(@Schema(example = "bad_certificate") String description, String sentBy, String reason) {
    }

    static Map<String, Object> emptyIfNull(Map<String, Object> fields) {
        return fields == null ? Map.of() : fields;
    }
}
