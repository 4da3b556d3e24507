package dev.handshake.bench;

import dev.handshake.testing.TestPki;
import dev.handshake.tls.ClientAuth;
import dev.handshake.tls.Identity;
import dev.handshake.tls.TlsConfig;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.CryptoProviders;
import java.util.List;

/**
 * What the resumption context costs the relay API, which builds a server {@code TlsConfig} per request: building
 * one (the context's encoding included), and building one and hashing its context (what a request that issues or
 * checks a ticket adds), with and without client authentication (the trust anchors go in only with it), in
 * operations per CPU-second of this thread.
 * Run: {@code java -cp ... dev.handshake.bench.ResumptionContextCpuTime [seconds per row]}.
 */
public final class ResumptionContextCpuTime {

    private ResumptionContextCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        CpuTimeMeter meter = new CpuTimeMeter(args.length > 0 ? Double.parseDouble(args[0]) : 2);
        CryptoProvider crypto = CryptoProviders.preferred();
        Identity identity = new Identity(TestPki.serverRsa().key(), TestPki.serverRsa().chain());
        System.out.printf("%-50s %12s %10s%n", "operation", "ops/cpu-s", "us/op");
        for (ClientAuth clientAuth : List.of(ClientAuth.NONE, ClientAuth.REQUIRED)) {
            TlsConfig.Builder relay = TlsConfig.server().identity(identity).clientAuth(clientAuth)
                    .trustAnchors(List.of(TestPki.rootCa().leaf())).resumptionContextLabel("relay");
            print("build TlsConfig, clientAuth " + clientAuth, meter.rate(relay::build));
            print("build TlsConfig + context id, clientAuth " + clientAuth,
                    meter.rate(() -> relay.build().resumptionContext().id(crypto)));
        }
    }

    private static void print(String operation, double rate) {
        System.out.printf("%-50s %12.0f %10.2f%n", operation, rate, 1e6 / rate);
    }
}
