package dev.handshake.service.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The PROXY protocol version 2 header (HAProxy's proxy-protocol.txt §2.2) as HAProxy's {@code send-proxy-v2-ssl-cn}
 * sends it: the client's address and port, our address and port, and TLVs for the SNI (PP2_TYPE_AUTHORITY), ALPN
 * (PP2_TYPE_ALPN) and TLS (PP2_TYPE_SSL with version, cipher and client certificate CN sub-TLVs).
 *
 * <p>Two deliberate differences from HAProxy: the cipher is the IANA name ({@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256})
 * rather than OpenSSL's, because that is the name our engine and the RFCs use; and the version is OpenSSL's spelling
 * ({@code TLSv1.2}), because upstreams compare it as HAProxy sends it.
 */
final class ProxyProtocolV2 {

    static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    static final int VERSION_2_PROXY = 0x21;
    static final int TCP_OVER_IPV4 = 0x11;
    static final int TCP_OVER_IPV6 = 0x21;
    static final int PP2_TYPE_ALPN = 0x01;
    static final int PP2_TYPE_AUTHORITY = 0x02;
    static final int PP2_TYPE_SSL = 0x20;
    static final int PP2_SUBTYPE_SSL_VERSION = 0x21;
    static final int PP2_SUBTYPE_SSL_CN = 0x22;
    static final int PP2_SUBTYPE_SSL_CIPHER = 0x23;
    static final int PP2_CLIENT_SSL = 0x01;
    static final int PP2_CLIENT_CERT_CONN = 0x02;
    static final int PP2_CLIENT_CERT_SESS = 0x04;

    /** What the TLS TLVs carry; any string may be null (then its TLV is left out). */
    record TlsInfo(String version, String cipher, String serverName, String applicationProtocol, String clientCommonName,
                   boolean clientCertificate) {
    }

    private ProxyProtocolV2() {
    }

    static ByteBuf header(ByteBufAllocator allocator, InetSocketAddress source, InetSocketAddress destination,
                          TlsInfo tls) {
        InetAddress src = source.getAddress();
        InetAddress dst = destination.getAddress();
        boolean ipv4 = src instanceof Inet4Address && dst instanceof Inet4Address;
        byte[] srcBytes = ipv4 ? src.getAddress() : ipv6(src);
        byte[] dstBytes = ipv4 ? dst.getAddress() : ipv6(dst);

        ByteBuf tlvs = allocator.heapBuffer(128);
        try {
            if (tls.applicationProtocol() != null) {
                tlv(tlvs, PP2_TYPE_ALPN, ascii(tls.applicationProtocol()));
            }
            if (tls.serverName() != null) {
                tlv(tlvs, PP2_TYPE_AUTHORITY, ascii(tls.serverName()));
            }
            ByteBuf ssl = allocator.heapBuffer(96);
            try {
                ssl.writeByte(PP2_CLIENT_SSL | (tls.clientCertificate() ? PP2_CLIENT_CERT_CONN | PP2_CLIENT_CERT_SESS : 0));
                // verify: 0 = the client certificate (if any) was verified; the engine fails the handshake otherwise
                ssl.writeInt(0);
                if (tls.version() != null) {
                    tlv(ssl, PP2_SUBTYPE_SSL_VERSION, ascii(tls.version()));
                }
                if (tls.clientCommonName() != null) {
                    tlv(ssl, PP2_SUBTYPE_SSL_CN, tls.clientCommonName().getBytes(StandardCharsets.UTF_8));
                }
                if (tls.cipher() != null) {
                    tlv(ssl, PP2_SUBTYPE_SSL_CIPHER, ascii(tls.cipher()));
                }
                tlvs.writeByte(PP2_TYPE_SSL);
                tlvs.writeShort(ssl.readableBytes());
                tlvs.writeBytes(ssl);
            } finally {
                ssl.release();
            }

            int addressLength = ipv4 ? 12 : 36;
            ByteBuf header = allocator.buffer(16 + addressLength + tlvs.readableBytes());
            header.writeBytes(SIGNATURE);
            header.writeByte(VERSION_2_PROXY);
            header.writeByte(ipv4 ? TCP_OVER_IPV4 : TCP_OVER_IPV6);
            header.writeShort(addressLength + tlvs.readableBytes());
            header.writeBytes(srcBytes);
            header.writeBytes(dstBytes);
            header.writeShort(source.getPort());
            header.writeShort(destination.getPort());
            header.writeBytes(tlvs);
            return header;
        } finally {
            tlvs.release();
        }
    }

    /** RFC 4291 §2.5.5.2: an IPv4 address among IPv6 ones is written IPv4-mapped. */
    private static byte[] ipv6(InetAddress address) {
        if (address instanceof Inet6Address) {
            return address.getAddress();
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(address.getAddress(), 0, mapped, 12, 4);
        return mapped;
    }

    private static void tlv(ByteBuf out, int type, byte[] value) {
        if (value.length > 0xffff) {
            return;
        }
        out.writeByte(type);
        out.writeShort(value.length);
        out.writeBytes(value);
    }

    private static byte[] ascii(String value) {
        return value.getBytes(StandardCharsets.US_ASCII);
    }

    /** The OpenSSL spelling HAProxy puts in PP2_SUBTYPE_SSL_VERSION. */
    static String openSslVersionName(int code) {
        return switch (code) {
            case 0x0303 -> "TLSv1.2";
            case 0x0304 -> "TLSv1.3";
            default -> String.format("0x%04x", code);
        };
    }

}
