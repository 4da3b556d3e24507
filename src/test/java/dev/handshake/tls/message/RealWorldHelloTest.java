package dev.handshake.tls.message;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.message.extension.AlpnExtension;
import dev.handshake.tls.message.extension.CookieExtension;
import dev.handshake.tls.message.extension.EarlyDataExtension;
import dev.handshake.tls.message.extension.EcPointFormatsExtension;
import dev.handshake.tls.message.extension.ExtendedMasterSecretExtension;
import dev.handshake.tls.message.extension.KeyShareClientHello;
import dev.handshake.tls.message.extension.KeyShareHelloRetryRequest;
import dev.handshake.tls.message.extension.KeyShareServerHello;
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
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.wire.ExtensionType;
import dev.handshake.tls.wire.HandshakeType;
import dev.handshake.tls.wire.NamedGroup;
import dev.handshake.tls.wire.ProtocolVersion;
import dev.handshake.tls.wire.SignatureScheme;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.handshake.tls.message.TestVectors.body;
import static dev.handshake.tls.message.TestVectors.rfc8448;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real handshakes: ClientHellos from the JDK's SSLEngine and the RFC 8448 traces decode and re-encode byte for byte. */
class RealWorldHelloTest {

    private static byte[] bodyOf(HandshakeMessage message) {
        byte[] whole = message.encode();
        return Arrays.copyOfRange(whole, 4, whole.length);
    }

    private static <T> T typed(ClientHello hello, ExtensionType type, Function<byte[], T> decoder) {
        return decoder.apply(hello.extension(type).orElseThrow(() -> new AssertionError("no " + type)).data());
    }

    @Test
    void decodesAndReencodesTheJdkTls13ClientHello() {
        byte[] body = TestVectors.jdkClientHelloBody();
        ClientHello hello = ClientHello.decode(body);

        assertArrayEquals(body, bodyOf(hello));
        assertEquals(ProtocolVersion.TLS1_2, hello.legacyVersion());
        assertTrue(hello.offers(CipherSuiteId.TLS_AES_128_GCM_SHA256));
        assertEquals(32, hello.sessionId().length, "middlebox-compatibility session id (RFC 8446 D.4)");
        assertEquals(List.of("example.com"),
                typed(hello, ExtensionType.SERVER_NAME, ServerNameExtension::decode).hostNames());
        assertThat(typed(hello, ExtensionType.SUPPORTED_GROUPS, SupportedGroupsExtension::decode).groups())
                .contains(NamedGroup.X25519, NamedGroup.SECP256R1);
        assertThat(typed(hello, ExtensionType.SIGNATURE_ALGORITHMS, SignatureAlgorithmsExtension::decode).schemes())
                .contains(SignatureScheme.ECDSA_SECP256R1_SHA256, SignatureScheme.RSA_PSS_RSAE_SHA256);
        assertThat(typed(hello, ExtensionType.SUPPORTED_VERSIONS, SupportedVersionsClient::decode).versions())
                .startsWith(ProtocolVersion.TLS1_3).contains(ProtocolVersion.TLS1_2);
        KeyShareClientHello shares = typed(hello, ExtensionType.KEY_SHARE, KeyShareClientHello::decode);
        assertEquals(32, shares.shareFor(NamedGroup.X25519).orElseThrow().keyExchange().length);
        assertEquals(List.of("h2", "http/1.1"),
                typed(hello, ExtensionType.APPLICATION_LAYER_PROTOCOL_NEGOTIATION, AlpnExtension::decode).protocols());
        assertTrue(typed(hello, ExtensionType.PSK_KEY_EXCHANGE_MODES, PskKeyExchangeModesExtension::decode)
                .offers(PskKeyExchangeModesExtension.PSK_DHE_KE));
        everyTypedExtensionReencodesExactly(hello.extensions());
    }

