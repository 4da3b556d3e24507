package dev.handshake.tls.message;

import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.wire.ExtensionType;
import dev.handshake.tls.wire.HandshakeType;
import dev.handshake.tls.wire.NamedGroup;
import dev.handshake.tls.wire.ProtocolVersion;
import dev.handshake.tls.wire.SignatureScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Round trips of every handshake message, and named malformed inputs with the alert the RFCs give them. */
class HandshakeMessageCodecTest {

    static final byte[] RANDOM = Bytes.fromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    static final byte[] GREASE_EXTENSION_DATA = Bytes.fromHex("00");

    static ClientHello sampleClientHello() {
        return new ClientHello(ProtocolVersion.TLS1_2, RANDOM, new byte[32],
                List.of(new CipherSuiteId(0x3a3a), CipherSuiteId.TLS_AES_128_GCM_SHA256,
                        CipherSuiteId.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256),
                new byte[] {0},
                List.of(new Extension(new ExtensionType(0x2a2a), GREASE_EXTENSION_DATA),
                        new Extension(ExtensionType.EXTENDED_MASTER_SECRET, new byte[0]),
                        new Extension(new ExtensionType(0xfe0d), Bytes.fromHex("deadbeef"))));
    }

    static byte[] body(HandshakeMessage message) {
        byte[] whole = message.encode();
        return Arrays.copyOfRange(whole, 4, whole.length);
    }

    /** Encodes, checks the header, decodes, and checks the decoded message is equal and re-encodes identically. */
    static <T extends HandshakeMessage> T roundTrip(T message, Function<byte[], T> decoder) {
        byte[] whole = message.encode();
        assertEquals(message.type().code(), whole[0] & 0xff);
        assertEquals(whole.length - 4, ((whole[1] & 0xff) << 16) | ((whole[2] & 0xff) << 8) | (whole[3] & 0xff));
        T decoded = decoder.apply(Arrays.copyOfRange(whole, 4, whole.length));
        assertEquals(message, decoded);
        assertEquals(message.hashCode(), decoded.hashCode());
        assertArrayEquals(whole, decoded.encode());
        assertEquals(message.describe(), decoded.describe());
        return decoded;
    }

    static void assertAlert(AlertDescription expected, Executable decode) {
        TlsAlertException e = assertThrows(TlsAlertException.class, decode);
        assertEquals(expected, e.alert(), e.reason());
    }

    // ---- round trips ----

