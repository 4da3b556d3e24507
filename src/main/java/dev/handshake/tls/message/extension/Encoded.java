package dev.handshake.tls.message.extension;

import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.message.Extension;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.ExtensionType;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** The encoding steps the typed extensions share. */
final class Encoded {

    private Encoded() {
    }

    static Extension extension(ExtensionType type, Consumer<TlsWriter> body) {
        TlsWriter w = new TlsWriter();
        body.accept(w);
        return new Extension(type, w.toByteArray());
    }

    /** A list of u16 code points in a u16-prefixed block, {@code <2..2^16-2>} or {@code <2..2^16-1>}: whole, non-empty. */
    static TlsReader u16List(TlsReader r, String what) {
        TlsReader list = r.sub16(what);
        if (list.remaining() < 2 || list.remaining() % 2 != 0) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR,
                    what + " length " + list.remaining() + " is not a non-zero even number");
        }
        return list;
    }

    /** Rejects any data in an extension whose extension_data is defined empty. */
    static void requireEmpty(byte[] data, String what) {
        TlsReader.of(data).finish(what);
    }

    /**
     * Decodes strictly, so that the String re-encodes to exactly these bytes: a malformed sequence cannot be decoded
     * into a value that round-trips, so it is a decode_error rather than a silently replaced character.
     */
    static String utf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, what + " is not valid UTF-8");
        }
    }

    /** The UTF-8 bytes of a String built in code; an unpaired surrogate is a programming error. */
    static byte[] utf8(String text) {
        try {
            ByteBuffer out = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            byte[] bytes = new byte[out.remaining()];
            out.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not encodable as UTF-8");
        }
    }
}