    @Test
    void decodesAndReencodesTheJdkTls12ClientHello() {
        byte[] body = TestVectors.jdkClientHelloBody("TLSv1.2");
        ClientHello hello = ClientHello.decode(body);

        assertArrayEquals(body, bodyOf(hello));
        assertEquals(ProtocolVersion.TLS1_2, hello.legacyVersion());
        assertTrue(hello.offers(CipherSuiteId.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256));
        assertTrue(hello.offers(CipherSuiteId.TLS_EMPTY_RENEGOTIATION_INFO_SCSV));
        assertFalse(hello.offers(CipherSuiteId.TLS_AES_128_GCM_SHA256));
        assertEquals("example.com", typed(hello, ExtensionType.SERVER_NAME, ServerNameExtension::decode).hostName());
        assertThat(typed(hello, ExtensionType.SUPPORTED_GROUPS, SupportedGroupsExtension::decode).groups())
                .contains(NamedGroup.X25519, NamedGroup.SECP256R1);
        assertThat(typed(hello, ExtensionType.SIGNATURE_ALGORITHMS, SignatureAlgorithmsExtension::decode).schemes())
                .contains(SignatureScheme.RSA_PKCS1_SHA256);
        assertTrue(typed(hello, ExtensionType.EC_POINT_FORMATS, EcPointFormatsExtension::decode).offersUncompressed());
        assertTrue(hello.extension(ExtensionType.EXTENDED_MASTER_SECRET).isPresent());
        // The JDK names its one version in supported_versions even when it offers TLS 1.2 only.
        hello.extension(ExtensionType.SUPPORTED_VERSIONS).ifPresent(e ->
                assertEquals(List.of(ProtocolVersion.TLS1_2), SupportedVersionsClient.decode(e.data()).versions()));
        assertTrue(hello.extension(ExtensionType.KEY_SHARE).isEmpty());
        everyTypedExtensionReencodesExactly(hello.extensions());
    }

    @Test
    void decodesAndReencodesTheRfc8448SimpleClientHello() {
        byte[] whole = rfc8448("s3.client_hello");
        ClientHello hello = ClientHello.decode(body(whole));

        assertArrayEquals(whole, hello.encode());
        assertEquals("cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7", Bytes.hex(hello.random()));
        assertEquals(0, hello.sessionId().length);
        assertEquals(List.of(CipherSuiteId.TLS_AES_128_GCM_SHA256, CipherSuiteId.TLS_CHACHA20_POLY1305_SHA256,
                CipherSuiteId.TLS_AES_256_GCM_SHA384), hello.cipherSuites());
        assertEquals("server", typed(hello, ExtensionType.SERVER_NAME, ServerNameExtension::decode).hostName());
        assertEquals(List.of(NamedGroup.X25519, NamedGroup.SECP256R1, NamedGroup.SECP384R1, NamedGroup.SECP521R1,
                NamedGroup.FFDHE2048, NamedGroup.FFDHE3072, new NamedGroup(0x0102), new NamedGroup(0x0103),
                new NamedGroup(0x0104)), typed(hello, ExtensionType.SUPPORTED_GROUPS, SupportedGroupsExtension::decode).groups());
        assertEquals(List.of(ProtocolVersion.TLS1_3),
                typed(hello, ExtensionType.SUPPORTED_VERSIONS, SupportedVersionsClient::decode).versions());
        assertEquals("99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c", Bytes.hex(
                typed(hello, ExtensionType.KEY_SHARE, KeyShareClientHello::decode).shareFor(NamedGroup.X25519).orElseThrow().keyExchange()));
        assertEquals(15, typed(hello, ExtensionType.SIGNATURE_ALGORITHMS, SignatureAlgorithmsExtension::decode).schemes().size());
        assertEquals(0, typed(hello, ExtensionType.RENEGOTIATION_INFO, RenegotiationInfoExtension::decode).renegotiatedConnection().length);
        // record_size_limit (RFC 8449) is not typed here: it must pass through untouched.
        assertEquals("4001", Bytes.hex(hello.extension(ExtensionType.RECORD_SIZE_LIMIT).orElseThrow().data()));
        everyTypedExtensionReencodesExactly(hello.extensions());
    }

    @Test
    void decodesAndReencodesTheRfc8448SimpleServerHello() {
        byte[] whole = rfc8448("s3.server_hello");
        ServerHello hello = ServerHello.decode(body(whole));

        assertArrayEquals(whole, hello.encode());
        assertFalse(hello.isHelloRetryRequest());
        assertEquals(CipherSuiteId.TLS_AES_128_GCM_SHA256, hello.cipherSuite());
        assertEquals(0, hello.compressionMethod());
        assertEquals(ProtocolVersion.TLS1_3, SupportedVersionsServer.decode(hello.extension(ExtensionType.SUPPORTED_VERSIONS).orElseThrow().data()).selected());
        KeyShareServerHello share = KeyShareServerHello.decode(hello.extension(ExtensionType.KEY_SHARE).orElseThrow().data());
        assertEquals(NamedGroup.X25519, share.share().group());
        assertEquals("c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f", Bytes.hex(share.share().keyExchange()));
    }

