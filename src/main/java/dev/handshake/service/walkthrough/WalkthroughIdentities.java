package dev.handshake.service.walkthrough;

import dev.handshake.service.certificate.LocalCertificateAuthority;
import dev.handshake.service.certificate.StoredIdentity;
import dev.handshake.service.session.SharedSecrets;
import dev.handshake.tls.Identity;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The certificates a walkthrough's two sides use, issued once on first use (RSA key generation is too slow for every
 * session): a good server and client from the local CA, and the broken ones each fault needs: an expired server
 * certificate, and a server and a client certificate from a throwaway CA nobody trusts. They are {@link SharedSecrets},
 * so with the Redis store every replica uses the same keys (and the local CA is shared too) and a walkthrough can move
 * between replicas at every step.
 */
final class WalkthroughIdentities {

    private static final List<String> SERVER_NAMES = List.of("localhost", "127.0.0.1");

    private final LocalCertificateAuthority ca;
    private final Supplier<LocalCertificateAuthority> untrustedCa;
    private final Supplier<Identity> server;
    private final Supplier<Identity> expiredServer;
    private final Supplier<Identity> untrustedServer;
    private final Supplier<Identity> client;
    private final Supplier<Identity> untrustedClient;

    WalkthroughIdentities(LocalCertificateAuthority ca, SharedSecrets shared) {
        this.ca = ca;
        Instant now = Instant.now();
        this.untrustedCa = memo(() -> LocalCertificateAuthority.fromBytes(shared.getOrCreate("walkthrough/untrusted-ca",
                () -> LocalCertificateAuthority.create("throwaway CA (not trusted)").toBytes())));
        this.server = shared(shared, "walkthrough/server", () -> ca.issue("localhost", SERVER_NAMES,
                LocalCertificateAuthority.Purpose.SERVER, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(90))));
        this.expiredServer = shared(shared, "walkthrough/expired-server", () -> ca.issue("localhost", SERVER_NAMES,
                LocalCertificateAuthority.Purpose.SERVER, now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(30))));
        this.untrustedServer = shared(shared, "walkthrough/untrusted-server", () -> untrustedCa.get().issue("localhost",
                SERVER_NAMES, LocalCertificateAuthority.Purpose.SERVER, now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(90))));
        this.client = shared(shared, "walkthrough/client", () -> ca.issue("walkthrough client", List.of(),
                LocalCertificateAuthority.Purpose.CLIENT, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(90))));
        this.untrustedClient = shared(shared, "walkthrough/untrusted-client", () -> untrustedCa.get().issue(
                "walkthrough client", List.of(), LocalCertificateAuthority.Purpose.CLIENT,
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(90))));
    }

    /**
     * An identity issued once for all replicas: a walkthrough step served by another replica must sign and decrypt
     * with the same keys the earlier steps announced in their certificates.
     */
    private static Supplier<Identity> shared(SharedSecrets shared, String name, Supplier<Identity> issue) {
        return memo(() -> StoredIdentity.decode(shared.getOrCreate(name, () -> StoredIdentity.encode(issue.get()))));
    }

    List<X509Certificate> anchors() {
        return List.of(ca.certificate());
    }

    Identity server() {
        return server.get();
    }

    Identity expiredServer() {
        return expiredServer.get();
    }

    Identity untrustedServer() {
        return untrustedServer.get();
    }

    Identity client() {
        return client.get();
    }

    Identity untrustedClient() {
        return untrustedClient.get();
    }

    private static <T> Supplier<T> memo(Supplier<T> supplier) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
                T v = value;
                if (v == null) {
                    synchronized (this) {
                        if (value == null) {
                            value = supplier.get();
                        }
                        v = value;
                    }
                }
                return v;
            }
        };
    }
}
