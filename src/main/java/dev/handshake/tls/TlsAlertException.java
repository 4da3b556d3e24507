package dev.handshake.tls;

import dev.handshake.tls.wire.AlertDescription;

/**
 * The one exception the engine throws for a protocol failure: it carries the fatal alert to send and a reason. It is
 * caught once, at the engine's edge, which emits {@code AlertSent} and moves the connection to a terminal state.
 * The message is safe to log: it never contains secret material.
 */
public final class TlsAlertException extends RuntimeException {

    private final AlertDescription alert;

    public TlsAlertException(AlertDescription alert, String reason) {
        super(reason, null, false, false);
        this.alert = alert;
    }

    public AlertDescription alert() {
        return alert;
    }

    public String reason() {
        return getMessage();
    }
}
