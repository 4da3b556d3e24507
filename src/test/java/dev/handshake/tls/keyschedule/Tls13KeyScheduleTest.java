package dev.handshake.tls.keyschedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.tls.codec.Bytes;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.CryptoProviders;
import dev.handshake.tls.crypto.Secret;
import dev.handshake.tls.keyschedule.Tls13KeySchedule.EarlySecret;
import dev.handshake.tls.keyschedule.Tls13KeySchedule.HandshakeSecret;
import dev.handshake.tls.keyschedule.Tls13KeySchedule.MasterSecret;
import dev.handshake.tls.keyschedule.Tls13KeySchedule.TrafficSecret;
import dev.handshake.tls.record.ProtectionState;
import dev.handshake.tls.state.StateCodec;
import dev.handshake.tls.suite.CipherSuite;
import dev.handshake.tls.suite.CipherSuites;
import dev.handshake.tls.suite.PrfHash;
import dev.handshake.tls.wire.CipherSuiteId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The TLS 1.3 key schedule against RFC 8448 §3 "Simple 1-RTT Handshake" (values pasted from
 * {@code shared/rfc/rfc8448.txt}, each with its line number there) and HKDF against RFC 5869 Appendix A, for every
 * crypto provider the engine can use. The transcript hashes are computed from the trace's own messages, so the
 * transcript is checked too.
 */
class Tls13KeyScheduleTest {

    static List<CryptoProvider> providers() {
        List<CryptoProvider> providers = new ArrayList<>(List.of(CryptoProviders.preferred(), CryptoProviders.jdk(),
                CryptoProviders.bouncyCastle()));
        CryptoProviders.corretto().ifPresent(providers::add);
        return providers;
    }

