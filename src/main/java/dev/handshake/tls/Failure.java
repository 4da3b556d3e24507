package dev.handshake.tls;

import dev.handshake.tls.event.SeedStep;
import dev.handshake.tls.wire.AlertDescription;

/** Why a connection ended in failure: the fatal alert, who sent it, and the seed step it happened at. */
public record Failure(AlertDescription alert, boolean sentByUs, SeedStep step, String reason) {
}
