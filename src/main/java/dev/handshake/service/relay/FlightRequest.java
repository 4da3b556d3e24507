package dev.handshake.service.relay;

import io.swagger.v3.oas.annotations.media.Schema;

/** One flight of client records, JSON form. */
@Schema(description = "One flight of TLS records from the client")
record FlightRequest(@Schema(description = "Whole or partial TLS records, base64", example = "FgMDAEYQAABCQQT...",
        requiredMode = Schema.RequiredMode.REQUIRED) String records) {
}
