package dev.handshake.tls.message.extension;

import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.message.Extension;
import dev.handshake.tls.wire.ExtensionType;
import dev.handshake.tls.wire.SignatureScheme;

import java.util.ArrayList;
import java.util.List;

/**
 * signature_algorithms and signature_algorithms_cert (RFC 8446 §4.2.3, RFC 5246 §7.4.1.4.1):
 * {@code SignatureScheme supported_signature_algorithms<2..2^16-2>}. Unknown and GREASE schemes are kept.
 */
public record SignatureAlgorithmsExtension(List<SignatureScheme> schemes) {

    public SignatureAlgorithmsExtension {
        schemes = List.copyOf(schemes);
        if (schemes.isEmpty() || schemes.size() > 0x7fff) {
            throw new IllegalArgumentException("supported_signature_algorithms<2..2^16-2>");
        }
    }

    public static SignatureAlgorithmsExtension decode(byte[] data) {
        TlsReader r = TlsReader.of(data);
        TlsReader list = Encoded.u16List(r, "supported_signature_algorithms");
        List<SignatureScheme> schemes = new ArrayList<>(list.remaining() / 2);
        while (list.hasRemaining()) {
            schemes.add(new SignatureScheme(list.u16("SignatureScheme")));
        }
        r.finish("signature_algorithms");
        return new SignatureAlgorithmsExtension(schemes);
    }

    /** As signature_algorithms. */
    public Extension toExtension() {
        return toExtension(ExtensionType.SIGNATURE_ALGORITHMS);
    }

    /** As signature_algorithms_cert (RFC 8446 §4.2.3), which has the same body. */
    public Extension toCertExtension() {
        return toExtension(ExtensionType.SIGNATURE_ALGORITHMS_CERT);
    }

    private Extension toExtension(ExtensionType type) {
        return Encoded.extension(type, w -> w.block16(list -> schemes.forEach(s -> list.u16(s.code()))));
    }
}
