package dev.handshake.tls.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.record.RecordFramer;
import dev.handshake.tls.record.RecordPadding;
import dev.handshake.tls.record.TlsRecord;
import dev.handshake.tls.wire.ContentType;
import dev.handshake.tls.wire.ProtocolVersion;
import dev.handshake.testing.TestPki;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sending TLS 1.3 record padding (RFC 8446 §5.4), at the byte level: every record our engine protects under TLS 1.3
 * keys has the length the configured {@link RecordPadding} gives it (AEAD tag 16 bytes, TLSInnerPlaintext = content,
 * type byte, zeros), never more than 2^14 + 1 bytes of TLSInnerPlaintext; the peer strips the padding. Interop with
 * padded records is in {@link Tls13JdkInteropTest} and {@link Tls13OpenSslInteropTest}.
 */
class Tls13RecordPaddingTest {

    private static final int TAG = 16;

    private static TlsConfig.Builder server() {
        return TlsConfig.server().identity(EngineEndpoint.identity(TestPki.serverRsa()));
    }

    private static TlsConfig.Builder client() {
        return TlsConfig.client().serverName("localhost").trustAnchors(List.of(TestPki.rootCa().leaf()))
                .versions(ProtocolVersion.TLS1_3, ProtocolVersion.TLS1_3);
    }

    /** The records each side sent while the two talked until quiet, {@code first} speaking first. */
    private record Flights(List<TlsRecord> fromFirst, List<TlsRecord> fromSecond) {
    }

    private static Flights exchange(EngineEndpoint first, EngineEndpoint second) {
        Flights flights = new Flights(new ArrayList<>(), new ArrayList<>());
        for (int round = 0; round < 16; round++) {
            byte[] out = first.takeOutput();
            flights.fromFirst().addAll(RecordFramer.split(out, true).records());
            second.receive(out);
            byte[] back = second.takeOutput();
            flights.fromSecond().addAll(RecordFramer.split(back, true).records());
            first.receive(back);
            if (out.length == 0 && back.length == 0) {
                return flights;
            }
        }
        throw new AssertionError("did not go quiet");
    }

    private static List<Integer> protectedLengths(List<TlsRecord> records) {
        // after ServerHello every TLS 1.3 record is application_data outside; CCS and ServerHello are never protected
        return records.stream().filter(r -> r.type().equals(ContentType.APPLICATION_DATA))
                .map(r -> r.fragment().length).toList();
    }

    @Test
    void serverPadsEveryProtectedRecordToAMultipleOfTheBlock() {
        EngineEndpoint server = new EngineEndpoint(server().recordPadding(RecordPadding.toMultipleOf(256)).build());
        EngineEndpoint client = new EngineEndpoint(client().build());
        List<TlsRecord> fromServer = new ArrayList<>(exchange(client, server).fromSecond());
        assertThat(client.state().isEstablished()).isTrue();

        server.send(new byte[] {1, 2, 3});
        server.send(new byte[1000]);
        fromServer.addAll(exchange(server, client).fromFirst());

        List<Integer> lengths = protectedLengths(fromServer);
        assertThat(lengths).isNotEmpty().allSatisfy(length -> assertThat((length - TAG) % 256).isZero());
        // 3 bytes of data plus the type byte fill one block; 1000 plus the type byte need four
        assertThat(lengths).contains(256 + TAG, 1024 + TAG);
        assertThat(client.receivedData()).hasSize(1003);
    }

    @Test
    void clientAddsTheFixedPaddingToEveryProtectedRecord() {
        EngineEndpoint server = new EngineEndpoint(server().build());
        EngineEndpoint client = new EngineEndpoint(client().recordPadding(RecordPadding.fixed(100)).build());
        List<TlsRecord> fromClient = new ArrayList<>(exchange(client, server).fromFirst());
        assertThat(server.state().isEstablished()).isTrue();
        client.send("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        fromClient.addAll(exchange(client, server).fromFirst());

        // Finished (4-byte header + 32-byte SHA-256 MAC) and "hello", each with type byte, 100 zeros and the tag
        assertThat(protectedLengths(fromClient)).containsExactly(36 + 1 + 100 + TAG, 5 + 1 + 100 + TAG);
        assertThat(server.receivedData()).asString().isEqualTo("hello");
    }

    @Test
    void paddingStopsAtTheLargestInnerPlaintextAndTheRecordsStillOpen() {
        EngineEndpoint server = new EngineEndpoint(server().recordPadding(RecordPadding.fixed(16384)).build());
        EngineEndpoint client = new EngineEndpoint(client().recordPadding(RecordPadding.toMultipleOf(4096)).build());
        exchange(client, server);
        byte[] full = new byte[TlsRecord.MAX_PLAINTEXT_LENGTH];
        Arrays.fill(full, (byte) 7);
        server.send(full);
        server.send(new byte[16300]);
        List<Integer> fromServer = protectedLengths(exchange(server, client).fromFirst());
        // RFC 8446 §5.2: TLSInnerPlaintext is at most 2^14 + 1 bytes: the padding shrinks to fit, down to none
        assertThat(fromServer).containsExactly(TlsRecord.MAX_PLAINTEXT_LENGTH + 1 + TAG, TlsRecord.MAX_PLAINTEXT_LENGTH + 1 + TAG);
        assertThat(client.receivedData()).hasSize(full.length + 16300);

        client.send(new byte[16300]);
        List<Integer> fromClient = protectedLengths(exchange(client, server).fromFirst());
        // 16300 + type byte rounds up to 16384 (a multiple of 4096) and fits under the limit
        assertThat(fromClient).containsExactly(16384 + TAG);
        assertThat(server.receivedData()).hasSize(16300);
    }

    @Test
    void tls12RecordsAreNeverPadded() {
        EngineEndpoint server = new EngineEndpoint(server().recordPadding(RecordPadding.toMultipleOf(256)).build());
        EngineEndpoint client = new EngineEndpoint(TlsConfig.client().serverName("localhost")
                .trustAnchors(List.of(TestPki.rootCa().leaf())).versions(ProtocolVersion.TLS1_2, ProtocolVersion.TLS1_2)
                .build());
        exchange(client, server);
        assertThat(server.state().session().version()).isEqualTo(ProtocolVersion.TLS1_2);
        server.send(new byte[3]);
        // AES-128-GCM in TLS 1.2: 8-byte explicit nonce, 3 bytes, 16-byte tag
        assertThat(protectedLengths(exchange(server, client).fromFirst())).containsExactly(8 + 3 + TAG);
    }

    @Test
    void policyArithmetic() {
        assertThat(RecordPadding.none().paddingFor(100)).isZero();
        assertThat(RecordPadding.toMultipleOf(256).paddingFor(255)).isZero();
        assertThat(RecordPadding.toMultipleOf(256).paddingFor(256)).isEqualTo(255);
        assertThat(RecordPadding.fixed(10).paddingFor(TlsRecord.MAX_PLAINTEXT_LENGTH - 4)).isEqualTo(4);
        assertThatThrownBy(() -> new RecordPadding(256, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordPadding.fixed(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