    @Test
    void clientHelloRoundTripsWithGreaseAndUnknownExtensionsKept() {
        ClientHello hello = roundTrip(sampleClientHello(), ClientHello::decode);
        assertTrue(hello.offers(new CipherSuiteId(0x3a3a)));
        assertFalse(hello.offers(CipherSuiteId.TLS_RSA_WITH_AES_128_CBC_SHA));
        assertArrayEquals(Bytes.fromHex("deadbeef"), hello.extension(new ExtensionType(0xfe0d)).orElseThrow().data());
        Map<String, Object> fields = hello.describe();
        assertEquals(List.of("legacy_version", "random", "session_id", "cipher_suites", "compression_methods", "extensions"),
                List.copyOf(fields.keySet()));
        assertEquals(Bytes.hex(RANDOM), fields.get("random"));
        assertEquals(List.of("0x3a3a", "TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), fields.get("cipher_suites"));
    }

    @Test
    void clientHelloWithoutExtensionsBlockIsValid() {
        // RFC 5246 §7.4.1.2: the extensions block may be absent; such a hello has no extensions and re-encodes without one.
        ClientHello noExtensions = new ClientHello(ProtocolVersion.TLS1_0, RANDOM, new byte[0],
                List.of(CipherSuiteId.TLS_RSA_WITH_AES_128_CBC_SHA), new byte[] {0}, List.of());
        byte[] body = body(noExtensions);
        assertEquals(2 + 32 + 1 + 4 + 2, body.length);
        assertEquals(List.of(), ClientHello.decode(body).extensions());
        roundTrip(noExtensions, ClientHello::decode);
    }

    @Test
    void clientHelloWithEmptyExtensionsBlockDecodesLikeAnAbsentOne() {
        byte[] withEmptyBlock = clientHelloBody("00", "00021301", "0100", "0000");
        assertEquals(body(new ClientHello(ProtocolVersion.TLS1_2, RANDOM, new byte[0], List.of(CipherSuiteId.TLS_AES_128_GCM_SHA256),
                new byte[] {0}, List.of())).length + 2, withEmptyBlock.length);
        assertEquals(List.of(), ClientHello.decode(withEmptyBlock).extensions());
    }

    @Test
    void serverHelloRoundTripsWithAndWithoutExtensions() {
        ServerHello tls12 = new ServerHello(ProtocolVersion.TLS1_2, RANDOM, Bytes.fromHex("aabb"),
                CipherSuiteId.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, 0,
                List.of(new Extension(ExtensionType.RENEGOTIATION_INFO, new byte[] {0})));
        roundTrip(tls12, ServerHello::decode);
        assertFalse(tls12.isHelloRetryRequest());
        ServerHello bare = new ServerHello(ProtocolVersion.TLS1_2, RANDOM, new byte[0],
                CipherSuiteId.TLS_RSA_WITH_AES_128_CBC_SHA, 0, List.of());
        assertEquals(2 + 32 + 1 + 2 + 1, body(bare).length);
        roundTrip(bare, ServerHello::decode);
        ServerHello hrr = new ServerHello(ProtocolVersion.TLS1_2, ServerHello.helloRetryRequestRandom(), new byte[0],
                CipherSuiteId.TLS_AES_128_GCM_SHA256, 0, List.of(new Extension(ExtensionType.SUPPORTED_VERSIONS, Bytes.fromHex("0304"))));
        assertTrue(roundTrip(hrr, ServerHello::decode).isHelloRetryRequest());
        assertEquals(true, hrr.describe().get("hello_retry_request"));
    }

    @Test
    void tls12CertificateMessagesRoundTrip() {
        roundTrip(new Certificate12(List.of(Bytes.fromHex("3082"), Bytes.fromHex("308201"))), Certificate12::decode);
        assertEquals("000000", Bytes.hex(body(new Certificate12(List.of()))), "the empty chain of a client without a certificate");
        roundTrip(new Certificate12(List.of()), Certificate12::decode);
        CertificateRequest12 request = new CertificateRequest12(new byte[] {CertificateRequest12.RSA_SIGN, (byte) CertificateRequest12.ECDSA_SIGN},
                List.of(SignatureScheme.RSA_PSS_RSAE_SHA256, SignatureScheme.ECDSA_SECP256R1_SHA256),
                List.of(Bytes.fromHex("3000"), Bytes.fromHex("3003310130")));
        roundTrip(request, CertificateRequest12::decode);
        assertEquals("020140" + "000408040403" + "000b" + "00023000" + "00053003310130", Bytes.hex(body(request)));
        roundTrip(new CertificateRequest12(new byte[] {1}, List.of(SignatureScheme.RSA_PKCS1_SHA256), List.of()),
                CertificateRequest12::decode);
    }

    @Test
    void emptyMessagesRoundTrip() {
        assertEquals(0, body(new ServerHelloDone()).length);
        roundTrip(new ServerHelloDone(), ServerHelloDone::decode);
        roundTrip(new HelloRequest(), HelloRequest::decode);
        roundTrip(new EndOfEarlyData(), EndOfEarlyData::decode);
        assertEquals(HandshakeType.HELLO_REQUEST, new HelloRequest().type());
    }

    @Test
    void keyExchangeMessagesRoundTrip() {
        byte[] point = Bytes.fromHex("04" + "11".repeat(64));
        ServerKeyExchangeEcdhe ske = new ServerKeyExchangeEcdhe(NamedGroup.SECP256R1, point,
                SignatureScheme.RSA_PSS_RSAE_SHA256, Bytes.fromHex("5151"));
        roundTrip(ske, ServerKeyExchangeEcdhe::decode);
        // RFC 8422 §5.4: ServerECDHParams = curve_type named_curve(3), NamedCurve, ECPoint - the part the signature covers.
        assertArrayEquals(Bytes.concat(Bytes.fromHex("03001741"), point), ske.signedParams());
        assertArrayEquals(Bytes.concat(ske.signedParams(), Bytes.fromHex("080400025151")), body(ske));

        roundTrip(new ClientKeyExchangeRsa(new byte[256]), ClientKeyExchangeRsa::decode);
        assertEquals("0003010203", Bytes.hex(body(new ClientKeyExchangeRsa(Bytes.fromHex("010203")))));
        ClientKeyExchangeEcdhe cke = roundTrip(new ClientKeyExchangeEcdhe(new byte[32]), ClientKeyExchangeEcdhe::decode);
        assertEquals(HandshakeType.CLIENT_KEY_EXCHANGE, cke.type());
        assertEquals(33, body(cke).length);
    }

    @Test
    void verifyAndFinishedRoundTrip() {
        roundTrip(new CertificateVerify(SignatureScheme.ECDSA_SECP256R1_SHA256, Bytes.fromHex("3045")), CertificateVerify::decode);
        roundTrip(new CertificateVerify(new SignatureScheme(0x0a0a), new byte[0]), CertificateVerify::decode);
        Finished finished = roundTrip(new Finished(new byte[12]), Finished::decode);
        assertEquals(12, body(finished).length, "verify_data is the whole body, no length prefix");
        assertNotEquals(new Finished(new byte[12]), new Finished(new byte[13]));
    }

    @Test
    void sessionTicketsRoundTrip() {
        NewSessionTicket12 ticket12 = roundTrip(new NewSessionTicket12(0xffffffffL, Bytes.fromHex("c0ffee")), NewSessionTicket12::decode);
        assertEquals("ffffffff0003c0ffee", Bytes.hex(body(ticket12)));
        roundTrip(new NewSessionTicket12(0, new byte[0]), NewSessionTicket12::decode);
        roundTrip(new NewSessionTicket13(604800, 0x80000001L, Bytes.fromHex("00"), Bytes.fromHex("aa"),
                List.of(new Extension(ExtensionType.EARLY_DATA, Bytes.fromHex("00004000")))), NewSessionTicket13::decode);
    }

    @Test
    void tls13MessagesRoundTrip() {
        roundTrip(new EncryptedExtensions(List.of()), EncryptedExtensions::decode);
        assertEquals("0000", Bytes.hex(body(new EncryptedExtensions(List.of()))));
        roundTrip(new EncryptedExtensions(List.of(new Extension(ExtensionType.SERVER_NAME, new byte[0]))), EncryptedExtensions::decode);
        roundTrip(new Certificate13(new byte[0], List.of(
                new CertificateEntry(Bytes.fromHex("3082"), List.of()),
                new CertificateEntry(Bytes.fromHex("308201"), List.of(new Extension(ExtensionType.STATUS_REQUEST, Bytes.fromHex("01")))))),
                Certificate13::decode);
        roundTrip(new Certificate13(Bytes.fromHex("0102"), List.of()), Certificate13::decode);
        roundTrip(new CertificateRequest13(Bytes.fromHex("07"),
                List.of(new Extension(ExtensionType.SIGNATURE_ALGORITHMS, Bytes.fromHex("00020804")))), CertificateRequest13::decode);
        assertEquals("00", Bytes.hex(body(new KeyUpdate(false))));
        assertTrue(roundTrip(new KeyUpdate(true), KeyUpdate::decode).updateRequested());
        assertFalse(roundTrip(new KeyUpdate(false), KeyUpdate::decode).updateRequested());
    }

    @Test
    void handshakeFrameSplitsHeaderAndBody() {
        byte[] whole = sampleClientHello().encode();
        HandshakeFrame frame = HandshakeFrame.parse(whole);
        assertEquals(HandshakeType.CLIENT_HELLO, frame.type());
        assertArrayEquals(whole, frame.encode());
        assertEquals(sampleClientHello(), ClientHello.decode(frame.body()));
        assertEquals(frame, HandshakeFrame.of(sampleClientHello()));
        assertArrayEquals(Bytes.fromHex("0e000000"), HandshakeFrame.parse(Bytes.fromHex("0e000000")).encode());
    }

    @Test
    void recordsAreImmutable() {
        byte[] random = RANDOM.clone();
        ClientHello hello = new ClientHello(ProtocolVersion.TLS1_2, random, new byte[0],
                List.of(CipherSuiteId.TLS_AES_128_GCM_SHA256), new byte[] {0}, List.of());
        random[0] = 42;
        hello.random()[1] = 42;
        assertArrayEquals(RANDOM, hello.random());
        byte[] cert = Bytes.fromHex("3082");
        Certificate12 chain = new Certificate12(List.of(cert));
        cert[0] = 0;
        chain.certificateChain().get(0)[1] = 0;
        assertArrayEquals(Bytes.fromHex("3082"), chain.certificateChain().get(0));
    }

    // ---- malformed input ----

    private static byte[] clientHelloBody(String sessionId, String suites, String compression, String extensions) {
        return Bytes.fromHex("0303" + Bytes.hex(RANDOM) + sessionId + suites + compression + extensions);
    }

    @Test
    void rejectsOddCipherSuitesLength() {
        assertAlert(AlertDescription.DECODE_ERROR, () -> ClientHello.decode(clientHelloBody("00", "0003130113", "0100", "")));
    }

    @Test
    void rejectsEmptyCipherSuites() {
        assertAlert(AlertDescription.DECODE_ERROR, () -> ClientHello.decode(clientHelloBody("00", "0000", "0100", "")));
    }

    @Test
    void rejectsEmptyCompressionMethods() {
        assertAlert(AlertDescription.DECODE_ERROR, () -> ClientHello.decode(clientHelloBody("00", "00021301", "00", "")));
    }

    @Test
    void rejectsSessionIdLongerThan32() {
        String sessionId33 = "21" + "00".repeat(33);
        assertAlert(AlertDescription.DECODE_ERROR, () -> ClientHello.decode(clientHelloBody(sessionId33, "00021301", "0100", "")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> ServerHello.decode(Bytes.fromHex("0303" + Bytes.hex(RANDOM) + sessionId33 + "130100")));
        // 32 is the maximum and fine.
        ClientHello.decode(clientHelloBody("20" + "00".repeat(32), "00021301", "0100", ""));
    }

    @Test
    void rejectsTruncatedRandom() {
        assertAlert(AlertDescription.DECODE_ERROR, () -> ClientHello.decode(Bytes.fromHex("0303" + "00".repeat(31))));
        assertAlert(AlertDescription.DECODE_ERROR, () -> ServerHello.decode(Bytes.fromHex("0303" + "00".repeat(20))));
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] hello = body(sampleClientHello());
        assertAlert(AlertDescription.DECODE_ERROR, () -> ClientHello.decode(Bytes.concat(hello, new byte[] {0})));
        assertAlert(AlertDescription.DECODE_ERROR, () -> ServerHelloDone.decode(new byte[] {0}));
        assertAlert(AlertDescription.DECODE_ERROR, () -> HelloRequest.decode(new byte[] {0}));
        assertAlert(AlertDescription.DECODE_ERROR, () -> EndOfEarlyData.decode(new byte[] {0}));
        assertAlert(AlertDescription.DECODE_ERROR, () -> KeyUpdate.decode(Bytes.fromHex("0000")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> CertificateVerify.decode(Bytes.fromHex("0804000100ff")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> ClientKeyExchangeEcdhe.decode(Bytes.fromHex("010203")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> NewSessionTicket12.decode(Bytes.fromHex("00000001000100ff")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> EncryptedExtensions.decode(Bytes.fromHex("000000")));
    }

    @Test
    void rejectsDuplicateExtension() {
        String ems = "00170000";
        assertAlert(AlertDescription.ILLEGAL_PARAMETER,
                () -> ClientHello.decode(clientHelloBody("00", "00021301", "0100", "0008" + ems + ems)));
        // Not only adjacent ones, and in every message that carries extensions.
        assertAlert(AlertDescription.ILLEGAL_PARAMETER,
                () -> EncryptedExtensions.decode(Bytes.fromHex("000c" + "00000000" + "002a0000" + "00000000")));
        assertAlert(AlertDescription.ILLEGAL_PARAMETER,
                () -> ServerHello.decode(Bytes.fromHex("0303" + Bytes.hex(RANDOM) + "00" + "1301" + "00" + "000a" + "002b00020304" + "002b0000")));
    }

    @Test
    void rejectsOneByteExtensionsBlock() {
        assertAlert(AlertDescription.DECODE_ERROR, () -> ClientHello.decode(clientHelloBody("00", "00021301", "0100", "00")));
    }

    @Test
    void rejectsExtensionLongerThanItsBlock() {
        assertAlert(AlertDescription.DECODE_ERROR,
                () -> ClientHello.decode(clientHelloBody("00", "00021301", "0100", "0005" + "0017" + "0002" + "00")));
        assertAlert(AlertDescription.DECODE_ERROR,
                () -> ClientHello.decode(clientHelloBody("00", "00021301", "0100", "0003" + "0017" + "00")));
    }

    @Test
    void rejectsExplicitCurveServerKeyExchange() {
        // RFC 8422 §5.4: explicit_prime(1) and explicit_char2(2) are deprecated; only named_curve(3) is accepted.
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, () -> ServerKeyExchangeEcdhe.decode(Bytes.fromHex("01001701040401000100")));
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, () -> ServerKeyExchangeEcdhe.decode(Bytes.fromHex("02")));
    }

    @Test
    void rejectsEmptyEcPoint() {
        assertAlert(AlertDescription.DECODE_ERROR, () -> ServerKeyExchangeEcdhe.decode(Bytes.fromHex("030017" + "00" + "04010000")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> ClientKeyExchangeEcdhe.decode(Bytes.fromHex("00")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> ClientKeyExchangeEcdhe.decode(new byte[0]));
    }

    @Test
    void rejectsTruncatedServerKeyExchangeSignature() {
        assertAlert(AlertDescription.DECODE_ERROR, () -> ServerKeyExchangeEcdhe.decode(Bytes.fromHex("030017" + "0104" + "0804" + "0003aabb")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> ServerKeyExchangeEcdhe.decode(Bytes.fromHex("030017" + "0104" + "08")));
    }

    @Test
    void rejectsRsaKeyExchangeWithoutLengthPrefix() {
        // SSL 3.0 sent the encrypted pre-master bare (RFC 5246 §7.4.7.1 note); read as TLS, its first bytes are a wrong length.
        byte[] bare = new byte[256];
        bare[0] = 0x5a;
        assertAlert(AlertDescription.DECODE_ERROR, () -> ClientKeyExchangeRsa.decode(bare));
    }

    @Test
    void rejectsKeyUpdateValuesOtherThanZeroAndOne() {
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, () -> KeyUpdate.decode(Bytes.fromHex("02")));
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, () -> KeyUpdate.decode(Bytes.fromHex("ff")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> KeyUpdate.decode(new byte[0]));
    }

    @Test
    void rejectsEmptyCertificateInChain() {
        assertAlert(AlertDescription.DECODE_ERROR, () -> Certificate12.decode(Bytes.fromHex("000003" + "000000")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> Certificate13.decode(Bytes.fromHex("00" + "000005" + "000000" + "0000")));
    }

    @Test
    void rejectsCertificateListLengthMismatch() {
        assertAlert(AlertDescription.DECODE_ERROR, () -> Certificate12.decode(Bytes.fromHex("000005" + "00000130")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> Certificate12.decode(Bytes.fromHex("000004" + "0000023082")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> Certificate13.decode(Bytes.fromHex("00" + "000006" + "00000130" + "00")));
    }

    @Test
    void rejectsMalformedTls12CertificateRequest() {
        assertAlert(AlertDescription.DECODE_ERROR, () -> CertificateRequest12.decode(Bytes.fromHex("00" + "00020401" + "0000")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> CertificateRequest12.decode(Bytes.fromHex("0101" + "0003040105" + "0000")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> CertificateRequest12.decode(Bytes.fromHex("0101" + "0000" + "0000")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> CertificateRequest12.decode(Bytes.fromHex("0101" + "00020401" + "00020000")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> CertificateRequest12.decode(Bytes.fromHex("0101" + "00020401")));
    }

    @Test
    void rejectsTls13CertificateRequestWithoutExtensions() {
        assertAlert(AlertDescription.DECODE_ERROR, () -> CertificateRequest13.decode(Bytes.fromHex("00" + "0000")));
    }

    @Test
    void rejectsTls13TicketWithEmptyTicket() {
        assertAlert(AlertDescription.DECODE_ERROR, () -> NewSessionTicket13.decode(Bytes.fromHex("00000e10" + "00000001" + "00" + "0000" + "0000")));
    }

    @Test
    void rejectsHandshakeFrameWhoseLengthDisagreesWithItsBody() {
        assertAlert(AlertDescription.DECODE_ERROR, () -> HandshakeFrame.parse(Bytes.fromHex("0e000001")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> HandshakeFrame.parse(Bytes.fromHex("0e00000000")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> HandshakeFrame.parse(Bytes.fromHex("0e0000")));
    }

    @Test
    void everyTruncationOfAFixedShapeMessageIsADecodeError() {
        List<HandshakeMessage> messages = List.of(
                new Certificate12(List.of(Bytes.fromHex("3082"))),
                new CertificateRequest12(new byte[] {1}, List.of(SignatureScheme.RSA_PKCS1_SHA256), List.of(Bytes.fromHex("30"))),
                new ServerKeyExchangeEcdhe(NamedGroup.X25519, new byte[32], SignatureScheme.ED25519, new byte[64]),
                new ClientKeyExchangeRsa(new byte[5]), new ClientKeyExchangeEcdhe(new byte[5]),
                new CertificateVerify(SignatureScheme.ED25519, new byte[5]), new NewSessionTicket12(7, new byte[3]),
                new EncryptedExtensions(List.of(new Extension(ExtensionType.SERVER_NAME, new byte[0]))),
                new Certificate13(new byte[1], List.of(new CertificateEntry(new byte[2], List.of()))),
                new CertificateRequest13(new byte[1], List.of(new Extension(ExtensionType.SIGNATURE_ALGORITHMS, Bytes.fromHex("00020804")))),
                new NewSessionTicket13(1, 2, new byte[1], new byte[1], List.of()), new KeyUpdate(true));
        for (HandshakeMessage message : messages) {
            byte[] body = body(message);
            for (int length = 0; length < body.length; length++) {
                byte[] prefix = Arrays.copyOf(body, length);
                assertAlert(AlertDescription.DECODE_ERROR, () -> decode(message.getClass(), prefix));
            }
        }
    }

    private static void decode(Class<?> type, byte[] body) throws Throwable {
        try {
            type.getMethod("decode", byte[].class).invoke(null, (Object) body);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
