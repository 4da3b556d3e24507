package dev.handshake.service.capture;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What a session keeps for its capture download.
 *
 * @param maxBytes        record bytes kept per session (bounds memory: the store holds up to max-sessions of them);
 *                        a handshake with a certificate chain is 3 to 8 KiB, so the default keeps a handshake and some
 *                        application data. 0 keeps nothing
 * @param relayKeyExport  whether relay sessions derive their key log and put it in their captures. Off by default:
 *                        with it on, anyone holding a relay session's id can decrypt that connection's traffic.
 *                        Walkthrough captures always carry their key log (nothing real is protected there)
 */
@Validated
@ConfigurationProperties("handshake.capture")
public record CaptureProperties(
        @DefaultValue("32768") @Min(0) @Max(1048576) int maxBytes,
        @DefaultValue("false") boolean relayKeyExport) {
}
