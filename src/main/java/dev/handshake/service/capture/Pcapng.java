package dev.handshake.service.capture;

import dev.handshake.service.session.SessionCapture;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes a session's records as a pcapng file (draft-ietf-opsawg-pcapng): one section, one raw-IPv4 interface, a
 * Decryption Secrets Block with the TLS key log, and TCP/IPv4 packets synthesized between two documentation addresses
 * (RFC 5737) so that Wireshark follows the stream: a three-way handshake, then the records, each side's bytes in
 * segments of at most {@link #MSS} with the sequence and acknowledgement numbers a real connection would carry.
 *
 * <p>The addresses are only written into the file; nothing is sent anywhere.
 */
final class Pcapng {

    static final byte[] CLIENT_ADDRESS = {(byte) 192, 0, 2, 1};          // TEST-NET-1
    static final byte[] SERVER_ADDRESS = {(byte) 198, 51, 100, 1};       // TEST-NET-2
    static final int CLIENT_PORT = 49152;
    static final int SERVER_PORT = 443;                                  // Wireshark dissects 443 as TLS unasked
    static final int MSS = 1460;
    private static final int SHB = 0x0A0D0D0A;
    private static final int IDB = 0x00000001;
    private static final int EPB = 0x00000006;
    private static final int DSB = 0x0000000A;
    private static final int TLS_KEY_LOG = 0x544c534b;                   // "TLSK": secrets type of a TLS key log
    private static final int LINKTYPE_RAW = 101;                         // packets begin with the IPv4 header
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;
    private static final int FIN = 0x01;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private long timestampMicros;
    private int clientSeq = 0x1000;
    private int serverSeq = 0x8000;
    private int ipId;

    private Pcapng(long startMillis) {
        this.timestampMicros = startMillis * 1000;
    }

    /**
     * The capture of {@code capture}'s records starting at {@code startMillis}, with its key log in a Decryption Secrets
     * Block when {@code withKeyLog} and there is one.
     */
    static byte[] write(SessionCapture capture, boolean withKeyLog, long startMillis, boolean closed) {
        Pcapng p = new Pcapng(startMillis);
        p.sectionHeader();
        p.interfaceDescription();
        if (withKeyLog && !capture.keyLog().isEmpty()) {
            p.decryptionSecrets(capture.keyLogText().getBytes(StandardCharsets.US_ASCII));
        }
        p.tcpHandshake();
        for (SessionCapture.Chunk chunk : capture.chunks()) {
            p.data(chunk.fromClient(), chunk.bytes());
        }
        if (closed) {
            p.segment(true, FIN | ACK, new byte[0], 0, 0);
            p.clientSeq++;
            p.segment(false, FIN | ACK, new byte[0], 0, 0);
            p.serverSeq++;
            p.segment(true, ACK, new byte[0], 0, 0);
        }
        return p.out.toByteArray();
    }

    private void sectionHeader() {
        ByteBuffer body = le(16);
        body.putInt(0x1A2B3C4D);      // byte-order magic
        body.putShort((short) 1);      // major version
        body.putShort((short) 0);      // minor version
        body.putLong(-1);              // section length: not given
        block(SHB, body.array());
    }

    private void interfaceDescription() {
        ByteBuffer body = le(8);
        body.putShort((short) LINKTYPE_RAW);
        body.putShort((short) 0);
        body.putInt(0);                // snap length: none
        block(IDB, body.array());     // no if_tsresol option: timestamps are in microseconds
    }

    private void decryptionSecrets(byte[] keyLog) {
        ByteBuffer body = le(8 + pad(keyLog.length));
        body.putInt(TLS_KEY_LOG);
        body.putInt(keyLog.length);
        body.put(keyLog);
        block(DSB, body.array());
    }

    private void tcpHandshake() {
        segment(true, SYN, new byte[0], 0, 0);
        clientSeq++;                   // a SYN counts as one byte of the sequence space
        segment(false, SYN | ACK, new byte[0], 0, 0);
        serverSeq++;
        segment(true, ACK, new byte[0], 0, 0);
    }

    private void data(boolean fromClient, byte[] bytes) {
        for (int offset = 0; offset < bytes.length; offset += MSS) {
            int length = Math.min(MSS, bytes.length - offset);
            segment(fromClient, PSH | ACK, bytes, offset, length);
            if (fromClient) {
                clientSeq += length;
            } else {
                serverSeq += length;
            }
        }
    }

    /** One TCP segment in an Enhanced Packet Block, with the current sequence numbers of its direction. */
    private void segment(boolean fromClient, int flags, byte[] payload, int offset, int length) {
        byte[] packet = new byte[20 + 20 + length];
        ByteBuffer ip = ByteBuffer.wrap(packet).order(ByteOrder.BIG_ENDIAN);
        ip.put((byte) 0x45);                                 // IPv4, 20-byte header
        ip.put((byte) 0);
        ip.putShort((short) packet.length);
        ip.putShort((short) ++ipId);
        ip.putShort((short) 0x4000);                         // don't fragment
        ip.put((byte) 64);                                   // TTL
        ip.put((byte) 6);                                    // TCP
        ip.putShort((short) 0);                              // checksum, below
        ip.put(fromClient ? CLIENT_ADDRESS : SERVER_ADDRESS);
        ip.put(fromClient ? SERVER_ADDRESS : CLIENT_ADDRESS);
        ip.putShort(10, (short) checksum(packet, 0, 20, 0));
        ip.putShort((short) (fromClient ? CLIENT_PORT : SERVER_PORT));
        ip.putShort((short) (fromClient ? SERVER_PORT : CLIENT_PORT));
        ip.putInt(fromClient ? clientSeq : serverSeq);
        ip.putInt((flags & ACK) != 0 ? (fromClient ? serverSeq : clientSeq) : 0);
        ip.put((byte) 0x50);                                 // 20-byte header
        ip.put((byte) flags);
        ip.putShort((short) 0xFFFF);                         // window
        ip.putShort((short) 0);                              // checksum, below
        ip.putShort((short) 0);                              // urgent pointer
        ip.put(payload, offset, length);
        int tcpLength = 20 + length;
        // RFC 793 §3.1: the TCP checksum covers a pseudo header of addresses, protocol and TCP length
        int pseudo = sum(packet, 12, 8) + 6 + tcpLength;
        ip.putShort(36, (short) checksum(packet, 20, tcpLength, pseudo));
        packetBlock(packet);
    }

    private void packetBlock(byte[] packet) {
        timestampMicros += 1000;                             // 1 ms apart: the order is the information
        ByteBuffer body = le(20 + pad(packet.length));
        body.putInt(0);                                      // interface 0
        body.putInt((int) (timestampMicros >>> 32));
        body.putInt((int) timestampMicros);
        body.putInt(packet.length);
        body.putInt(packet.length);
        body.put(packet);
        block(EPB, body.array());
    }

    /** A block: type, total length, body (already padded to 32 bits), total length again. All little-endian. */
    private void block(int type, byte[] body) {
        ByteBuffer b = le(12 + body.length);
        b.putInt(type);
        b.putInt(12 + body.length);
        b.put(body);
        b.putInt(12 + body.length);
        out.writeBytes(b.array());
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int pad(int length) {
        return (length + 3) & ~3;
    }

    private static int sum(byte[] data, int offset, int length) {
        int sum = 0;
        for (int i = 0; i < length; i += 2) {
            int hi = data[offset + i] & 0xFF;
            int lo = i + 1 < length ? data[offset + i + 1] & 0xFF : 0;
            sum += (hi << 8) | lo;
        }
        return sum;
    }

    /** The Internet checksum (RFC 1071) of a range, with {@code initial} added (the TCP pseudo header). */
    static int checksum(byte[] data, int offset, int length, int initial) {
        long sum = (long) sum(data, offset, length) + initial;
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) (~sum & 0xFFFF);
    }
}
