package dev.handshake.tls.message;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.message.extension.AlpnExtension;
import dev.handshake.tls.message.extension.CookieExtension;
import dev.handshake.tls.message.extension.EarlyDataExtension;
import dev.handshake.tls.message.extension.EcPointFormatsExtension;
import dev.handshake.tls.message.extension.ExtendedMasterSecretExtension;
import dev.handshake.tls.message.extension.KeyShareClientHello;
import dev.handshake.tls.message.extension.KeyShareHelloRetryRequest;
import dev.handshake.tls.message.extension.KeyShareServerHello;
import dev.handshake.tls.message.extension.PostHandshakeAuthExtension;
import dev.handshake.tls.message.extension.PreSharedKeyClientHello;
import dev.handshake.tls.message.extension.PreSharedKeyServerHello;
import dev.handshake.tls.message.extension.PskKeyExchangeModesExtension;
import dev.handshake.tls.message.extension.RenegotiationInfoExtension;
import dev.handshake.tls.message.extension.ServerNameExtension;
import dev.handshake.tls.message.extension.SessionTicketExtension;
import dev.handshake.tls.message.extension.SignatureAlgorithmsExtension;
import dev.handshake.tls.message.extension.SupportedGroupsExtension;
import dev.handshake.tls.message.extension.SupportedVersionsClient;
import dev.handshake.tls.message.extension.SupportedVersionsServer;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz targets for every decoder: a decoder either returns a message whose re-encoding decodes to an equal message
 * (and, the codec being canonical, re-encodes to the very bytes it was given) or throws {@link TlsAlertException}.
 * Any other exception fails. Groups with several decoders take the first input byte as the decoder's index. Without
 * JAZZER_FUZZ these replay the seed corpus in {@code HandshakeMessageFuzzTestInputs/<method>/}.
 */
class HandshakeMessageFuzzTest {

    private static final List<Function<byte[], ? extends HandshakeMessage>> CERTIFICATE_MESSAGES = List.of(
            Certificate12::decode, CertificateRequest12::decode, Certificate13::decode, CertificateRequest13::decode,
            CertificateVerify::decode);

    private static final List<Function<byte[], ? extends HandshakeMessage>> KEY_EXCHANGE_MESSAGES = List.of(
            ServerKeyExchangeEcdhe::decode, ClientKeyExchangeRsa::decode, ClientKeyExchangeEcdhe::decode,
            ServerHelloDone::decode, HelloRequest::decode, NewSessionTicket12::decode);

    private static final List<Function<byte[], ? extends HandshakeMessage>> TLS13_MESSAGES = List.of(
            EncryptedExtensions::decode, NewSessionTicket13::decode, KeyUpdate::decode, EndOfEarlyData::decode,
            Finished::decode);

    /** Each typed extension as decode-then-encode, giving the re-encoded extension_data. */
    private static final List<Function<byte[], Extension>> EXTENSIONS = List.of(
            d -> ServerNameExtension.decode(d).toExtension(),
            d -> SignatureAlgorithmsExtension.decode(d).toExtension(),
            d -> SupportedGroupsExtension.decode(d).toExtension(),
            d -> EcPointFormatsExtension.decode(d).toExtension(),
            d -> AlpnExtension.decode(d).toExtension(),
            d -> RenegotiationInfoExtension.decode(d).toExtension(),
            d -> ExtendedMasterSecretExtension.decode(d).toExtension(),
            d -> SessionTicketExtension.decode(d).toExtension(),
            d -> SupportedVersionsClient.decode(d).toExtension(),
            d -> SupportedVersionsServer.decode(d).toExtension(),
            d -> KeyShareClientHello.decode(d).toExtension(),
            d -> KeyShareServerHello.decode(d).toExtension(),
            d -> KeyShareHelloRetryRequest.decode(d).toExtension(),
            d -> PskKeyExchangeModesExtension.decode(d).toExtension(),
            d -> CookieExtension.decode(d).toExtension(),
            d -> PreSharedKeyClientHello.decode(d).toExtension(),
            d -> PreSharedKeyServerHello.decode(d).toExtension(),
            d -> EarlyDataExtension.decode(d).toExtension(),
            d -> EarlyDataExtension.maxSize(EarlyDataExtension.decodeMaxSize(d)),
            d -> PostHandshakeAuthExtension.decode(d).toExtension());

    @FuzzTest
    void clientHello(byte[] input) {
        ClientHello hello = decodeStable(input, ClientHello::decode, true);
        if (hello != null) {
            try {
                PreSharedKeyClientHello.truncateBinders(hello.encode());
            } catch (TlsAlertException expected) {
                // most inputs carry no pre_shared_key, or not as the last extension
            }
        }
    }

    @FuzzTest
    void serverHello(byte[] input) {
        decodeStable(input, ServerHello::decode, true);
    }

    @FuzzTest
    void certificateMessages(byte[] input) {
        decodeSelected(input, CERTIFICATE_MESSAGES);
    }

    @FuzzTest
    void keyExchangeMessages(byte[] input) {
        decodeSelected(input, KEY_EXCHANGE_MESSAGES);
    }

    @FuzzTest
    void tls13Messages(byte[] input) {
        decodeSelected(input, TLS13_MESSAGES);
        try {
            assertArrayEquals(input, HandshakeFrame.parse(input).encode());
        } catch (TlsAlertException expected) {
            // not one whole frame
        }
    }

    @FuzzTest
    void extensions(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] data = Arrays.copyOfRange(input, 1, input.length);
        try {
            Extension extension = EXTENSIONS.get((input[0] & 0xff) % EXTENSIONS.size()).apply(data);
            assertArrayEquals(data, extension.data(), "typed extensions re-encode to the bytes they decoded");
        } catch (TlsAlertException expected) {
            // malformed extension_data
        }
        try {
            TlsReader r = TlsReader.of(data);
            List<Extension> list = Extensions.decodeList(r);
            r.finish("extensions");
            TlsWriter w = new TlsWriter();
            Extensions.encodeList(w, list);
            assertArrayEquals(data, w.toByteArray());
        } catch (TlsAlertException expected) {
            // not an extensions block
        }
    }

    private static void decodeSelected(byte[] input, List<Function<byte[], ? extends HandshakeMessage>> decoders) {
        if (input.length == 0) {
            return;
        }
        Function<byte[], ? extends HandshakeMessage> decoder = decoders.get((input[0] & 0xff) % decoders.size());
        decodeStable(Arrays.copyOfRange(input, 1, input.length), decoder, false);
    }

    /**
     * Decodes, re-encodes, decodes again; the two messages must be equal and the encoding stable. The codec keeps
     * every field, so the re-encoding is the input itself, except that a hello's empty extensions block re-encodes as
     * an absent one.
     */
    private static <T extends HandshakeMessage> T decodeStable(byte[] body, Function<byte[], T> decoder, boolean hello) {
        T first;
        try {
            first = decoder.apply(body);
        } catch (TlsAlertException expected) {
            return null;
        }
        byte[] whole = first.encode();
        byte[] reencoded = Arrays.copyOfRange(whole, 4, whole.length);
        T second = decoder.apply(reencoded);
        assertEquals(first, second);
        assertEquals(first.hashCode(), second.hashCode());
        assertArrayEquals(whole, second.encode());
        assertEquals(first.describe(), second.describe());
        if (hello && body.length == reencoded.length + 2) {
            assertArrayEquals(body, Arrays.copyOf(reencoded, body.length), "only an empty extensions block may be dropped");
        } else {
            assertArrayEquals(body, reencoded);
        }
        return first;
    }
}
