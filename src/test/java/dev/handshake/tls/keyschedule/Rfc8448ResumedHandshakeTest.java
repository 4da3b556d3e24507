package dev.handshake.tls.keyschedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.tls.ConnectionState;
import dev.handshake.tls.Step;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.TlsEngine;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.message.NewSessionTicket13;
import dev.handshake.tls.message.extension.PskIdentity;
import dev.handshake.tls.record.ProtectionState;
import dev.handshake.tls.record.RecordFramer;
import dev.handshake.tls.record.RecordProtection;
import dev.handshake.tls.record.TlsRecord;
import dev.handshake.tls.resumption.PskStore;
import dev.handshake.tls.resumption.TicketContents;
import dev.handshake.tls.wire.AlertDescription;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.CryptoProviders;
import dev.handshake.tls.crypto.JcaCryptoProvider;
import dev.handshake.tls.crypto.KeyAgreementGroups;
import dev.handshake.tls.crypto.KeyShare;
import dev.handshake.tls.crypto.Secret;
import dev.handshake.tls.keyschedule.Tls13KeySchedule.EarlySecret;
import dev.handshake.tls.keyschedule.Tls13KeySchedule.HandshakeSecret;
import dev.handshake.tls.keyschedule.Tls13KeySchedule.MasterSecret;
import dev.handshake.tls.keyschedule.Tls13KeySchedule.TrafficSecret;
import dev.handshake.tls.message.ClientHello;
import dev.handshake.tls.message.HandshakeFrame;
import dev.handshake.tls.message.ServerHello;
import dev.handshake.tls.message.extension.KeyShareEntry;
import dev.handshake.tls.message.extension.KeyShareServerHello;
import dev.handshake.tls.message.extension.PreSharedKeyClientHello;
import dev.handshake.tls.message.extension.PreSharedKeyServerHello;
import dev.handshake.tls.message.extension.SupportedVersionsServer;
import dev.handshake.tls.record.Rfc8448Trace;
import dev.handshake.tls.suite.CipherSuite;
import dev.handshake.tls.suite.CipherSuites;
import dev.handshake.tls.suite.PrfHash;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.wire.ExtensionType;
import dev.handshake.tls.wire.NamedGroup;
import dev.handshake.tls.wire.ProtocolVersion;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 8448 §4 "Resumed 0-RTT Handshake", byte for byte, for every crypto provider: the PSK key schedule (early secret
 * from the resumption PSK of §3, binder key and binder over Truncate(ClientHello), early traffic and exporter
 * secrets), and the server's side as far as 0-RTT is rejected: its ephemeral x25519 key from fixed randomness, its
 * ServerHello with pre_shared_key, the (EC)DHE secret, the handshake and master secrets and their traffic secrets.
 * Our server accepts no early data, so its EncryptedExtensions would lack the trace's early_data; the trace's
 * Finished and application secrets are then checked over the trace's own transcript. Finally the whole server engine
 * runs on the trace's records ({@link #serverEngineResumesTheTraceClientHelloAndRejectsItsEarlyData}), with the
 * trace's ticket resolved through a {@link PskStore}; its Javadoc says exactly where and why our flight diverges.
 */
class Rfc8448ResumedHandshakeTest {

    private static final Rfc8448Trace TRACE = Rfc8448Trace.resumed0Rtt();
    private static final PrfHash SHA256 = PrfHash.SHA256;
    private static final CipherSuite SUITE = CipherSuites.require(CipherSuiteId.TLS_AES_128_GCM_SHA256);
    /** RFC 8448 §3 line 759: the PSK of the ticket issued in the first handshake. */
    private static final String RESUMPTION_PSK = "4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3";
    /** RFC 8410: PKCS#8 prefix of a raw X25519 private key. */
    private static final byte[] X25519_PKCS8_PREFIX = Bytes.fromHex("302e020100300506032b656e04220420");

    /** Gives out exactly the bytes it was made with, then fails: a test that needs more randomness is wrong. */
    static final class ScriptedRandom extends SecureRandom {
        private final byte[] script;
        private int at;

        ScriptedRandom(byte[]... parts) {
            this.script = Bytes.concat(parts);
        }

        @Override
        public void nextBytes(byte[] out) {
            if (at + out.length > script.length) {
                throw new IllegalStateException("scripted randomness exhausted");
            }
            System.arraycopy(script, at, out, 0, out.length);
            at += out.length;
        }
    }

