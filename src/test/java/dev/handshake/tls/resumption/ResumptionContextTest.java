package dev.handshake.tls.resumption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.testing.TestPki;
import dev.handshake.tls.ClientAuth;
import dev.handshake.tls.Identity;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.CryptoProviders;
import dev.handshake.tls.crypto.Secret;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.wire.ProtocolVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What goes into a configuration's resumption context and what the server refuses with it; the handshakes that rely
 * on it are in {@code ResumptionContextBindingTest}.
 */
class ResumptionContextTest {

    private static final CryptoProvider CRYPTO = CryptoProviders.preferred();

    private static Identity identity(TestPki.Identity identity) {
        return new Identity(identity.key(), identity.chain());
    }

    private static TlsConfig.Builder server() {
        return TlsConfig.server().identity(identity(TestPki.serverEcdsa())).identity(identity(TestPki.serverRsa()))
                .clientAuth(ClientAuth.REQUIRED)
                .trustAnchors(List.of(TestPki.rootCa().leaf(), TestPki.intermediateCa().leaf()));
    }

    private static byte[] id(TlsConfig config) {
        return config.resumptionContext().id(CRYPTO);
    }

    @Test
    void equalConfigurationsBuiltSeparatelyHaveTheSameContextWhateverTheOrderOfCertificates() {
        TlsConfig reordered = TlsConfig.server().identity(identity(TestPki.serverRsa()))
                .identity(identity(TestPki.serverEcdsa())).clientAuth(ClientAuth.REQUIRED)
                .trustAnchors(List.of(TestPki.intermediateCa().leaf(), TestPki.rootCa().leaf())).build();
        assertThat(id(server().build())).hasSize(32).isEqualTo(id(server().build())).isEqualTo(id(reordered));
        assertThat(id(server().ticketLifetimeSeconds(60).recordPadding(
                dev.handshake.tls.record.RecordPadding.toMultipleOf(256)).build()))
                .as("settings that do not change who is authenticated").isEqualTo(id(server().build()));
    }

    @Test
    void eachInputChangesTheContext() {
        byte[] base = id(server().build());
        assertThat(id(server().clientAuth(ClientAuth.OPTIONAL).build())).isNotEqualTo(base);
        assertThat(id(server().trustAnchors(List.of(TestPki.rootCa().leaf())).build())).isNotEqualTo(base);
        assertThat(id(TlsConfig.server().identity(identity(TestPki.serverEcdsa())).clientAuth(ClientAuth.REQUIRED)
                .trustAnchors(List.of(TestPki.rootCa().leaf(), TestPki.intermediateCa().leaf())).build()))
                .isNotEqualTo(base);
        assertThat(id(server().resumptionContextLabel("route a").build())).isNotEqualTo(base)
                .isNotEqualTo(id(server().resumptionContextLabel("route b").build()));
    }

    @Test
    void trustAnchorsDoNotMatterWhenNoClientCertificateIsAskedFor() {
        assertThat(id(server().clientAuth(ClientAuth.NONE).build()))
                .isEqualTo(id(server().clientAuth(ClientAuth.NONE).trustAnchors(List.of()).build()));
    }

    @Test
    void theConfigurationDerivesItsContextAndKeepsOnlyTheCallersLabel() {
        TlsConfig config = server().resumptionContextLabel("relay").build();
        TlsConfig rebuilt = config.toBuilder().clientAuth(ClientAuth.NONE).build();
        assertThat(rebuilt.resumptionContext().label()).isEqualTo("relay");
        assertThat(id(rebuilt)).isNotEqualTo(id(config));
    }

    @Test
    void aServerRequiringACertificateRefusesASessionWithoutOneEvenInItsOwnContext() {
        TlsConfig required = server().build();
        ResumptionContext context = required.resumptionContext();
        assertThat(context.refusal(CRYPTO, ClientAuth.REQUIRED, session(List.of(new byte[] {1}), id(required))))
                .isNull();
        assertThat(context.refusal(CRYPTO, ClientAuth.REQUIRED, session(List.of(), id(required))))
                .contains("no client certificate");
        assertThat(context.refusal(CRYPTO, ClientAuth.REQUIRED, session(List.of(new byte[] {1}), new byte[32])))
                .contains("another resumption context");
    }

    @Test
    void ticketContentsRoundTripWithContextAndChainAndAnOlderFormatDoesNotDecode() {
        TicketContents contents = session(List.of(new byte[] {1, 2}, new byte[] {3}), id(server().build()));
        TicketContents decoded = TicketContents.decode(contents.encode());
        assertThat(decoded.resumptionContext()).isEqualTo(contents.resumptionContext());
        assertThat(decoded.peerCertificates()).containsExactly(new byte[] {1, 2}, new byte[] {3});

        byte[] formatOne = contents.encode();
        formatOne[0] = 1;
        assertThatThrownBy(() -> TicketContents.decode(formatOne)).hasMessageContaining("unknown ticket format");
    }

    private static TicketContents session(List<byte[]> peerCertificates, byte[] context) {
        return new TicketContents(ProtocolVersion.TLS1_3, CipherSuiteId.TLS_AES_128_GCM_SHA256,
                new Secret(new byte[32]), true, 0, 0, 60, "localhost", null, peerCertificates, context);
    }
}