    @Test
    void everyRfc8448MessageDecodesAndReencodesByteForByte() {
        for (Map.Entry<String, byte[]> entry : TestVectors.rfc8448All().entrySet()) {
            if (entry.getKey().endsWith("prefix")) {
                continue;
            }
            byte[] whole = entry.getValue();
            HandshakeMessage message = decodeTls13(HandshakeFrame.parse(whole));
            assertArrayEquals(whole, message.encode(), entry.getKey());
            assertArrayEquals(whole, HandshakeFrame.parse(whole).encode(), entry.getKey());
        }
    }

    private static HandshakeMessage decodeTls13(HandshakeFrame frame) {
        byte[] body = frame.body();
        int type = frame.type().code();
        if (type == HandshakeType.CLIENT_HELLO.code()) {
            return ClientHello.decode(body);
        } else if (type == HandshakeType.SERVER_HELLO.code()) {
            return ServerHello.decode(body);
        } else if (type == HandshakeType.ENCRYPTED_EXTENSIONS.code()) {
            return EncryptedExtensions.decode(body);
        } else if (type == HandshakeType.CERTIFICATE.code()) {
            return Certificate13.decode(body);
        } else if (type == HandshakeType.CERTIFICATE_REQUEST.code()) {
            return CertificateRequest13.decode(body);
        } else if (type == HandshakeType.CERTIFICATE_VERIFY.code()) {
            return CertificateVerify.decode(body);
        } else if (type == HandshakeType.FINISHED.code()) {
            return Finished.decode(body);
        } else if (type == HandshakeType.NEW_SESSION_TICKET.code()) {
            return NewSessionTicket13.decode(body);
        }
        throw new AssertionError("no decoder for " + frame.type());
    }

    @Test
    void decodesTheRfc8448ServerFlightFields() {
        Certificate13 certificate = Certificate13.decode(body(rfc8448("s3.certificate")));
        assertEquals(0, certificate.requestContext().length);
        assertEquals(1, certificate.entries().size());
        assertEquals(0x01b0, certificate.entries().get(0).certificate().length);
        assertEquals(0x30, certificate.entries().get(0).certificate()[0] & 0xff, "DER SEQUENCE");

        CertificateVerify verify = CertificateVerify.decode(body(rfc8448("s3.certificate_verify")));
        assertEquals(SignatureScheme.RSA_PSS_RSAE_SHA256, verify.scheme());
        assertEquals(128, verify.signature().length);

        assertEquals("9b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718",
                Bytes.hex(Finished.decode(body(rfc8448("s3.server_finished"))).verifyData()));

        EncryptedExtensions ee = EncryptedExtensions.decode(body(rfc8448("s3.encrypted_extensions")));
        assertTrue(ServerNameExtension.isAcknowledgement(ee.extension(ExtensionType.SERVER_NAME).orElseThrow()));

        NewSessionTicket13 ticket = NewSessionTicket13.decode(body(rfc8448("s3.new_session_ticket")));
        assertEquals(30, ticket.lifetimeSeconds());
        assertEquals(0xfad6aac5L, ticket.ageAdd());
        assertEquals("0000", Bytes.hex(ticket.nonce()));
        assertEquals(0xb2, ticket.ticket().length);
        assertEquals(0x400, EarlyDataExtension.decodeMaxSize(ticket.extension(ExtensionType.EARLY_DATA).orElseThrow().data()));

        CertificateRequest13 request = CertificateRequest13.decode(body(rfc8448("s6.certificate_request")));
        assertEquals(0, request.requestContext().length);
        assertThat(SignatureAlgorithmsExtension.decode(request.extension(ExtensionType.SIGNATURE_ALGORITHMS).orElseThrow().data()).schemes())
                .contains(SignatureScheme.RSA_PSS_RSAE_SHA256);
    }

    @Test
    void truncatesTheRfc8448ResumptionClientHelloToItsBinderPrefix() {
        byte[] whole = rfc8448("s4.client_hello");
        ClientHello hello = ClientHello.decode(body(whole));
        Extension last = hello.extensions().get(hello.extensions().size() - 1);
        assertEquals(ExtensionType.PRE_SHARED_KEY, last.type());
        PreSharedKeyClientHello psk = PreSharedKeyClientHello.decode(last.data());

        assertEquals(1, psk.identities().size());
        assertEquals(0xb2, psk.identities().get(0).identity().length);
        // The §3 ticket's ticket_age_add is 0xfad6aac5; the trace's ticket age is 6 ms.
        assertEquals(0xfad6aacbL, psk.identities().get(0).obfuscatedTicketAge());
        assertEquals("3add4fb2d8fdf822a0ca3cf7678ef5e88dae990141c5924d57bb6fa31b9e5f9d", Bytes.hex(psk.binders().get(0)));
        assertEquals(35, psk.bindersLength());
        assertArrayEquals(rfc8448("s4.client_hello_prefix"), PreSharedKeyClientHello.truncateBinders(whole));
        assertArrayEquals(last.data(), psk.toExtension().data());
        assertTrue(hello.extension(ExtensionType.EARLY_DATA).isPresent());
        EarlyDataExtension.decode(hello.extension(ExtensionType.EARLY_DATA).orElseThrow().data());

        ServerHello serverHello = ServerHello.decode(body(rfc8448("s4.server_hello")));
        assertEquals(0, PreSharedKeyServerHello.decode(serverHello.extension(ExtensionType.PRE_SHARED_KEY).orElseThrow().data()).selectedIdentity());
    }

