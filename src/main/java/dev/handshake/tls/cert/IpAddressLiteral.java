package dev.handshake.tls.cert;

/**
 * Parses IPv4 and IPv6 address literals into their 4 or 16 bytes, without name resolution (the engine may not use
 * {@code java.net}, and {@code InetAddress.getByName} would do a DNS lookup for anything that is not a literal).
 */
public final class IpAddressLiteral {

    private IpAddressLiteral() {
    }

    /**
     * The address bytes of an IPv4 dotted quad ({@code 127.0.0.1}) or an IPv6 literal (RFC 4291 §2.2 text forms,
     * optionally in brackets as in a URI, RFC 3986 §3.2.2), or null when {@code text} is not an address literal.
     * Rejected as literals: IPv4 parts with leading zeros (inet_aton would read them as octal, so their meaning is
     * ambiguous), short forms like {@code 127.1}, and IPv6 zone identifiers ({@code %eth0}), which no certificate
     * can name.
     */
    public static byte[] parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return null;
        }
        if (text.startsWith("[") && text.endsWith("]")) {
            return parseIpv6(text.substring(1, text.length() - 1));
        }
        if (text.indexOf(':') >= 0) {
            return parseIpv6(text);
        }
        return parseIpv4(text);
    }

    private static byte[] parseIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
                return null;
            }
            int value = 0;
            for (int j = 0; j < part.length(); j++) {
                char c = part.charAt(j);
                if (c < '0' || c > '9') {
                    return null;
                }
                value = value * 10 + (c - '0');
            }
            if (value > 255) {
                return null;
            }
            out[i] = (byte) value;
        }
        return out;
    }

    private static byte[] parseIpv6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null; // RFC 4291 §2.2: "::" can appear only once
        }
        byte[] head;
        byte[] tail;
        if (gap < 0) {
            head = groups(text, true);
            tail = new byte[0];
            if (head == null || head.length != 16) {
                return null;
            }
        } else {
            head = gap == 0 ? new byte[0] : groups(text.substring(0, gap), false);
            String after = text.substring(gap + 2);
            tail = after.isEmpty() ? new byte[0] : groups(after, true);
            // "::" stands for at least one group of zeros.
            if (head == null || tail == null || head.length + tail.length > 14) {
                return null;
            }
        }
        byte[] out = new byte[16];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(tail, 0, out, 16 - tail.length, tail.length);
        return out;
    }

    /** Colon-separated hex groups; the last may be an embedded IPv4 address when {@code ipv4TailAllowed}. */
    private static byte[] groups(String text, boolean ipv4TailAllowed) {
        String[] parts = text.split(":", -1);
        if (parts.length > 8) {
            return null;
        }
        byte[] out = new byte[16];
        int at = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (ipv4TailAllowed && i == parts.length - 1 && part.indexOf('.') >= 0) {
                byte[] v4 = parseIpv4(part);
                if (v4 == null || at + 4 > 16) {
                    return null;
                }
                System.arraycopy(v4, 0, out, at, 4);
                at += 4;
                continue;
            }
            if (part.isEmpty() || part.length() > 4 || at + 2 > 16) {
                return null;
            }
            int value = 0;
            for (int j = 0; j < part.length(); j++) {
                int digit = Character.digit(part.charAt(j), 16);
                if (digit < 0 || part.charAt(j) > 'f') {
                    return null;
                }
                value = value * 16 + digit;
            }
            out[at++] = (byte) (value >>> 8);
            out[at++] = (byte) value;
        }
        return java.util.Arrays.copyOf(out, at);
    }
}