    static List<JcaCryptoProvider> providers() {
        List<JcaCryptoProvider> providers = new ArrayList<>(List.of(CryptoProviders.preferred(), CryptoProviders.jdk(),
                CryptoProviders.bouncyCastle()));
        CryptoProviders.corretto().ifPresent(providers::add);
        return providers;
    }

    private static byte[] v(String step, String label) {
        return TRACE.value(step, label);
    }

    private static String hex(byte[] b) {
        return Bytes.hex(b);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void reproducesThePskBinderAndEarlySecrets(JcaCryptoProvider provider) {
        CryptoProvider crypto = provider;
        EarlySecret early = EarlySecret.of(crypto, SHA256, new Secret(Bytes.fromHex(RESUMPTION_PSK)));
        assertThat(hex(early.secret().bytes())).isEqualTo(hex(v("{client}  extract secret \"early\":", "secret")));

        byte[] clientHello = v("{client}  send handshake record:", "payload");
        byte[] truncated = PreSharedKeyClientHello.truncateBinders(clientHello);
        assertThat(hex(truncated)).isEqualTo(hex(v("{client}  calculate PSK binder:", "ClientHello prefix")));
        assertThat(hex(Tls13KeySchedule.transcriptHash(crypto, SHA256, truncated)))
                .isEqualTo(hex(v("{client}  calculate PSK binder:", "binder hash")));
        Secret binderKey = early.binderKey(crypto, false);
        assertThat(hex(binderKey.bytes())).isEqualTo(hex(v("{client}  calculate PSK binder:", "PRK")));
        byte[] binder = Tls13KeySchedule.binder(crypto, SHA256, binderKey, truncated);
        assertThat(hex(binder)).isEqualTo(hex(v("{client}  calculate PSK binder:", "finished")));
        // and it is the binder the ClientHello carries, which is what our server compares in constant time
        PreSharedKeyClientHello offered = PreSharedKeyClientHello.decode(ClientHello.decode(
                HandshakeFrame.parse(clientHello).body()).extension(ExtensionType.PRE_SHARED_KEY).orElseThrow().data());
        assertThat(hex(offered.binders().get(0))).isEqualTo(hex(binder));

        byte[] helloHash = Tls13KeySchedule.transcriptHash(crypto, SHA256, clientHello);
        TrafficSecret clientEarly = early.clientEarlyTrafficSecret(crypto, helloHash);
        assertThat(hex(clientEarly.secret().bytes()))
                .isEqualTo(hex(v("{client}  derive secret \"tls13 c e traffic\":", "expanded")));
        assertThat(hex(early.earlyExporterMasterSecret(crypto, helloHash).bytes()))
                .isEqualTo(hex(v("{client}  derive secret \"tls13 e exp master\":", "expanded")));
        String earlyKeys = "{client}  derive write traffic keys for early application data:";
        assertThat(hex(clientEarly.key(crypto, SUITE).bytes())).isEqualTo(hex(v(earlyKeys, "key expanded")));
        assertThat(hex(clientEarly.iv(crypto))).isEqualTo(hex(v(earlyKeys, "iv expanded")));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void reproducesTheServerSideUntilEarlyDataIsRejected(JcaCryptoProvider provider) {
        byte[] serverPrivate = v("{server}  create an ephemeral x25519 key pair:", "private key");
        byte[] serverRandom = Arrays.copyOfRange(v("{server}  construct a ServerHello handshake message:",
                "ServerHello"), 6, 38);
        // fixed randomness, as the server engine draws it: the x25519 private key (Corretto does not serve x25519,
        // so the injected SecureRandom reaches the provider that does)
        CryptoProvider crypto = provider.with(() -> new ScriptedRandom(serverPrivate), Clock.systemUTC());
        KeyShare share = KeyAgreementGroups.generate(crypto, NamedGroup.X25519);
        assertThat(hex(share.publicKey())).isEqualTo(hex(v("{server}  create an ephemeral x25519 key pair:", "public key")));

        byte[] clientHello = v("{client}  send handshake record:", "payload");
        ServerHello serverHello = new ServerHello(ProtocolVersion.TLS1_2, serverRandom, Bytes.EMPTY,
                CipherSuiteId.TLS_AES_128_GCM_SHA256, 0, List.of(new PreSharedKeyServerHello(0).toExtension(),
                new KeyShareServerHello(new KeyShareEntry(NamedGroup.X25519, share.publicKey())).toExtension(),
                new SupportedVersionsServer(ProtocolVersion.TLS1_3).toExtension()));
        byte[] serverHelloBytes = serverHello.encode();
        assertThat(hex(serverHelloBytes)).isEqualTo(hex(v("{server}  construct a ServerHello handshake message:",
                "ServerHello")));

        byte[] clientPublic = v("{client}  create an ephemeral x25519 key pair:", "public key");
        Secret shared = KeyAgreementGroups.agree(crypto, NamedGroup.X25519, share.privateKey(), clientPublic);
        assertThat(hex(shared.bytes())).isEqualTo(hex(v("{server}  extract secret \"handshake\":", "IKM")));
        Secret fromPkcs8 = KeyAgreementGroups.agree(crypto, NamedGroup.X25519,
                new Secret(Bytes.concat(X25519_PKCS8_PREFIX, serverPrivate)), clientPublic);
        assertThat(fromPkcs8).isEqualTo(shared);

        EarlySecret early = EarlySecret.of(crypto, SHA256, new Secret(Bytes.fromHex(RESUMPTION_PSK)));
        HandshakeSecret handshake = early.handshakeSecret(crypto, shared);
        assertThat(hex(handshake.secret().bytes())).isEqualTo(hex(v("{server}  extract secret \"handshake\":", "secret")));
        byte[] helloHash = Tls13KeySchedule.transcriptHash(crypto, SHA256, Bytes.concat(clientHello, serverHelloBytes));
        TrafficSecret clientHs = handshake.clientHandshakeTrafficSecret(crypto, helloHash);
        TrafficSecret serverHs = handshake.serverHandshakeTrafficSecret(crypto, helloHash);
        assertThat(hex(clientHs.secret().bytes()))
                .isEqualTo(hex(v("{server}  derive secret \"tls13 c hs traffic\":", "expanded")));
        assertThat(hex(serverHs.secret().bytes()))
                .isEqualTo(hex(v("{server}  derive secret \"tls13 s hs traffic\":", "expanded")));
        String hsKeys = "{server}  derive write traffic keys for handshake data:";
        assertThat(hex(serverHs.key(crypto, SUITE).bytes())).isEqualTo(hex(v(hsKeys, "key expanded")));
        assertThat(hex(serverHs.iv(crypto))).isEqualTo(hex(v(hsKeys, "iv expanded")));
        MasterSecret master = handshake.masterSecret(crypto);
        assertThat(hex(master.secret().bytes())).isEqualTo(hex(v("{server}  extract secret \"master\":", "secret")));

        // from here the trace's server accepted 0-RTT (early_data in EncryptedExtensions); ours would not, so the
        // rest is checked over the trace's own transcript
        byte[] encryptedExtensions = v("{server}  construct an EncryptedExtensions handshake message:",
                "EncryptedExtensions");
        byte[] finished = v("{server}  construct a Finished handshake message:", "Finished");
        byte[] verifyData = serverHs.finishedVerifyData(crypto, Tls13KeySchedule.transcriptHash(crypto, SHA256,
                Bytes.concat(clientHello, serverHelloBytes, encryptedExtensions)));
        assertThat(hex(verifyData)).isEqualTo(hex(Arrays.copyOfRange(finished, 4, finished.length)));
        byte[] finishedHash = Tls13KeySchedule.transcriptHash(crypto, SHA256,
                Bytes.concat(clientHello, serverHelloBytes, encryptedExtensions, finished));
        assertThat(hex(master.clientApplicationTrafficSecret(crypto, finishedHash).secret().bytes()))
                .isEqualTo(hex(v("{server}  derive secret \"tls13 c ap traffic\":", "expanded")));
        assertThat(hex(master.serverApplicationTrafficSecret(crypto, finishedHash).secret().bytes()))
                .isEqualTo(hex(v("{server}  derive secret \"tls13 s ap traffic\":", "expanded")));
        assertThat(hex(master.exporterMasterSecret(crypto, finishedHash).bytes()))
                .isEqualTo(hex(v("{server}  derive secret \"tls13 exp master\":", "expanded")));
    }

    /**
     * RFC 8448 §4 through our server engine, fed the trace's own records: the ClientHello (with the §3 ticket in
     * pre_shared_key, a binder, and early_data), the 0-RTT application data, EndOfEarlyData and the client's Finished.
     * The ticket was issued by the trace's §3 server, so a {@link PskStore} resolves it to what that server sealed
     * in it: the §3 resumption PSK, TLS_AES_128_GCM_SHA256, the §3 NewSessionTicket's ticket_age_add and lifetime,
     * and the server name; the trace has no clock, so the issue time is set to make the ticket exactly as old as the
     * client's obfuscated_ticket_age says. The server's randomness is the trace's (its x25519 private key, then its
     * random).
     *
     * <p>Byte for byte: the ServerHello record; the early, binder, handshake and master secrets, the (EC)DHE secret and
     * both handshake traffic secrets; the server handshake key and iv (our encrypted flight opens with the trace's).
     * <b>Where it diverges, and why:</b> at EncryptedExtensions. The trace's server sends supported_groups,
     * record_size_limit (RFC 8449), server_name and early_data (it accepts 0-RTT); ours sends only the server_name
     * acknowledgement: we never accept early data (RFC 8446 §4.2.10), implement no record_size_limit, and do not echo
     * supported_groups (a "MAY" of §4.2.7). From EncryptedExtensions on the transcript differs, so our Finished, the
     * application traffic secrets and the exporter secret differ from the trace's (they are checked against the key
     * schedule over our own transcript instead). The trace's 0-RTT record and EndOfEarlyData are under early keys we
     * never derive, so they are skipped; the trace's client Finished opens under the client handshake key (the same as
     * ours) but covers the trace's EncryptedExtensions and EndOfEarlyData, so it fails with decrypt_error: that is
     * where the trace ends for a server that rejects 0-RTT.
     */
    @ParameterizedTest
    @MethodSource("providers")
    void serverEngineResumesTheTraceClientHelloAndRejectsItsEarlyData(JcaCryptoProvider provider) {
        byte[] clientHello = v("{client}  send handshake record:", "payload");
        PskIdentity offered = PreSharedKeyClientHello.decode(ClientHello.decode(HandshakeFrame.parse(clientHello).body())
                .extension(ExtensionType.PRE_SHARED_KEY).orElseThrow().data()).identities().get(0);
        NewSessionTicket13 issued = NewSessionTicket13.decode(HandshakeFrame.parse(Rfc8448Trace.simple1Rtt()
                .value("{server}  construct a NewSessionTicket handshake message:", "NewSessionTicket")).body());
        assertThat(offered.identity()).isEqualTo(issued.ticket());
        Instant now = Instant.parse("2016-07-30T01:23:59Z");
        long claimedAgeMillis = (offered.obfuscatedTicketAge() - issued.ageAdd()) & 0xffffffffL;
        // the trace's server issued the ticket in this very configuration, so the ticket names its resumption context
        TlsConfig traceServer = TlsConfig.server().cipherSuites(List.of(CipherSuiteId.TLS_AES_128_GCM_SHA256))
                .groups(List.of(NamedGroup.X25519)).revealSecrets(true).build();
        TicketContents sealedInTheTicket = new TicketContents(ProtocolVersion.TLS1_3, CipherSuiteId.TLS_AES_128_GCM_SHA256,
                new Secret(Bytes.fromHex(RESUMPTION_PSK)), true, now.toEpochMilli() - claimedAgeMillis, issued.ageAdd(),
                issued.lifetimeSeconds(), "server", null, List.of(),
                traceServer.resumptionContext().id(provider));
        PskStore traceServerTickets = (crypto, identity) -> Arrays.equals(identity, issued.ticket())
                ? Optional.of(sealedInTheTicket) : Optional.empty();

        byte[] serverPrivate = v("{server}  create an ephemeral x25519 key pair:", "private key");
        byte[] serverRandom = Arrays.copyOfRange(v("{server}  construct a ServerHello handshake message:",
                "ServerHello"), 6, 38);
        ScriptedRandom random = new ScriptedRandom(serverPrivate, serverRandom);
        CryptoProvider crypto = provider.with(() -> random, Clock.fixed(now, ZoneOffset.UTC));
        // no certificate: if the PSK were not accepted the handshake would fail rather than quietly go full
        TlsEngine server = new TlsEngine(traceServer.toBuilder().pskStore(traceServerTickets).build(), crypto);

        Step flight = server.advance(server.start().state(), v("{client}  send handshake record:", "complete record"));
        assertThat(flight.state().isFailed()).as("%s", flight.state().failure()).isFalse();
        byte[] serverHelloRecord = v("{server}  send handshake record:", "complete record");
        assertThat(hex(Arrays.copyOf(flight.outbound(), serverHelloRecord.length))).isEqualTo(hex(serverHelloRecord));

        Map<String, Secret> secrets = new HashMap<>();
        flight.events().stream().filter(HandshakeEvent.SecretDerived.class::isInstance)
                .map(HandshakeEvent.SecretDerived.class::cast).forEach(e -> secrets.put(e.name(), e.value()));
        assertThat(hex(secrets.get("early_secret").bytes())).isEqualTo(hex(v("{client}  extract secret \"early\":", "secret")));
        assertThat(hex(secrets.get("binder_key").bytes())).isEqualTo(hex(v("{client}  calculate PSK binder:", "PRK")));
        assertThat(hex(secrets.get("ecdhe_shared_secret").bytes()))
                .isEqualTo(hex(v("{server}  extract secret \"handshake\":", "IKM")));
        assertThat(hex(secrets.get("handshake_secret").bytes()))
                .isEqualTo(hex(v("{server}  extract secret \"handshake\":", "secret")));
        assertThat(hex(secrets.get("client_handshake_traffic_secret").bytes()))
                .isEqualTo(hex(v("{server}  derive secret \"tls13 c hs traffic\":", "expanded")));
        assertThat(hex(secrets.get("server_handshake_traffic_secret").bytes()))
                .isEqualTo(hex(v("{server}  derive secret \"tls13 s hs traffic\":", "expanded")));
        assertThat(hex(secrets.get("master_secret").bytes())).isEqualTo(hex(v("{server}  extract secret \"master\":", "secret")));

        // the encrypted flight opens with the trace's server handshake key and iv
        List<TlsRecord> records = RecordFramer.split(flight.outbound(), true).records();
        assertThat(records).hasSize(2);
        String hsKeys = "{server}  derive write traffic keys for handshake data:";
        byte[] encrypted = RecordProtection.open(crypto, ProtectionState.tls13(SUITE, new Secret(v(hsKeys, "key expanded")),
                v(hsKeys, "iv expanded")), records.get(1)).plaintext();
        // EncryptedExtensions with the server_name acknowledgement only: no early_data, the divergence point
        byte[] encryptedExtensions = Bytes.fromHex("08000006" + "0004" + "00000000");
        assertThat(hex(Arrays.copyOf(encrypted, encryptedExtensions.length))).isEqualTo(hex(encryptedExtensions));
        byte[] serverHello = Arrays.copyOfRange(serverHelloRecord, 5, serverHelloRecord.length);
        TrafficSecret serverHandshake = new TrafficSecret(SHA256,
                new Secret(v("{server}  derive secret \"tls13 s hs traffic\":", "expanded")));
        byte[] finished = Bytes.concat(Bytes.fromHex("14000020"), serverHandshake.finishedVerifyData(crypto,
                Tls13KeySchedule.transcriptHash(crypto, SHA256, Bytes.concat(clientHello, serverHello, encryptedExtensions))));
        assertThat(hex(Arrays.copyOfRange(encrypted, encryptedExtensions.length, encrypted.length))).isEqualTo(hex(finished));
        MasterSecret master = new MasterSecret(SHA256, new Secret(v("{server}  extract secret \"master\":", "secret")));
        byte[] ourFinishedHash = Tls13KeySchedule.transcriptHash(crypto, SHA256,
                Bytes.concat(clientHello, serverHello, encryptedExtensions, finished));
        assertThat(hex(secrets.get("server_application_traffic_secret_0").bytes()))
                .isEqualTo(hex(master.serverApplicationTrafficSecret(crypto, ourFinishedHash).secret().bytes()))
                .isNotEqualTo(hex(v("{server}  derive secret \"tls13 s ap traffic\":", "expanded")));

        // the trace's 0-RTT data and EndOfEarlyData are under early keys we never derived: skipped, not fatal
        ConnectionState afterFlight = ConnectionState.fromBytes(flight.state().toBytes());
        Step skipped = server.advance(afterFlight, Bytes.concat(v("{client}  send application_data record:", "complete record"),
                TRACE.valueAfter("{client}  construct an EndOfEarlyData handshake message:", "{client}  send handshake record:",
                        "complete record")));
        assertThat(skipped.state().isFailed()).isFalse();
        assertThat(skipped.outbound()).isEmpty();
        assertThat(skipped.applicationData()).isEmpty();
        assertThat(skipped.events()).filteredOn(HandshakeEvent.ValueComputed.class::isInstance)
                .map(e -> ((HandshakeEvent.ValueComputed) e).name()).containsExactly("early_data_skipped", "early_data_skipped");

        // the client's Finished decrypts under the shared client handshake key but covers the trace's transcript
        Step end = server.advance(ConnectionState.fromBytes(skipped.state().toBytes()), TRACE.valueAfter(
                "{client}  construct a Finished handshake message:", "{client}  send handshake record:", "complete record"));
        assertThat(end.events()).filteredOn(HandshakeEvent.AlertSent.class::isInstance)
                .map(e -> ((HandshakeEvent.AlertSent) e).description()).containsExactly(AlertDescription.DECRYPT_ERROR);
        assertThat(end.state().failure().reason()).contains("Finished");
    }
}
