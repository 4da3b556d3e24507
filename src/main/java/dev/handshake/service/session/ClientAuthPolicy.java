package dev.handshake.service.session;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Whether the server asks for a client certificate (seed steps 2, 5, 6) and whether it insists. */
public enum ClientAuthPolicy {
    NONE, OPTIONAL, REQUIRED;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ClientAuthPolicy of(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
