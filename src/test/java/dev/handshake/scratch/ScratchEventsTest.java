package dev.handshake.scratch;

import dev.handshake.tls.*;
import dev.handshake.tls.event.HandshakeEvent;
import dev.handshake.tls.crypto.CryptoProviders;
import dev.handshake.tls.suite.Profile;
import dev.handshake.tls.wire.CipherSuiteId;
import dev.handshake.tls.interop.EngineEndpoint;
import dev.handshake.testing.TestPki;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScratchEventsTest {
    @Test
    void print() {
        var crypto = CryptoProviders.preferred();
        var s = new TlsEngine(TlsConfig.server().cipherSuites(List.of(CipherSuiteId.TLS_RSA_WITH_AES_128_GCM_SHA256)).identity(EngineEndpoint.identity(TestPki.serverRsa())).trustAnchors(List.of(TestPki.rootCa().leaf())).clientAuth(ClientAuth.REQUIRED).revealSecrets(true).build(), crypto);
        var c = new TlsEngine(TlsConfig.client().serverName("localhost").trustAnchors(List.of(TestPki.rootCa().leaf())).identity(EngineEndpoint.identity(TestPki.clientRsa())).revealSecrets(true).build(), crypto);
        Step cs = c.start(); print("C", cs);
        Step ss = s.start();
        ss = s.advance(ss.state(), cs.outbound()); print("S", ss);
        cs = c.advance(cs.state(), ss.outbound()); print("C", cs);
        ss = s.advance(ss.state(), cs.outbound()); print("S", ss);
        cs = c.advance(cs.state(), ss.outbound()); print("C", cs);
        System.out.println("state sizes " + cs.state().toBytes().length + " " + ss.state().toBytes().length);
        ss = s.renegotiate(ss.state()); print("S-reneg", ss);
        cs = c.advance(cs.state(), ss.outbound()); print("C", cs);
        ss = s.advance(ss.state(), cs.outbound()); print("S", ss);
        cs = c.advance(cs.state(), ss.outbound()); print("C", cs);
        ss = s.advance(ss.state(), cs.outbound()); print("S", ss);
    }
    static void print(String who, Step st) {
        System.out.println("== " + who + " out=" + st.outbound().length + " est=" + st.state().isEstablished() + " fail=" + st.state().failure());
        for (HandshakeEvent e : st.events()) System.out.println("  " + e.step().number() + " " + e);
    }
}
