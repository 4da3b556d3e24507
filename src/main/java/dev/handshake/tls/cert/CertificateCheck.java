package dev.handshake.tls.cert;

import dev.handshake.tls.wire.AlertDescription;

/**
 * The outcome of validating a peer's certificate chain: trusted, or the first problem found (in the order documented
 * on {@link CertificateValidation}), with a safe human-readable detail and a summary of the leaf certificate.
 *
 * @param trusted whether every check passed
 * @param problem the first failed check; null when trusted
 * @param detail  what was checked or what failed, safe to log and show (certificate names and dates, never keys)
 * @param leaf    the leaf certificate's summary; null when the chain is empty or the leaf itself could not be decoded
 */
public record CertificateCheck(boolean trusted, Problem problem, String detail, CertificateSummary leaf) {

    public CertificateCheck {
        if (trusted != (problem == null)) {
            throw new IllegalArgumentException("a check is trusted exactly when it has no problem");
        }
    }

    static CertificateCheck passed(String detail, CertificateSummary leaf) {
        return new CertificateCheck(true, null, printable(detail), leaf);
    }

    static CertificateCheck failed(Problem problem, String detail, CertificateSummary leaf) {
        return new CertificateCheck(false, problem, printable(detail), leaf);
    }

    /**
     * Details quote peer-supplied names and provider messages: keep them to printable ASCII and a bounded length, so
     * a crafted certificate cannot forge log lines or flood them.
     */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_DETAIL));
        for (int i = 0; i < text.length() && i < MAX_DETAIL; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (text.length() > MAX_DETAIL) {
            out.append("...");
        }
        return out.toString();
    }

    private static final int MAX_DETAIL = 1000;

    /** The fatal alert to send for this outcome, or null when trusted. */
    public AlertDescription alert() {
        return problem == null ? null : problem.alert();
    }

    /** Why a chain was not accepted, each with the alert RFC 5246 §7.2.2 and RFC 8446 §6.2 give for it. */
    public enum Problem {
        /**
         * No certificate at all. {@code certificate_required} is RFC 8446 §4.4.2.4's alert for a TLS 1.3 client that
         * sent none; a TLS 1.2 server answers {@code handshake_failure} instead (RFC 5246 §7.4.6, the alert does not
         * exist there), and a client facing an empty server Certificate sends {@code decode_error} (RFC 8446 §4.4.2.4):
         * the state machines choose those themselves, since only they know the version and role.
         */
        EMPTY_CHAIN(AlertDescription.CERTIFICATE_REQUIRED),
        /** A certificate that is not one exact DER X.509 certificate: "a certificate was corrupt" (bad_certificate). */
        BAD_ENCODING(AlertDescription.BAD_CERTIFICATE),
        /** A certificate in the path whose notAfter has passed: certificate_expired. */
        EXPIRED(AlertDescription.CERTIFICATE_EXPIRED),
        /** RFC 5246 §7.2.2: certificate_expired also covers "not currently valid", i.e. notBefore in the future. */
        NOT_YET_VALID(AlertDescription.CERTIFICATE_EXPIRED),
        /** No valid path to a trust anchor (unknown issuer, bad signature, CA constraints, chain too long): unknown_ca. */
        UNTRUSTED(AlertDescription.UNKNOWN_CA),
        /**
         * The server certificate is not for the name the client asked for. No alert is specific to this; like SunJSSE
         * we send certificate_unknown ("some other issue arose in processing the certificate").
         */
        NAME_MISMATCH(AlertDescription.CERTIFICATE_UNKNOWN),
        /**
         * The leaf's keyUsage or extendedKeyUsage does not allow this role (RFC 5280 §4.2.1.3, §4.2.1.12): the
         * certificate is of a kind we do not accept here, unsupported_certificate.
         */
        BAD_KEY_USAGE(AlertDescription.UNSUPPORTED_CERTIFICATE);

        private final AlertDescription alert;

        Problem(AlertDescription alert) {
            this.alert = alert;
        }

        public AlertDescription alert() {
            return alert;
        }
    }
}
