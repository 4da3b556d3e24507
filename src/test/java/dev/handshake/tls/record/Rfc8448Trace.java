package dev.handshake.tls.record;

import dev.handshake.tls.codec.Bytes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads values out of the pasted RFC 8448 §3 text: "label (N octets):  hex ..." continued on following lines,
 * skipping the page breaks the RFC Editor's edition has in the middle of long values.
 */
public final class Rfc8448Trace {

    private static final Pattern HEX_LINE = Pattern.compile("^\\s*([0-9a-f]{2}\\s+)*[0-9a-f]{2}\\s*$");
    private final String text;

    private Rfc8448Trace(String text) {
        this.text = text;
    }

    /** RFC 8448 §3 "Simple 1-RTT Handshake". */
    public static Rfc8448Trace simple1Rtt() {
        return load("rfc8448-section3-simple-1rtt.txt");
    }

    /** RFC 8448 §4 "Resumed 0-RTT Handshake" (lines 857-1588 of shared/rfc/rfc8448.txt). */
    public static Rfc8448Trace resumed0Rtt() {
        return load("rfc8448-section4-resumed-0rtt.txt");
    }

    private static Rfc8448Trace load(String resource) {
        try (InputStream in = Rfc8448Trace.class.getResourceAsStream(resource)) {
            return new Rfc8448Trace(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value labelled {@code label} in the first step headed {@code step}, e.g. "{client}  send alert record:". */
    public byte[] value(String step, String label) {
        return valueFrom(0, step, label);
    }

    /**
     * The value labelled {@code label} in the first step headed {@code step} after the step headed {@code anchor}:
     * for steps whose heading repeats, e.g. the client's third "send handshake record".
     */
    public byte[] valueAfter(String anchor, String step, String label) {
        int from = text.indexOf(anchor);
        if (from < 0) {
            throw new IllegalArgumentException("no step " + anchor);
        }
        return valueFrom(from + anchor.length(), step, label);
    }

    private byte[] valueFrom(int from, String step, String label) {
        int at = text.indexOf(step, from);
        if (at < 0) {
            throw new IllegalArgumentException("no step " + step);
        }
        Matcher m = Pattern.compile(Pattern.quote(label) + " \\((\\d+) octets\\):([^\\n]*)").matcher(text);
        if (!m.find(at)) {
            throw new IllegalArgumentException("no " + label + " after " + step);
        }
        int length = Integer.parseInt(m.group(1));
        StringBuilder hex = new StringBuilder(m.group(2));
        String[] lines = text.substring(m.end()).split("\n");
        for (int i = 1; i < lines.length && hex.toString().replaceAll("\\s", "").length() < 2 * length; i++) {
            if (HEX_LINE.matcher(lines[i]).matches()) {
                hex.append(' ').append(lines[i]);
            }
        }
        byte[] value = Bytes.fromHex(hex.toString());
        if (value.length != length) {
            throw new IllegalStateException(label + ": read " + value.length + " octets, the trace says " + length);
        }
        return value;
    }
}
