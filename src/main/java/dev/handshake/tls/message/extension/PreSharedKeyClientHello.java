package dev.handshake.tls.message.extension;

import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.message.ClientHello;
import dev.handshake.tls.message.Extension;
import dev.handshake.tls.message.Extensions;
import dev.handshake.tls.message.HandshakeFrame;
import dev.handshake.tls.message.Opaque;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.ExtensionType;
import dev.handshake.tls.wire.HandshakeType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * pre_shared_key in a ClientHello (RFC 8446 §4.2.11): {@code OfferedPsks} = {@code PskIdentity identities<7..2^16-1>}
 * and {@code PskBinderEntry binders<33..2^16-1>} with {@code opaque PskBinderEntry<32..255>}, one binder per identity.
 * It must be the last extension of the ClientHello, because each binder is an HMAC over the ClientHello up to the
 * binders ({@link #truncateBinders(byte[])}).
 */
public record PreSharedKeyClientHello(List<PskIdentity> identities, List<byte[]> binders) {

    private static final int MIN_BINDER = 32;
    private static final int MAX_BINDER = 255;

    public PreSharedKeyClientHello {
        identities = List.copyOf(identities);
        binders = Opaque.copyAll(binders);
        if (identities.isEmpty() || identities.size() != binders.size()) {
            throw new IllegalArgumentException("one binder per identity, at least one identity");
        }
        for (byte[] binder : binders) {
            if (binder.length < MIN_BINDER || binder.length > MAX_BINDER) {
                throw new IllegalArgumentException("PskBinderEntry<32..255>");
            }
        }
    }

    public static PreSharedKeyClientHello decode(byte[] data) {
        TlsReader r = TlsReader.of(data);
        TlsReader identityList = r.sub16("identities");
        List<PskIdentity> identities = new ArrayList<>();
        while (identityList.hasRemaining()) {
            identities.add(PskIdentity.decode(identityList));
        }
        if (identities.isEmpty()) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, "identities<7..2^16-1> is empty");
        }
        TlsReader binderList = r.sub16("binders");
        List<byte[]> binders = new ArrayList<>();
        while (binderList.hasRemaining()) {
            byte[] binder = binderList.vector8(MIN_BINDER, "PskBinderEntry");
            binders.add(binder);
        }
        if (binders.isEmpty()) {
            throw new TlsAlertException(AlertDescription.DECODE_ERROR, "binders<33..2^16-1> is empty");
        }
        r.finish("pre_shared_key");
        // RFC 8446 §4.2.11: each binder belongs to the identity at the same index; a count mismatch leaves an
        // identity unauthenticated (rustls and BoringSSL answer illegal_parameter).
        if (identities.size() != binders.size()) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER,
                    identities.size() + " PSK identities but " + binders.size() + " binders");
        }
        return new PreSharedKeyClientHello(identities, binders);
    }

    /** The bytes of the binders field, length prefix included: what {@link #truncateBinders} cuts off. */
    public int bindersLength() {
        int length = 2;
        for (byte[] binder : binders) {
            length += 1 + binder.length;
        }
        return length;
    }

    /**
     * Truncate(ClientHello) of RFC 8446 §4.2.11.2: the ClientHello (with its 4-byte handshake header, as it enters the
     * transcript) without the binders field at its end. The length fields keep their full values, as the RFC
     * requires. Fails with illegal_parameter when pre_shared_key is not the last extension (§4.2.11) and with
     * missing_extension when it is absent.
     */
    public static byte[] truncateBinders(byte[] clientHelloEncoded) {
        HandshakeFrame frame = HandshakeFrame.parse(clientHelloEncoded);
        if (!frame.type().equals(HandshakeType.CLIENT_HELLO)) {
            throw new TlsAlertException(AlertDescription.UNEXPECTED_MESSAGE, "binders belong to a ClientHello, not " + frame.type().name());
        }
        List<Extension> extensions = ClientHello.decode(frame.body()).extensions();
        if (Extensions.find(extensions, ExtensionType.PRE_SHARED_KEY).isEmpty()) {
            throw new TlsAlertException(AlertDescription.MISSING_EXTENSION, "no pre_shared_key extension");
        }
        Extension last = extensions.get(extensions.size() - 1);
        if (!last.type().equals(ExtensionType.PRE_SHARED_KEY)) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "pre_shared_key is not the last extension");
        }
        int cut = decode(last.data()).bindersLength();
        // The extension ends the ClientHello, so its binders field is the message's tail.
        return Arrays.copyOf(clientHelloEncoded, clientHelloEncoded.length - cut);
    }

    public Extension toExtension() {
        return Encoded.extension(ExtensionType.PRE_SHARED_KEY, w -> {
            w.block16(list -> identities.forEach(identity -> identity.encode(list)));
            w.block16(list -> binders.forEach(list::vector8));
        });
    }

    @Override
    public List<byte[]> binders() {
        return Opaque.copyAll(binders);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreSharedKeyClientHello other && identities.equals(other.identities)
                && Opaque.equal(binders, other.binders);
    }

    @Override
    public int hashCode() {
        return 31 * identities.hashCode() + Opaque.hash(binders);
    }

    @Override
    public String toString() {
        return "PreSharedKeyClientHello[" + identities + ", " + Opaque.hexAll(binders) + "]";
    }
}