    /** RFC 8448 line 190. */
    private static final String CLIENT_HELLO = "010000c00303cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef"
            + "6283024dece7000006130113031302010000910000000b000900000673657276"
            + "6572ff01000100000a00140012001d0017001800190100010101020103010400"
            + "230000003300260024001d002099381de560e4bd43d23d8e435a7dbafeb3c06e"
            + "51c13cae4d5413691e529aaf2c002b0003020304000d0020001e040305030603"
            + "020308040805080604010501060102010402050206020202002d00020101001c"
            + "00024001";
    /** RFC 8448 line 241. */
    private static final String SERVER_HELLO = "020000560303a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155"
            + "772ed3e2692800130100002e00330024001d0020c9828876112095fe66762bdb"
            + "f7c672e156d6cc253b833df1dd69b1b04e751f0f002b00020304";
    /** RFC 8448 line 457. */
    private static final String SERVER_FLIGHT = "080000240022000a00140012001d00170018001901000101010201030104001c"
            + "00024001000000000b0001b9000001b50001b0308201ac30820115a003020102"
            + "020102300d06092a864886f70d01010b0500300e310c300a0603550403130372"
            + "7361301e170d3136303733303031323335395a170d3236303733303031323335"
            + "395a300e310c300a0603550403130372736130819f300d06092a864886f70d01"
            + "0101050003818d0030818902818100b4bb498f8279303d980836399b36c6988c"
            + "0c68de55e1bdb826d3901a2461eafd2de49a91d015abbc9a95137ace6c1af19e"
            + "aa6af98c7ced43120998e187a80ee0ccb0524b1b018c3e0b63264d449a6d38e2"
            + "2a5fda430846748030530ef0461c8ca9d9efbfae8ea6d1d03e2bd193eff0ab9a"
            + "8002c47428a6d35a8d88d79f7f1e3f0203010001a31a301830090603551d1304"
            + "023000300b0603551d0f0404030205a0300d06092a864886f70d01010b050003"
            + "81810085aad2a0e5b9276b908c65f73a7267170618a54c5f8a7b337d2df7a594"
            + "365417f2eae8f8a58c8f8172f9319cf36b7fd6c55b80f21a03015156726096fd"
            + "335e5e67f2dbf102702e608ccae6bec1fc63a42a99be5c3eb7107c3c54e9b9eb"
            + "2bd5203b1c3b84e0a8b2f759409ba3eac9d91d402dcc0cc8f8961229ac9187b4"
            + "2b4de100000f000084080400805a747c5d88fa9bd2e55ab085a61015b7211f82"
            + "4cd484145ab3ff52f1fda8477b0b7abc90db78e2d33a5c141a078653fa6bef78"
            + "0c5ea248eeaaa785c4f394cab6d30bbe8d4859ee511f602957b15411ac027671"
            + "459e46445c9ea58c181e818e95b8c3fb0bf3278409d3be152a3da5043e063dda"
            + "65cdf5aea20d53dfacd42f74f3140000209b9b141d906337fbd2cbdce71df4de"
            + "da4ab42c309572cb7fffee5454b78f0718";
    /** RFC 8448 line 692. */
    private static final String CLIENT_FINISHED = "14000020a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2"
            + "edd5ce61";
    /** RFC 8448 line 267. */
    private static final String SHARED_SECRET = "8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d";
    /** RFC 8448 line 219. */
    private static final String EARLY_SECRET = "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a";
    /** RFC 8448 line 287. */
    private static final String HELLO_HASH = "860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8";
    /** RFC 8448 line 270. */
    private static final String HANDSHAKE_SECRET = "1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac";
    /** RFC 8448 line 294. */
    private static final String C_HS_TRAFFIC = "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21";
    /** RFC 8448 line 309. */
    private static final String S_HS_TRAFFIC = "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38";
    /** RFC 8448 line 343. */
    private static final String MASTER_SECRET = "18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919";
    /** RFC 8448 line 367. */
    private static final String S_HS_KEY = "3fce516009c21727d0f2e4e86ee403bc";
    /** RFC 8448 line 372. */
    private static final String S_HS_IV = "5d313eb2671276ee13000b30";
    /** RFC 8448 line 433. */
    private static final String S_FINISHED_KEY = "008d3b66f816ea559f96b537e885c31fc068bf492c652f01f288a1d8cdc19fc8";
    /** RFC 8448 line 436. */
    private static final String S_FINISHED = "9b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718";
    /** RFC 8448 line 537. */
    private static final String FINISHED_HASH = "9608102a0f1ccc6db6250b7b7e417b1a000eaada3daae4777a7686c9ff83df13";
    /** RFC 8448 line 544. */
    private static final String C_AP_TRAFFIC = "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5";
    /** RFC 8448 line 567. */
    private static final String S_AP_TRAFFIC = "a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643";
    /** RFC 8448 line 582. */
    private static final String EXP_MASTER = "fe22f881176eda18eb8f44529e6792c50c9a3f89452f68d8ae311b4309d3cf50";
    /** RFC 8448 line 592. */
    private static final String S_AP_KEY = "9f02283b6c9c07efc26bb9f2ac92e356";
    /** RFC 8448 line 597. */
    private static final String S_AP_IV = "cf782b88dd83549aadf1e984";
    /** RFC 8448 line 606. */
    private static final String C_HS_KEY = "dbfaa693d1762c5b666af5d950258d01";
    /** RFC 8448 line 611. */
    private static final String C_HS_IV = "5bd3c71b836e0b76bb73265f";
    /** RFC 8448 line 684. */
    private static final String C_FINISHED_KEY = "b80ad01015fb2f0bd65ff7d4da5d6bf83f84821d1f87fdc7d3c75b5a7b42d9c4";
    /** RFC 8448 line 687. */
    private static final String C_FINISHED = "a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61";
    /** RFC 8448 line 713. */
    private static final String C_AP_KEY = "17422dda596ed5d9acd890e3c63f5051";
    /** RFC 8448 line 718. */
    private static final String C_AP_IV = "5b78923dee08579033e523d9";
    /** RFC 8448 line 725. */
    private static final String RES_HASH = "209145a96ee8e2a122ff810047cc952684658d6049e86429426db87c54ad143d";
    /** RFC 8448 line 739. */
    private static final String RES_MASTER = "7df235f2031d2a051287d02b0241b0bfdaf86cc856231f2d5aba46c434ec196c";
    /** RFC 8448 line 759. */
    private static final String RESUMPTION_PSK = "4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3";

    private static final CipherSuite SUITE = CipherSuites.require(CipherSuiteId.TLS_AES_128_GCM_SHA256);
    private static final PrfHash SHA256 = PrfHash.SHA256;

