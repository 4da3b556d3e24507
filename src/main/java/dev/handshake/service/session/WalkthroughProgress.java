package dev.handshake.service.session;

import java.util.List;
import java.util.Map;

/**
 * Where a walkthrough is: the conversation runs a flight at a time, and its events wait in {@code pending} until the
 * step they belong to is revealed.
 *
 * @param nextStep     the seed step the next call reveals (12 when finished)
 * @param inFlight     records written by one side and not yet delivered to the other
 * @param toServer     the direction of {@code inFlight}
 * @param clientMaxStep highest seed step among the client's events so far (a step is complete when both sides passed it)
 * @param serverMaxStep the same for the server
 * @param pending      events produced and not yet revealed, in order
 * @param revealed     derived values of revealed steps (secrets are shown: nothing real is protected here)
 * @param applicationDataExchanged whether step 10's sample exchange ran
 * @param stoppedAt    the step a failure stopped the walkthrough at, or 0
 */
public record WalkthroughProgress(
        int nextStep,
        byte[] inFlight,
        boolean toServer,
        int clientMaxStep,
        int serverMaxStep,
        List<WalkEvent> pending,
        List<DerivedValue> revealed,
        boolean applicationDataExchanged,
        int stoppedAt) {

    public WalkthroughProgress {
        pending = List.copyOf(pending);
        revealed = List.copyOf(revealed);
    }

    /**
     * One engine event with its details, as the walkthrough shows it.
     *
     * @param step       the seed step it is revealed in
     * @param engineStep the seed step the engine named (differs only for renegotiation, revealed in step 11, and for a
     *                   fatal alert, shown with the step whose check raised it)
     * @param kind       message_sent, message_received, secret, value, certificate_check, alert_sent, ...
     * @param name       message type, secret or value name, or alert description
     * @param fields     decoded fields as JSON-ready values
     * @param raw        encoded message bytes as hex, or a derived value as hex
     */
    public record WalkEvent(int step, int engineStep, String actor, String kind, String name, Map<String, Object> fields,
                            String raw, String summary) {
    }

    /** A value derived in a revealed step. */
    public record DerivedValue(int step, String actor, String name, String value, boolean secret) {
    }
}
