package dev.handshake.tls.message.extension;

import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.message.Extension;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.ExtensionType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The server_name extension (RFC 6066 §3) as the client sends it: {@code ServerName server_name_list<1..2^16-1>}
 * with {@code NameType host_name(0)} and {@code opaque HostName<1..2^16-1>} in ASCII. The server's reply is the
 * empty {@link #acknowledgement()}, which is not a ServerNameExtension.
 *
 * <p>Only host_name is accepted: RFC 4366 did not say how to skip an unknown name type, so deployed servers (OpenSSL
 * among them) reject any other type, and a new name type can no longer be introduced; parsing one would only add a
 * path nobody exercises.
 */
public record ServerNameExtension(List<String> hostNames) {

    public static final int HOST_NAME = 0;

    public ServerNameExtension {
        hostNames = List.copyOf(hostNames);
        if (hostNames.size() != 1) {
            throw new IllegalArgumentException("exactly one host_name (RFC 6066 §3)");
        }
        for (String name : hostNames) {
            if (name.isEmpty() || name.length() > 0xffff || name.chars().anyMatch(c -> c == 0 || c > 0x7f)) {
                throw new IllegalArgumentException("HostName<1..2^16-1> must be non-empty ASCII");
            }
        }
    }

    public static ServerNameExtension of(String hostName) {
        return new ServerNameExtension(List.of(hostName));
    }

    public static ServerNameExtension decode(byte[] data) {
        TlsReader r = TlsReader.of(data);
        TlsReader list = r.sub16("server_name_list");
        if (!list.hasRemaining()) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, "server_name_list<1..2^16-1> is empty");
        }
        List<String> names = new ArrayList<>(1);
        while (list.hasRemaining()) {
            int nameType = list.u8("name_type");
            if (nameType != HOST_NAME) {
                throw new TlsAlertException(AlertDescription.DECODE_ERROR, "server name type " + nameType + " is not host_name");
            }
            byte[] hostName = list.vector16(1, "HostName");
            // RFC 6066 §3: "The ServerNameList MUST NOT contain more than one name of the same name_type."
            if (!names.isEmpty()) {
                throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "more than one host_name");
            }
            // RFC 6066 §3: HostName is "the fully qualified DNS hostname" as "a byte string using ASCII encoding".
            if (!isAscii(hostName)) {
                throw new TlsAlertException(AlertDescription.DECODE_ERROR, "HostName is not ASCII");
            }
            names.add(new String(hostName, StandardCharsets.US_ASCII));
        }
        list.finish("server_name_list");
        r.finish("server_name");
        return new ServerNameExtension(names);
    }

    public Extension toExtension() {
        return Encoded.extension(ExtensionType.SERVER_NAME, w -> w.block16(list -> {
            for (String name : hostNames) {
                list.u8(HOST_NAME);
                list.vector16(name.getBytes(StandardCharsets.US_ASCII));
            }
        }));
    }

    /** The server's reply when it used the name: server_name with empty extension_data (RFC 6066 §3). */
    public static Extension acknowledgement() {
        return new Extension(ExtensionType.SERVER_NAME, new byte[0]);
    }

    public static boolean isAcknowledgement(Extension extension) {
        return extension.type().equals(ExtensionType.SERVER_NAME) && extension.length() == 0;
    }

    /** The one host name (the constructor guarantees exactly one). */
    public String hostName() {
        return hostNames.get(0);
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b <= 0) {
                return false;
            }
        }
        return true;
    }
}
