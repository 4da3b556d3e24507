package dev.handshake.service.session;

/** What a session does with the engine. */
public enum Mode {
    /** The caller is a real TLS client and posts its records; the service is the TLS server. */
    RELAY,
    /** The service plays both sides and reveals the handshake one seed step at a time. */
    WALKTHROUGH;

    @com.fasterxml.jackson.annotation.JsonValue
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static Mode of(String value) {
        return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
