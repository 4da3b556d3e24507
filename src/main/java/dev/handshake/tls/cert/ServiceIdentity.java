package dev.handshake.tls.cert;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Matches the host name a client wants (the reference identifier) against the names a server certificate presents,
 * per RFC 6125 §6 (as RFC 9525 later tightened it):
 * <ul>
 * <li>An IP address literal matches only an iPAddress subjectAltName with the same bytes (RFC 5280 §4.2.1.6), never a
 *     dNSName or the common name.</li>
 * <li>A DNS name matches a dNSName entry case-insensitively (ASCII only, §6.4.1), ignoring one trailing dot of an
 *     absolute name. Internationalized names must be given as A-labels ({@code xn--...}); a reference with non-ASCII
 *     characters matches nothing (§6.4.2: we do not convert, and never compare U-labels).</li>
 * <li>A wildcard is accepted only as the complete left-most label ({@code *.example.com}, §6.4.3) and matches exactly
 *     one non-empty label: not the parent domain, not two labels. Partial wildcards ({@code f*.example.com}), which
 *     §6.4.3 only allows and RFC 9525 §6.3 forbids, never match; neither does a wildcard over fewer than two
 *     labels ({@code *.com}), so one certificate cannot claim a whole top-level domain.</li>
 * <li>The subject common name is consulted only when the certificate has no DNS-ID and no URI-ID subjectAltName
 *     (§6.4.4), and then only its most specific CN.</li>
 * </ul>
 */
public final class ServiceIdentity {

    private ServiceIdentity() {
    }

    /**
     * The names a certificate presents.
     *
     * @param dnsNames    subjectAltName dNSName entries
     * @param ipAddresses subjectAltName iPAddress entries, as text (IPv4 dotted or IPv6 in any RFC 4291 form)
     * @param hasUriNames whether there is any uniformResourceIdentifier entry (it disables the CN fallback)
     * @param commonName  the most specific subject CN, or null
     */
    public record Presented(List<String> dnsNames, List<String> ipAddresses, boolean hasUriNames, String commonName) {
        public Presented {
            dnsNames = List.copyOf(dnsNames);
            ipAddresses = List.copyOf(ipAddresses);
        }
    }

    /** Whether {@code referenceIdentifier} (a host name or IP literal) is one of the names {@code presented}. */
    public static boolean matches(String referenceIdentifier, Presented presented) {
        if (referenceIdentifier == null || referenceIdentifier.isEmpty()) {
            return false;
        }
        byte[] address = IpAddressLiteral.parse(referenceIdentifier);
        if (address != null) {
            for (String presentedAddress : presented.ipAddresses()) {
                if (Arrays.equals(address, IpAddressLiteral.parse(presentedAddress))) {
                    return true;
                }
            }
            return false;
        }
        String reference = normalize(referenceIdentifier);
        if (reference == null) {
            return false;
        }
        for (String dnsName : presented.dnsNames()) {
            if (matchesDnsName(reference, dnsName)) {
                return true;
            }
        }
        boolean commonNameAllowed = presented.dnsNames().isEmpty() && !presented.hasUriNames();
        return commonNameAllowed && presented.commonName() != null && matchesDnsName(reference, presented.commonName());
    }

    private static boolean matchesDnsName(String reference, String presentedName) {
        String pattern = normalize(presentedName);
        if (pattern == null) {
            return false;
        }
        if (pattern.indexOf('*') < 0) {
            return reference.equals(pattern);
        }
        String[] patternLabels = pattern.split("\\.", -1);
        String[] referenceLabels = reference.split("\\.", -1);
        if (!patternLabels[0].equals("*") || patternLabels.length < 3 || patternLabels.length != referenceLabels.length) {
            return false;
        }
        for (int i = 1; i < patternLabels.length; i++) {
            if (patternLabels[i].indexOf('*') >= 0 || !patternLabels[i].equals(referenceLabels[i])) {
                return false;
            }
        }
        // The wildcard stands for one whole label; an IP literal was handled before any name matching.
        return !referenceLabels[0].isEmpty();
    }

    /**
     * Lower-cases an ASCII DNS name and drops one trailing dot; null when the name is not a plausible DNS name
     * (non-ASCII characters, empty labels, longer than 253 characters: RFC 1035 §2.3.4).
     */
    private static String normalize(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (n.isEmpty() || n.length() > 253) {
            return null;
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c > 0x7e || c <= 0x20) {
                return null;
            }
        }
        for (String label : n.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                return null;
            }
        }
        return n.toLowerCase(Locale.ROOT);
    }
}
