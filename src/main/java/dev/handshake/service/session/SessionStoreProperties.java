package dev.handshake.service.session;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where sessions live, and how they are protected there. {@link SessionProperties} (same prefix) holds the limits.
 *
 * @param store      {@code memory} (the default: one process, nothing else to run) or {@code redis} (sessions shared
 *                   by every replica that uses the same Redis and the same encryption keys)
 * @param encryption the keys sealing stored values (Redis store only)
 * @param redis      Redis key layout (the connection itself is {@code spring.data.redis.*})
 */
@Validated
@ConfigurationProperties("handshake.session")
public record SessionStoreProperties(
        @DefaultValue("memory") @NotNull Store store,
        @DefaultValue @Valid Encryption encryption,
        @DefaultValue @Valid Redis redis) {

    public enum Store { MEMORY, REDIS }

    /**
     * AES-GCM keys for values at rest. Every value names the key that sealed it, so a key can be added, made current,
     * and removed once no live value needs it (after the longest session lifetime) without losing sessions.
     *
     * @param keys         key id -> base64 of a 16- or 32-byte AES key ({@code openssl rand -base64 32})
     * @param currentKeyId the key new values are sealed with
     */
    public record Encryption(Map<String, String> keys, String currentKeyId) {

        public Encryption {
            keys = keys == null ? Map.of() : Map.copyOf(keys);
        }
    }

    /** @param keyPrefix prepended to every key this service writes, so several deployments can share one Redis */
    public record Redis(@DefaultValue("handshake:") @NotBlank @Pattern(regexp = "[A-Za-z0-9:._-]{1,64}") String keyPrefix) {
    }
}
