package dev.handshake.tls.message.extension;

import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.message.Extension;
import dev.handshake.tls.wire.ExtensionType;

/**
 * early_data (RFC 8446 §4.2.10): empty in ClientHello and EncryptedExtensions; in NewSessionTicket it carries
 * {@code uint32 max_early_data_size} instead ({@link #maxSize(long)}, {@link #decodeMaxSize(byte[])}).
 */
public record EarlyDataExtension() {

    /** The ClientHello / EncryptedExtensions form: extension_data must be empty. */
    public static EarlyDataExtension decode(byte[] data) {
        Encoded.requireEmpty(data, "early_data");
        return new EarlyDataExtension();
    }

    public Extension toExtension() {
        return new Extension(ExtensionType.EARLY_DATA, new byte[0]);
    }

    /** The NewSessionTicket form: the most 0-RTT bytes the server will accept with this ticket. */
    public static Extension maxSize(long maxEarlyDataSize) {
        return Encoded.extension(ExtensionType.EARLY_DATA, w -> w.u32(maxEarlyDataSize));
    }

    /** Reads the NewSessionTicket form: exactly a uint32. */
    public static long decodeMaxSize(byte[] data) {
        TlsReader r = TlsReader.of(data);
        long size = r.u32("max_early_data_size");
        r.finish("early_data");
        return size;
    }
}
