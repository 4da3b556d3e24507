package dev.handshake.service.session;

import dev.handshake.service.problem.ApiException;
import dev.handshake.service.problem.ProblemKind;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.suite.Profile;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.wire.ProtocolVersion;
import java.util.Base64;
import java.util.List;

/** Applies a session's stored options to an engine configuration (both modes share the mapping). */
public final class TlsOptions {

    private TlsOptions() {
    }

    public static Profile profile(SessionOptions options) {
        return Profile.parse(options.profile());
    }

    /**
     * The version range: TLS 1.2 only, or up to TLS 1.3 (the engine negotiates 1.3 with peers that offer it once it
     * implements it; the API already passes the choice through).
     */
    public static TlsConfig.Builder versions(TlsConfig.Builder builder, SessionOptions options) {
        ProtocolVersion max = "TLSv1.3".equals(options.version()) ? ProtocolVersion.TLS1_3 : ProtocolVersion.TLS1_2;
        return builder.versions(ProtocolVersion.TLS1_2, max);
    }

    public static TlsConfig.Builder common(TlsConfig.Builder builder, SessionOptions options, List<CipherSuiteId> suites) {
        versions(builder.profile(profile(options)), options);
        if (!suites.isEmpty()) {
            builder.cipherSuites(suites);
        }
        if (!options.applicationProtocols().isEmpty()) {
            builder.applicationProtocols(options.applicationProtocols());
        }
        return builder;
    }

    /** A suite name the profile allows, or 400. */
    public static CipherSuiteId suite(String name, Profile profile) {
        CipherSuiteId id = Profile.LEGACY.suites().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new ApiException(ProblemKind.MALFORMED_REQUEST, "Unknown cipher suite.")
                        .with("cipherSuite", name));
        if (!profile.allows(id)) {
            throw new ApiException(ProblemKind.MALFORMED_REQUEST, "The cipher suite is not in the chosen profile.")
                    .with("cipherSuite", name).with("profile", profile.name());
        }
        return id;
    }

    /** Strict base64 (RFC 4648 §4); 400 when malformed, 413 when the decoded flight exceeds the limit. */
    public static byte[] base64(String value, String field, int maxBytes) {
        if (value == null) {
            return null;
        }
        if ((long) value.length() * 3 / 4 > maxBytes + 3L) {
            throw tooLarge(maxBytes);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ProblemKind.MALFORMED_REQUEST, field + " is not valid base64.").with("field", field);
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return bytes;
    }

    public static ApiException tooLarge(int maxBytes) {
        return new ApiException(ProblemKind.FLIGHT_TOO_LARGE, "A flight may carry at most " + maxBytes + " bytes.")
                .with("maxFlightBytes", maxBytes);
    }
}
