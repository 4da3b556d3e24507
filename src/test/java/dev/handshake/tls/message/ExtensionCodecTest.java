package dev.handshake.tls.message;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.message.extension.AlpnExtension;
import dev.handshake.tls.message.extension.CookieExtension;
import dev.handshake.tls.message.extension.EarlyDataExtension;
import dev.handshake.tls.message.extension.EcPointFormatsExtension;
import dev.handshake.tls.message.extension.ExtendedMasterSecretExtension;
import dev.handshake.tls.message.extension.KeyShareClientHello;
import dev.handshake.tls.message.extension.KeyShareEntry;
import dev.handshake.tls.message.extension.KeyShareHelloRetryRequest;
import dev.handshake.tls.message.extension.KeyShareServerHello;
import dev.handshake.tls.message.extension.PostHandshakeAuthExtension;
import dev.handshake.tls.message.extension.PreSharedKeyClientHello;
import dev.handshake.tls.message.extension.PreSharedKeyServerHello;
import dev.handshake.tls.message.extension.PskIdentity;
import dev.handshake.tls.message.extension.PskKeyExchangeModesExtension;
import dev.handshake.tls.message.extension.RenegotiationInfoExtension;
import dev.handshake.tls.message.extension.ServerNameExtension;
import dev.handshake.tls.message.extension.SessionTicketExtension;
import dev.handshake.tls.message.extension.SignatureAlgorithmsExtension;
import dev.handshake.tls.message.extension.SupportedGroupsExtension;
import dev.handshake.tls.message.extension.SupportedVersionsClient;
import dev.handshake.tls.message.extension.SupportedVersionsServer;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.wire.ExtensionType;
import dev.handshake.tls.wire.NamedGroup;
import dev.handshake.tls.wire.ProtocolVersion;
import dev.handshake.tls.wire.SignatureScheme;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static dev.handshake.tls.message.HandshakeMessageCodecTest.RANDOM;
import static dev.handshake.tls.message.HandshakeMessageCodecTest.assertAlert;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Round trips of every typed extension, the extensions block, and named malformed extension data. */
class ExtensionCodecTest {

    private static <T> T roundTrip(T typed, Function<T, Extension> toExtension, ExtensionType type, String hex,
                                   Function<byte[], T> decoder) {
        Extension extension = toExtension.apply(typed);
        assertEquals(type, extension.type());
        assertEquals(hex, Bytes.hex(extension.data()));
        T decoded = decoder.apply(extension.data());
        assertEquals(typed, decoded);
        assertEquals(typed.hashCode(), decoded.hashCode());
        assertEquals(extension, toExtension.apply(decoded));
        return decoded;
    }

    // ---- the block ----

    @Test
    void extensionsBlockRoundTripsInOrderAndFinds() {
        List<Extension> list = List.of(new Extension(new ExtensionType(0xdada), new byte[0]),
                new Extension(ExtensionType.SERVER_NAME, Bytes.fromHex("0102")),
                new Extension(new ExtensionType(0x1234), Bytes.fromHex("ff")));
        TlsWriter w = new TlsWriter();
        Extensions.encodeList(w, list);
        assertEquals("000f" + "dada0000" + "000000020102" + "12340001ff", Bytes.hex(w.toByteArray()));
        TlsReader r = TlsReader.of(w.toByteArray());
        assertEquals(list, Extensions.decodeList(r));
        r.finish("test");
        assertEquals(Bytes.fromHex("ff")[0], Extensions.find(list, new ExtensionType(0x1234)).orElseThrow().data()[0]);
        assertTrue(Extensions.find(list, ExtensionType.KEY_SHARE).isEmpty());
    }