    @ParameterizedTest
    @MethodSource("providers")
    void reproducesTheSimple1RttKeySchedule(CryptoProvider crypto) {
        byte[] helloHash = Tls13KeySchedule.transcriptHash(crypto, SHA256, hex(CLIENT_HELLO + SERVER_HELLO));
        assertThat(Bytes.hex(helloHash)).isEqualTo(HELLO_HASH);

        EarlySecret early = EarlySecret.of(crypto, SHA256, null);
        assertThat(Bytes.hex(early.secret().bytes())).isEqualTo(EARLY_SECRET);

        HandshakeSecret handshake = early.handshakeSecret(crypto, new Secret(hex(SHARED_SECRET)));
        assertThat(Bytes.hex(handshake.secret().bytes())).isEqualTo(HANDSHAKE_SECRET);
        TrafficSecret clientHs = handshake.clientHandshakeTrafficSecret(crypto, helloHash);
        TrafficSecret serverHs = handshake.serverHandshakeTrafficSecret(crypto, helloHash);
        assertThat(Bytes.hex(clientHs.secret().bytes())).isEqualTo(C_HS_TRAFFIC);
        assertThat(Bytes.hex(serverHs.secret().bytes())).isEqualTo(S_HS_TRAFFIC);
        assertThat(Bytes.hex(serverHs.key(crypto, SUITE).bytes())).isEqualTo(S_HS_KEY);
        assertThat(Bytes.hex(serverHs.iv(crypto))).isEqualTo(S_HS_IV);
        assertThat(Bytes.hex(clientHs.key(crypto, SUITE).bytes())).isEqualTo(C_HS_KEY);
        assertThat(Bytes.hex(clientHs.iv(crypto))).isEqualTo(C_HS_IV);

        // server Finished covers ClientHello..CertificateVerify: the flight without its last message (36 octets)
        byte[] serverFlight = hex(SERVER_FLIGHT);
        byte[] beforeServerFinished = Bytes.concat(hex(CLIENT_HELLO + SERVER_HELLO),
                java.util.Arrays.copyOf(serverFlight, serverFlight.length - 36));
        assertThat(Bytes.hex(serverHs.finishedKey(crypto).bytes())).isEqualTo(S_FINISHED_KEY);
        assertThat(Bytes.hex(serverHs.finishedVerifyData(crypto,
                Tls13KeySchedule.transcriptHash(crypto, SHA256, beforeServerFinished)))).isEqualTo(S_FINISHED);

        MasterSecret master = handshake.masterSecret(crypto);
        assertThat(Bytes.hex(master.secret().bytes())).isEqualTo(MASTER_SECRET);
        byte[] finishedHash = Tls13KeySchedule.transcriptHash(crypto, SHA256,
                hex(CLIENT_HELLO + SERVER_HELLO + SERVER_FLIGHT));
        assertThat(Bytes.hex(finishedHash)).isEqualTo(FINISHED_HASH);
        assertThat(Bytes.hex(clientHs.finishedKey(crypto).bytes())).isEqualTo(C_FINISHED_KEY);
        assertThat(Bytes.hex(clientHs.finishedVerifyData(crypto, finishedHash))).isEqualTo(C_FINISHED);

        TrafficSecret clientAp = master.clientApplicationTrafficSecret(crypto, finishedHash);
        TrafficSecret serverAp = master.serverApplicationTrafficSecret(crypto, finishedHash);
        assertThat(Bytes.hex(clientAp.secret().bytes())).isEqualTo(C_AP_TRAFFIC);
        assertThat(Bytes.hex(serverAp.secret().bytes())).isEqualTo(S_AP_TRAFFIC);
        assertThat(Bytes.hex(master.exporterMasterSecret(crypto, finishedHash).bytes())).isEqualTo(EXP_MASTER);
        assertThat(Bytes.hex(serverAp.key(crypto, SUITE).bytes())).isEqualTo(S_AP_KEY);
        assertThat(Bytes.hex(serverAp.iv(crypto))).isEqualTo(S_AP_IV);
        ProtectionState clientWrite = clientAp.protection(crypto, SUITE);
        assertThat(Bytes.hex(clientWrite.key().bytes())).isEqualTo(C_AP_KEY);
        assertThat(Bytes.hex(clientWrite.fixedIv())).isEqualTo(C_AP_IV);

        byte[] resumptionHash = Tls13KeySchedule.transcriptHash(crypto, SHA256,
                hex(CLIENT_HELLO + SERVER_HELLO + SERVER_FLIGHT + CLIENT_FINISHED));
        assertThat(Bytes.hex(resumptionHash)).isEqualTo(RES_HASH);
        Secret resumptionMaster = master.resumptionMasterSecret(crypto, resumptionHash);
        assertThat(Bytes.hex(resumptionMaster.bytes())).isEqualTo(RES_MASTER);
        // RFC 8448 line 754: the ticket nonce is 00 00
        assertThat(Bytes.hex(Tls13KeySchedule.resumptionPsk(crypto, SHA256, resumptionMaster, new byte[2]).bytes()))
                .isEqualTo(RESUMPTION_PSK);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void keyUpdateChangesTheSecretAndItsKeys(CryptoProvider crypto) {
        TrafficSecret secret = new TrafficSecret(SHA256, new Secret(hex(C_AP_TRAFFIC)));
        TrafficSecret next = secret.next(crypto);
        // RFC 8446 §7.2: application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd", "", Hash.length)
        assertThat(next.secret().bytes()).isEqualTo(Tls13KeySchedule.hkdfExpand(crypto, SHA256, hex(C_AP_TRAFFIC),
                Bytes.fromHex("002011746c73313320747261666669632075706400"), 32));
        assertThat(next.key(crypto, SUITE)).isNotEqualTo(secret.key(crypto, SUITE));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void stagesSurviveTheStateCodec(CryptoProvider crypto) {
        MasterSecret master = EarlySecret.of(crypto, SHA256, null)
                .handshakeSecret(crypto, new Secret(hex(SHARED_SECRET))).masterSecret(crypto);
        Holder holder = new Holder(master, master.clientApplicationTrafficSecret(crypto, new byte[32]));
        assertThat(StateCodec.decode(StateCodec.encode(holder), Holder.class)).isEqualTo(holder);
    }

    record Holder(MasterSecret master, TrafficSecret traffic) {
    }

    /** RFC 5869 Appendix A: test cases 1, 2 and 3 (SHA-256). */
    @ParameterizedTest
    @MethodSource("providers")
    void hkdfMatchesRfc5869(CryptoProvider crypto) {
        // A.1 Test Case 1
        byte[] prk = Tls13KeySchedule.hkdfExtract(crypto, SHA256, Bytes.fromHex("000102030405060708090a0b0c"),
                Bytes.fromHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"));
        assertThat(Bytes.hex(prk)).isEqualTo("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
        assertThat(Bytes.hex(Tls13KeySchedule.hkdfExpand(crypto, SHA256, prk, Bytes.fromHex("f0f1f2f3f4f5f6f7f8f9"), 42)))
                .isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
        // A.2 Test Case 2: longer inputs and outputs
        StringBuilder ikm = new StringBuilder();
        StringBuilder salt = new StringBuilder();
        StringBuilder info = new StringBuilder();
        for (int i = 0; i < 0x50; i++) {
            ikm.append(String.format("%02x", i));
            salt.append(String.format("%02x", 0x60 + i));
            info.append(String.format("%02x", 0xb0 + i));
        }
        prk = Tls13KeySchedule.hkdfExtract(crypto, SHA256, Bytes.fromHex(salt.toString()), Bytes.fromHex(ikm.toString()));
        assertThat(Bytes.hex(prk)).isEqualTo("06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244");
        assertThat(Bytes.hex(Tls13KeySchedule.hkdfExpand(crypto, SHA256, prk, Bytes.fromHex(info.toString()), 82)))
                .isEqualTo("b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
                        + "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
                        + "cc30c58179ec3e87c14c01d5c1f3434f1d87");
        // A.3 Test Case 3: zero-length salt and info
        prk = Tls13KeySchedule.hkdfExtract(crypto, SHA256, Bytes.EMPTY,
                Bytes.fromHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"));
        assertThat(Bytes.hex(prk)).isEqualTo("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04");
        assertThat(Bytes.hex(Tls13KeySchedule.hkdfExpand(crypto, SHA256, prk, Bytes.EMPTY, 42)))
                .isEqualTo("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
    }

    private static byte[] hex(String hex) {
        return Bytes.fromHex(hex);
    }
}