    @Test
    void recognisesTheRfc8448HelloRetryRequestAndTheEchoedCookie() {
        ServerHello hrr = ServerHello.decode(body(rfc8448("s5.hello_retry_request")));
        assertTrue(hrr.isHelloRetryRequest());
        assertArrayEquals(ServerHello.helloRetryRequestRandom(), hrr.random());
        assertEquals(NamedGroup.SECP256R1,
                KeyShareHelloRetryRequest.decode(hrr.extension(ExtensionType.KEY_SHARE).orElseThrow().data()).selectedGroup());
        CookieExtension cookie = CookieExtension.decode(hrr.extension(ExtensionType.COOKIE).orElseThrow().data());

        ClientHello second = ClientHello.decode(body(rfc8448("s5.client_hello2")));
        assertEquals(cookie, CookieExtension.decode(second.extension(ExtensionType.COOKIE).orElseThrow().data()));
        assertEquals(65, KeyShareClientHello.decode(second.extension(ExtensionType.KEY_SHARE).orElseThrow().data())
                .shareFor(NamedGroup.SECP256R1).orElseThrow().keyExchange().length);
        assertFalse(ServerHello.decode(body(rfc8448("s5.server_hello"))).isHelloRetryRequest());
    }

    /** Every extension this package has a type for decodes, and its toExtension() gives back the very same bytes. */
    static void everyTypedExtensionReencodesExactly(List<Extension> extensions) {
        for (Extension e : extensions) {
            byte[] data = e.data();
            Extension again = reencode(e.type(), data);
            if (again != null) {
                assertEquals(e, again, e.type().name());
            }
        }
    }

    private static Extension reencode(ExtensionType type, byte[] data) {
        int code = type.code();
        if (code == ExtensionType.SERVER_NAME.code()) {
            return ServerNameExtension.decode(data).toExtension();
        } else if (code == ExtensionType.SUPPORTED_GROUPS.code()) {
            return SupportedGroupsExtension.decode(data).toExtension();
        } else if (code == ExtensionType.EC_POINT_FORMATS.code()) {
            return EcPointFormatsExtension.decode(data).toExtension();
        } else if (code == ExtensionType.SIGNATURE_ALGORITHMS.code()) {
            return SignatureAlgorithmsExtension.decode(data).toExtension();
        } else if (code == ExtensionType.SIGNATURE_ALGORITHMS_CERT.code()) {
            return SignatureAlgorithmsExtension.decode(data).toCertExtension();
        } else if (code == ExtensionType.APPLICATION_LAYER_PROTOCOL_NEGOTIATION.code()) {
            return AlpnExtension.decode(data).toExtension();
        } else if (code == ExtensionType.EXTENDED_MASTER_SECRET.code()) {
            return ExtendedMasterSecretExtension.decode(data).toExtension();
        } else if (code == ExtensionType.SESSION_TICKET.code()) {
            return SessionTicketExtension.decode(data).toExtension();
        } else if (code == ExtensionType.SUPPORTED_VERSIONS.code()) {
            return SupportedVersionsClient.decode(data).toExtension();
        } else if (code == ExtensionType.PSK_KEY_EXCHANGE_MODES.code()) {
            return PskKeyExchangeModesExtension.decode(data).toExtension();
        } else if (code == ExtensionType.KEY_SHARE.code()) {
            return KeyShareClientHello.decode(data).toExtension();
        } else if (code == ExtensionType.RENEGOTIATION_INFO.code()) {
            return RenegotiationInfoExtension.decode(data).toExtension();
        } else if (code == ExtensionType.COOKIE.code()) {
            return CookieExtension.decode(data).toExtension();
        } else if (code == ExtensionType.EARLY_DATA.code()) {
            return EarlyDataExtension.decode(data).toExtension();
        } else if (code == ExtensionType.PRE_SHARED_KEY.code()) {
            return PreSharedKeyClientHello.decode(data).toExtension();
        }
        return null;
    }
}
