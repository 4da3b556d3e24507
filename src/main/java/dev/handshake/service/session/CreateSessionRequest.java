package dev.handshake.service.session;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Locale;

/**
 * Starts a session.
 *
 * @param firstFlight relay only: the client's first records (its ClientHello), base64; the answer carries the
 *                    server's flight
 */
@Schema(description = "Starts a relay or walkthrough session", example = """
        {"mode":"walkthrough","version":"TLSv1.2","profile":"COMPATIBLE","serverName":"localhost",
         "clientAuth":"required","walkthrough":{"keyExchange":"ecdhe","faults":["renegotiation"]}}""")
public record CreateSessionRequest(
        @Schema(description = "relay: you are the TLS client and post records; walkthrough: the service plays both "
                + "sides", requiredMode = Schema.RequiredMode.REQUIRED, example = "relay")
        @NotNull Mode mode,
        @Schema(description = "Engine profile: MODERN (ECDHE+AEAD), COMPATIBLE (adds RSA key exchange and CBC), "
                + "LEGACY (adds 3DES, RC4)", defaultValue = "COMPATIBLE", example = "COMPATIBLE")
        @Pattern(regexp = "MODERN|COMPATIBLE|LEGACY") String profile,
        @Schema(description = "Highest TLS version offered/accepted", defaultValue = "TLSv1.2", example = "TLSv1.2",
                allowableValues = {"TLSv1.2", "TLSv1.3"})
        @Pattern(regexp = "TLSv1\\.[23]") String version,
        @Schema(description = "Walkthrough: SNI the client sends and the name it checks in the server certificate. "
                + "Relay: the client's own SNI is reported; this value is informational.", example = "localhost")
        @Size(max = 253) @Pattern(regexp = "[A-Za-z0-9.:-]+") String serverName,
        @Schema(description = "Client certificate policy of the server", defaultValue = "none", example = "none")
        ClientAuthPolicy clientAuth,
        @Schema(description = "ALPN protocols, in preference order", example = "[\"http/1.1\"]")
        @Size(max = 8) List<@NotNull @Size(min = 1, max = 255) String> applicationProtocols,
        @Schema(description = "Relay: the client's first flight (ClientHello records), base64",
                example = "FgMBAKMBAACfAwM...")
        @Size(max = 100_000) String firstFlight,
        @Schema(description = "Walkthrough options") @Valid WalkthroughOptions walkthrough,
        @Schema(description = "Relay: pad every TLS 1.3 record the service sends to a multiple of this many bytes "
                + "(RFC 8446 §5.4), so record lengths reveal less about their content; TLS 1.2 records are never "
                + "padded", defaultValue = "0", example = "256")
        @Min(0) @Max(16384) Integer recordPadding) {

    /** A request without record padding. */
    public CreateSessionRequest(Mode mode, String profile, String version, String serverName,
                                ClientAuthPolicy clientAuth, List<String> applicationProtocols, String firstFlight,
                                WalkthroughOptions walkthrough) {
        this(mode, profile, version, serverName, clientAuth, applicationProtocols, firstFlight, walkthrough, null);
    }

    /**
     * Walkthrough options.
     *
     * @param cipherSuite one IANA suite name to use (must fit the profile and key exchange)
     */
    public record WalkthroughOptions(
            @Schema(description = "rsa (the seed's key transport) or ecdhe", defaultValue = "rsa") KeyExchangeChoice keyExchange,
            @Schema(description = "One IANA cipher suite name", example = "TLS_RSA_WITH_AES_128_GCM_SHA256")
            @Size(max = 80) @Pattern(regexp = "TLS_[A-Z0-9_]+") String cipherSuite,
            @Schema(description = "Faults to inject") @Size(max = 5) List<@NotNull WalkthroughFault> faults) {
    }

    /** How the walkthrough's pre-master secret is established (seed step 4). */
    public enum KeyExchangeChoice {
        RSA, ECDHE;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static KeyExchangeChoice of(String value) {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** A fault the walkthrough injects, and the seed step it stops at. */
    public enum WalkthroughFault {
        /** The server presents a certificate from a CA the client does not trust: step 3 warns and stops. */
        UNTRUSTED_SERVER_CERTIFICATE,
        /** The server presents an expired certificate: step 3 warns and stops. */
        EXPIRED_SERVER_CERTIFICATE,
        /** The client presents a certificate the server does not trust: step 6 ends the session. */
        REJECTED_CLIENT_CERTIFICATE,
        /** The client's Finished carries wrong verify_data: the server refuses it at step 8. */
        TAMPERED_FINISHED,
        /** At step 11 the server renegotiates (TLS 1.3: KeyUpdate). */
        RENEGOTIATION;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static WalkthroughFault of(String value) {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }
}
