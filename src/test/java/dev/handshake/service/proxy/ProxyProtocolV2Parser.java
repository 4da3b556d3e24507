package dev.handshake.service.proxy;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An independent reader of the PROXY protocol v2 header, written from HAProxy's proxy-protocol.txt rather than from
 * our encoder, so a test upstream can check what the proxy sent.
 */
final class ProxyProtocolV2Parser {

    record Header(InetSocketAddress source, InetSocketAddress destination, String alpn, String authority,
                  int sslClient, int sslVerify, String sslVersion, String sslCipher, String sslCommonName) {
    }

    private static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private ProxyProtocolV2Parser() {
    }

    static Header read(DataInputStream in) throws IOException {
        byte[] signature = new byte[12];
        in.readFully(signature);
        if (!Arrays.equals(signature, SIGNATURE)) {
            throw new IOException("no PROXY v2 signature");
        }
        int versionCommand = in.readUnsignedByte();
        if (versionCommand != 0x21) {
            throw new IOException("not v2 PROXY: " + versionCommand);
        }
        int family = in.readUnsignedByte();
        int length = in.readUnsignedShort();
        byte[] rest = new byte[length];
        in.readFully(rest);
        ByteBuffer b = ByteBuffer.wrap(rest);
        int addressLength = family == 0x11 ? 4 : family == 0x21 ? 16 : -1;
        if (addressLength < 0) {
            throw new IOException("family " + family);
        }
        byte[] src = new byte[addressLength];
        byte[] dst = new byte[addressLength];
        b.get(src).get(dst);
        int srcPort = b.getShort() & 0xffff;
        int dstPort = b.getShort() & 0xffff;
        String alpn = null;
        String authority = null;
        int client = -1;
        int verify = -1;
        String version = null;
        String cipher = null;
        String cn = null;
        while (b.hasRemaining()) {
            int type = b.get() & 0xff;
            byte[] value = new byte[b.getShort() & 0xffff];
            b.get(value);
            switch (type) {
                case 0x01 -> alpn = new String(value, StandardCharsets.US_ASCII);
                case 0x02 -> authority = new String(value, StandardCharsets.US_ASCII);
                case 0x20 -> {
                    ByteBuffer ssl = ByteBuffer.wrap(value);
                    client = ssl.get() & 0xff;
                    verify = ssl.getInt();
                    while (ssl.hasRemaining()) {
                        int sub = ssl.get() & 0xff;
                        byte[] subValue = new byte[ssl.getShort() & 0xffff];
                        ssl.get(subValue);
                        String text = new String(subValue, StandardCharsets.UTF_8);
                        switch (sub) {
                            case 0x21 -> version = text;
                            case 0x22 -> cn = text;
                            case 0x23 -> cipher = text;
                            default -> { }
                        }
                    }
                }
                default -> { }
            }
        }
        return new Header(new InetSocketAddress(InetAddress.getByAddress(src), srcPort),
                new InetSocketAddress(InetAddress.getByAddress(dst), dstPort), alpn, authority, client, verify, version,
                cipher, cn);
    }
}