    @Test
    void rejectsDuplicateExtensionInBlock() {
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, () -> Extensions.decodeList(TlsReader.of(Bytes.fromHex("0008" + "dada0000" + "dada0000"))));
        assertThrows(IllegalArgumentException.class, () -> new EncryptedExtensions(List.of(
                new Extension(ExtensionType.SERVER_NAME, new byte[0]), new Extension(ExtensionType.SERVER_NAME, new byte[0]))));
    }

    // ---- server_name ----

    @Test
    void serverNameRoundTrips() {
        ServerNameExtension sni = roundTrip(ServerNameExtension.of("example.com"), ServerNameExtension::toExtension,
                ExtensionType.SERVER_NAME, "000e00000b6578616d706c652e636f6d", ServerNameExtension::decode);
        assertEquals("example.com", sni.hostName());
    }

    @Test
    void serverNameAcknowledgementIsEmpty() {
        Extension ack = ServerNameExtension.acknowledgement();
        assertEquals(ExtensionType.SERVER_NAME, ack.type());
        assertEquals(0, ack.length());
        assertTrue(ServerNameExtension.isAcknowledgement(ack));
        assertFalse(ServerNameExtension.isAcknowledgement(ServerNameExtension.of("a").toExtension()));
        assertFalse(ServerNameExtension.isAcknowledgement(new Extension(ExtensionType.EXTENDED_MASTER_SECRET, new byte[0])));
        assertAlert(AlertDescription.DECODE_ERROR, () -> ServerNameExtension.decode(ack.data()));
    }

    @Test
    void rejectsTruncatedServerName() {
        assertAlert(AlertDescription.DECODE_ERROR, () -> ServerNameExtension.decode(Bytes.fromHex("000e00000b6578616d706c652e636f")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> ServerNameExtension.decode(Bytes.fromHex("000d00000b6578616d706c652e636f6d")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> ServerNameExtension.decode(Bytes.fromHex("0003000000")));
    }

    @Test
    void rejectsTwoHostNames() {
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, () -> ServerNameExtension.decode(Bytes.fromHex("0008" + "0000016100000162")));
    }

    @Test
    void rejectsEmptyServerNameList() {
        assertAlert(AlertDescription.DECODE_ERROR, () -> ServerNameExtension.decode(Bytes.fromHex("0000")));
    }

    @Test
    void rejectsServerNameTypeOtherThanHostName() {
        assertAlert(AlertDescription.DECODE_ERROR, () -> ServerNameExtension.decode(Bytes.fromHex("0004" + "01000161")));
    }

    @Test
    void rejectsNonAsciiHostName() {
        assertAlert(AlertDescription.DECODE_ERROR, () -> ServerNameExtension.decode(Bytes.fromHex("0005" + "000002c3a9")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> ServerNameExtension.decode(Bytes.fromHex("0005" + "0000026100")));
        assertThrows(IllegalArgumentException.class, () -> ServerNameExtension.of("é.example"));
    }

    // ---- lists of code points ----

    @Test
    void signatureAlgorithmsRoundTripWithGreaseKept() {
        SignatureAlgorithmsExtension algorithms = new SignatureAlgorithmsExtension(List.of(new SignatureScheme(0x0a0a),
                SignatureScheme.ECDSA_SECP256R1_SHA256, SignatureScheme.RSA_PSS_RSAE_SHA256));
        roundTrip(algorithms, SignatureAlgorithmsExtension::toExtension, ExtensionType.SIGNATURE_ALGORITHMS,
                "00060a0a04030804", SignatureAlgorithmsExtension::decode);
        assertEquals(ExtensionType.SIGNATURE_ALGORITHMS_CERT, algorithms.toCertExtension().type());
        assertArrayEquals(algorithms.toExtension().data(), algorithms.toCertExtension().data());
    }

    @Test
    void rejectsOddSignatureAlgorithmsLength() {
        assertAlert(AlertDescription.DECODE_ERROR, () -> SignatureAlgorithmsExtension.decode(Bytes.fromHex("0003040308")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> SignatureAlgorithmsExtension.decode(Bytes.fromHex("0000")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> SignatureAlgorithmsExtension.decode(Bytes.fromHex("000204030000")));
    }

    @Test
    void supportedGroupsRoundTripWithGreaseKept() {
        SupportedGroupsExtension groups = roundTrip(new SupportedGroupsExtension(List.of(new NamedGroup(0x2a2a),
                        NamedGroup.X25519MLKEM768, NamedGroup.X25519, NamedGroup.SECP256R1)),
                SupportedGroupsExtension::toExtension, ExtensionType.SUPPORTED_GROUPS, "00082a2a11ec001d0017",
                SupportedGroupsExtension::decode);
        assertEquals(new NamedGroup(0x2a2a), groups.groups().get(0));
    }

    @Test
    void rejectsEmptyOrOddSupportedGroups() {
        assertAlert(AlertDescription.DECODE_ERROR, () -> SupportedGroupsExtension.decode(Bytes.fromHex("0000")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> SupportedGroupsExtension.decode(Bytes.fromHex("0001001d")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> SupportedGroupsExtension.decode(Bytes.fromHex("0004001d")));
    }

    @Test
    void ecPointFormatsRoundTrip() {
        EcPointFormatsExtension formats = roundTrip(EcPointFormatsExtension.uncompressedOnly(), EcPointFormatsExtension::toExtension,
                ExtensionType.EC_POINT_FORMATS, "0100", EcPointFormatsExtension::decode);
        assertTrue(formats.offersUncompressed());
        assertFalse(EcPointFormatsExtension.decode(Bytes.fromHex("0101")).offersUncompressed());
        assertAlert(AlertDescription.DECODE_ERROR, () -> EcPointFormatsExtension.decode(Bytes.fromHex("00")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> EcPointFormatsExtension.decode(Bytes.fromHex("0200")));
    }

    @Test
    void supportedVersionsRoundTrip() {
        SupportedVersionsClient client = roundTrip(new SupportedVersionsClient(List.of(new ProtocolVersion(0x1a1a),
                        ProtocolVersion.TLS1_3, ProtocolVersion.TLS1_2)), SupportedVersionsClient::toExtension,
                ExtensionType.SUPPORTED_VERSIONS, "061a1a03040303", SupportedVersionsClient::decode);
        assertTrue(client.versions().get(0).isGrease());
        assertTrue(client.offers(ProtocolVersion.TLS1_3));
        roundTrip(new SupportedVersionsServer(ProtocolVersion.TLS1_3), SupportedVersionsServer::toExtension,
                ExtensionType.SUPPORTED_VERSIONS, "0304", SupportedVersionsServer::decode);
    }

    @Test
    void rejectsMalformedSupportedVersions() {
        assertAlert(AlertDescription.DECODE_ERROR, () -> SupportedVersionsClient.decode(Bytes.fromHex("00")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> SupportedVersionsClient.decode(Bytes.fromHex("03030403")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> SupportedVersionsClient.decode(Bytes.fromHex("040304")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> SupportedVersionsServer.decode(Bytes.fromHex("03")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> SupportedVersionsServer.decode(Bytes.fromHex("030400")));
    }

    // ---- ALPN ----

    @Test
    void alpnRoundTripsAndKeepsUtf8BytesExact() {
        roundTrip(new AlpnExtension(List.of("h2", "http/1.1")), AlpnExtension::toExtension,
                ExtensionType.APPLICATION_LAYER_PROTOCOL_NEGOTIATION, "000c02683208687474702f312e31", AlpnExtension::decode);
        AlpnExtension utf8 = AlpnExtension.decode(Bytes.fromHex("0003" + "02c3b6"));
        assertEquals(List.of("\u00f6"), utf8.protocols());
        assertEquals("000302c3b6", Bytes.hex(utf8.toExtension().data()));
    }

    @Test
    void rejectsEmptyAlpnProtocolNameOrList() {
        assertAlert(AlertDescription.DECODE_ERROR, () -> AlpnExtension.decode(Bytes.fromHex("0000")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> AlpnExtension.decode(Bytes.fromHex("0001" + "00")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> AlpnExtension.decode(Bytes.fromHex("0004" + "026832" + "00")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> AlpnExtension.decode(Bytes.fromHex("0004" + "0568")));
    }

    @Test
    void rejectsAlpnNameThatIsNotUtf8() {
        assertAlert(AlertDescription.DECODE_ERROR, () -> AlpnExtension.decode(Bytes.fromHex("0002" + "01ff")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> AlpnExtension.decode(Bytes.fromHex("0003" + "02c0af")));
    }

    // ---- opaque and empty extensions ----

    @Test
    void renegotiationInfoRoundTrips() {
        roundTrip(RenegotiationInfoExtension.initial(), RenegotiationInfoExtension::toExtension, ExtensionType.RENEGOTIATION_INFO,
                "00", RenegotiationInfoExtension::decode);
        roundTrip(new RenegotiationInfoExtension(Bytes.fromHex("0102030405060708090a0b0c")), RenegotiationInfoExtension::toExtension,
                ExtensionType.RENEGOTIATION_INFO, "0c0102030405060708090a0b0c", RenegotiationInfoExtension::decode);
        assertAlert(AlertDescription.DECODE_ERROR, () -> RenegotiationInfoExtension.decode(new byte[0]));
        assertAlert(AlertDescription.DECODE_ERROR, () -> RenegotiationInfoExtension.decode(Bytes.fromHex("0201")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> RenegotiationInfoExtension.decode(Bytes.fromHex("000000")));
    }

    @Test
    void emptyExtensionsRoundTripAndRejectData() {
        roundTrip(new ExtendedMasterSecretExtension(), ExtendedMasterSecretExtension::toExtension,
                ExtensionType.EXTENDED_MASTER_SECRET, "", ExtendedMasterSecretExtension::decode);
        roundTrip(new PostHandshakeAuthExtension(), PostHandshakeAuthExtension::toExtension,
                ExtensionType.POST_HANDSHAKE_AUTH, "", PostHandshakeAuthExtension::decode);
        roundTrip(new EarlyDataExtension(), EarlyDataExtension::toExtension, ExtensionType.EARLY_DATA, "", EarlyDataExtension::decode);
        assertAlert(AlertDescription.DECODE_ERROR, () -> ExtendedMasterSecretExtension.decode(new byte[1]));
        assertAlert(AlertDescription.DECODE_ERROR, () -> PostHandshakeAuthExtension.decode(new byte[1]));
        assertAlert(AlertDescription.DECODE_ERROR, () -> EarlyDataExtension.decode(new byte[4]));
    }

    @Test
    void earlyDataMaxSizeRoundTrips() {
        Extension max = EarlyDataExtension.maxSize(0xffffffffL);
        assertEquals(ExtensionType.EARLY_DATA, max.type());
        assertEquals("ffffffff", Bytes.hex(max.data()));
        assertEquals(0xffffffffL, EarlyDataExtension.decodeMaxSize(max.data()));
        assertAlert(AlertDescription.DECODE_ERROR, () -> EarlyDataExtension.decodeMaxSize(new byte[3]));
        assertAlert(AlertDescription.DECODE_ERROR, () -> EarlyDataExtension.decodeMaxSize(new byte[5]));
    }

    @Test
    void sessionTicketRoundTripsEmptyOrNot() {
        roundTrip(new SessionTicketExtension(new byte[0]), SessionTicketExtension::toExtension, ExtensionType.SESSION_TICKET,
                "", SessionTicketExtension::decode);
        roundTrip(new SessionTicketExtension(Bytes.fromHex("abcdef")), SessionTicketExtension::toExtension,
                ExtensionType.SESSION_TICKET, "abcdef", SessionTicketExtension::decode);
    }

    @Test
    void pskKeyExchangeModesRoundTrip() {
        PskKeyExchangeModesExtension modes = roundTrip(new PskKeyExchangeModesExtension(new byte[] {1}),
                PskKeyExchangeModesExtension::toExtension, ExtensionType.PSK_KEY_EXCHANGE_MODES, "0101",
                PskKeyExchangeModesExtension::decode);
        assertTrue(modes.offers(PskKeyExchangeModesExtension.PSK_DHE_KE));
        assertFalse(modes.offers(PskKeyExchangeModesExtension.PSK_KE));
        assertAlert(AlertDescription.DECODE_ERROR, () -> PskKeyExchangeModesExtension.decode(Bytes.fromHex("00")));
    }

    @Test
    void cookieRoundTripsAndRejectsEmpty() {
        roundTrip(new CookieExtension(Bytes.fromHex("c0c0")), CookieExtension::toExtension, ExtensionType.COOKIE, "0002c0c0",
                CookieExtension::decode);
        assertAlert(AlertDescription.DECODE_ERROR, () -> CookieExtension.decode(Bytes.fromHex("0000")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> CookieExtension.decode(Bytes.fromHex("0002c0")));
    }

    // ---- key_share ----

    @Test
    void keySharesRoundTrip() {
        KeyShareEntry x25519 = new KeyShareEntry(NamedGroup.X25519, new byte[32]);
        KeyShareEntry grease = new KeyShareEntry(new NamedGroup(0x4a4a), new byte[1]);
        roundTrip(new KeyShareClientHello(List.of(grease, x25519)), KeyShareClientHello::toExtension, ExtensionType.KEY_SHARE,
                "0029" + "4a4a000100" + "001d0020" + "00".repeat(32), KeyShareClientHello::decode);
        roundTrip(new KeyShareClientHello(List.of()), KeyShareClientHello::toExtension, ExtensionType.KEY_SHARE, "0000",
                KeyShareClientHello::decode);
        roundTrip(new KeyShareServerHello(x25519), KeyShareServerHello::toExtension, ExtensionType.KEY_SHARE,
                "001d0020" + "00".repeat(32), KeyShareServerHello::decode);
        roundTrip(new KeyShareHelloRetryRequest(NamedGroup.SECP384R1), KeyShareHelloRetryRequest::toExtension,
                ExtensionType.KEY_SHARE, "0018", KeyShareHelloRetryRequest::decode);
    }

    @Test
    void rejectsDuplicateKeyShareGroup() {
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, () -> KeyShareClientHello.decode(Bytes.fromHex("000a" + "001d000101" + "001d000102")));
    }

    @Test
    void rejectsEmptyKeyExchange() {
        assertAlert(AlertDescription.DECODE_ERROR, () -> KeyShareClientHello.decode(Bytes.fromHex("0004" + "001d0000")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> KeyShareServerHello.decode(Bytes.fromHex("001d0000")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> KeyShareServerHello.decode(Bytes.fromHex("001d00010100")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> KeyShareHelloRetryRequest.decode(Bytes.fromHex("001d00")));
    }

    // ---- pre_shared_key ----

    private static PreSharedKeyClientHello samplePsk() {
        return new PreSharedKeyClientHello(List.of(new PskIdentity(Bytes.fromHex("7469636b6574"), 0x01020304L),
                new PskIdentity(Bytes.fromHex("ee"), 0)), List.of(new byte[32], new byte[48]));
    }

    @Test
    void preSharedKeyRoundTrips() {
        PreSharedKeyClientHello psk = roundTrip(samplePsk(), PreSharedKeyClientHello::toExtension, ExtensionType.PRE_SHARED_KEY,
                "0013" + "00067469636b657401020304" + "0001ee00000000" + "0052" + "20" + "00".repeat(32) + "30" + "00".repeat(48),
                PreSharedKeyClientHello::decode);
        assertEquals(2 + 33 + 49, psk.bindersLength());
        roundTrip(new PreSharedKeyServerHello(1), PreSharedKeyServerHello::toExtension, ExtensionType.PRE_SHARED_KEY, "0001",
                PreSharedKeyServerHello::decode);
    }

    @Test
    void rejectsMalformedPreSharedKey() {
        assertAlert(AlertDescription.DECODE_ERROR, () -> PreSharedKeyClientHello.decode(Bytes.fromHex("0000" + "0021" + "20" + "00".repeat(32))));
        assertAlert(AlertDescription.DECODE_ERROR, () -> PreSharedKeyClientHello.decode(Bytes.fromHex("0007" + "0001ee00000000" + "0000")));
        assertAlert(AlertDescription.DECODE_ERROR, () -> PreSharedKeyClientHello.decode(Bytes.fromHex("0007" + "0000" + "0000000000" + "0021" + "20" + "00".repeat(32))));
        // PskBinderEntry<32..255>: a 31-byte binder cannot be an HMAC of any TLS 1.3 hash.
        assertAlert(AlertDescription.DECODE_ERROR, () -> PreSharedKeyClientHello.decode(Bytes.fromHex("0007" + "0001ee00000000" + "0020" + "1f" + "00".repeat(31))));
        assertAlert(AlertDescription.DECODE_ERROR, () -> PreSharedKeyServerHello.decode(Bytes.fromHex("00")));
    }

    @Test
    void rejectsBinderCountDifferentFromIdentityCount() {
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, () -> PreSharedKeyClientHello.decode(Bytes.fromHex(
                "000e" + "0001ee00000000" + "0001ef00000000" + "0021" + "20" + "00".repeat(32))));
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, () -> PreSharedKeyClientHello.decode(Bytes.fromHex(
                "0007" + "0001ee00000000" + "0042" + "20" + "00".repeat(32) + "20" + "00".repeat(32))));
    }

    private static byte[] clientHelloWith(List<Extension> extensions) {
        return new ClientHello(ProtocolVersion.TLS1_2, RANDOM, new byte[0], List.of(CipherSuiteId.TLS_AES_128_GCM_SHA256),
                new byte[] {0}, extensions).encode();
    }

    @Test
    void truncateBindersCutsExactlyTheBindersField() {
        PreSharedKeyClientHello psk = samplePsk();
        byte[] whole = clientHelloWith(List.of(new Extension(ExtensionType.EARLY_DATA, new byte[0]), psk.toExtension()));
        byte[] truncated = PreSharedKeyClientHello.truncateBinders(whole);
        assertEquals(whole.length - psk.bindersLength(), truncated.length);
        assertArrayEquals(java.util.Arrays.copyOf(whole, truncated.length), truncated);
        // The last bytes kept are the second identity's obfuscated_ticket_age (0).
        assertEquals("0001ee00000000", Bytes.hex(java.util.Arrays.copyOfRange(truncated, truncated.length - 7, truncated.length)));
    }

    @Test
    void truncateBindersRejectsPreSharedKeyThatIsNotLast() {
        byte[] whole = clientHelloWith(List.of(samplePsk().toExtension(), new Extension(ExtensionType.EARLY_DATA, new byte[0])));
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, () -> PreSharedKeyClientHello.truncateBinders(whole));
        assertAlert(AlertDescription.MISSING_EXTENSION, () -> PreSharedKeyClientHello.truncateBinders(
                clientHelloWith(List.of(new Extension(ExtensionType.EARLY_DATA, new byte[0])))));
        assertAlert(AlertDescription.UNEXPECTED_MESSAGE, () -> PreSharedKeyClientHello.truncateBinders(new ServerHelloDone().encode()));
    }
}
