package dev.handshake.service.relay;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the relay's {@code /records} endpoint talks to a route's upstream. One upstream TCP connection per call: the
 * session lives in the repository between calls, so nothing else may outlive a call.
 *
 * @param quietPeriod      {@code tcp} routes: the reply ends when nothing more arrives for this long
 * @param timeout          the whole upstream exchange (connect excluded, see {@code handshake.proxy.upstream-connect-timeout})
 *                         may take at most this long: then 504
 * @param maxResponseBytes {@code http1}: a larger response is a 502; {@code tcp}: the reply is cut at this size
 */
@ConfigurationProperties("handshake.proxy.records")
public record RecordsProperties(Duration quietPeriod, Duration timeout, Integer maxResponseBytes) {

    public RecordsProperties {
        quietPeriod = quietPeriod == null ? Duration.ofMillis(200) : quietPeriod;
        timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
        maxResponseBytes = maxResponseBytes == null ? 1 << 20 : maxResponseBytes;
        if (quietPeriod.isNegative() || quietPeriod.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("handshake.proxy.records quiet-period and timeout must be positive");
        }
        if (maxResponseBytes < 1 || maxResponseBytes > 64 << 20) {
            throw new IllegalArgumentException("handshake.proxy.records.max-response-bytes must be 1..64 MiB");
        }
    }
}
