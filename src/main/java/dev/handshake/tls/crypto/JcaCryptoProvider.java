package dev.handshake.tls.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;

/**
 * A {@link CryptoProvider} over JCA providers, one chosen per primitive. Where no provider is named for a primitive,
 * the JCA's own provider order decides.
 */
public final class JcaCryptoProvider implements CryptoProvider {

    private final Map<Primitive, Provider> providers;
    private final Set<Primitive> fallbacks;
    private final Supplier<SecureRandom> random;
    private final Clock clock;

    public JcaCryptoProvider(Map<Primitive, Provider> providers, Supplier<SecureRandom> random, Clock clock) {
        this(providers, Set.of(), random, clock);
    }

    /**
     * A provider whose selection records, in {@code fallbacks}, the primitives served by a fallback rather than by the
     * provider the selection rule wanted (so a start-up log line and a benchmark can say so).
     */
    public JcaCryptoProvider(Map<Primitive, Provider> providers, Set<Primitive> fallbacks, Supplier<SecureRandom> random,
            Clock clock) {
        this.providers = providers.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new EnumMap<>(providers));
        this.fallbacks = Set.copyOf(fallbacks);
        this.random = random;
        this.clock = clock;
    }

    /** The JDK's providers in their default order, a strong SecureRandom and the system clock. */
    public static JcaCryptoProvider jdkDefaults() {
        SecureRandom shared = new SecureRandom();
        return new JcaCryptoProvider(Map.of(), () -> shared, Clock.systemUTC());
    }

    /** The same primitive choice with other randomness and time, e.g. fixed ones for a replayable test. */
    public JcaCryptoProvider with(Supplier<SecureRandom> random, Clock clock) {
        return new JcaCryptoProvider(providers, fallbacks, random, clock);
    }

    /** The JCA provider named for each primitive; a primitive absent here is left to the JCA's provider order. */
    public Map<Primitive, Provider> selection() {
        return providers;
    }

    /** The primitives served by a fallback provider rather than the one the selection rule asked for. */
    public Set<Primitive> fallbacks() {
        return fallbacks;
    }

    @Override
    public MessageDigest messageDigest(Primitive p) {
        if (provider(p) == null) {
            return get(p, () -> MessageDigest.getInstance(p.algorithm()));
        }
        return prototypes.copy(p, () -> MessageDigest.getInstance(p.algorithm(), provider(p)));
    }

    @Override
    public Mac mac(Primitive p) {
        if (provider(p) == null) {
            // the JCA picks a Mac's provider when it is initialised, by the key: nothing to copy before that
            return get(p, () -> Mac.getInstance(p.algorithm()));
        }
        return prototypes.copy(p, () -> Mac.getInstance(p.algorithm(), provider(p)));
    }

    /** Digests and MACs are copied from a never-used instance: a handshake asks for dozens (HKDF, transcript). */
    private final JcaPrototypes prototypes = new JcaPrototypes();

    @Override
    public Cipher cipher(Primitive p) {
        return get(p, () -> provider(p) == null ? Cipher.getInstance(p.algorithm())
                : Cipher.getInstance(p.algorithm(), provider(p)));
    }

    /**
     * Record ciphers, one table per thread: a proxy event loop serves many connections one record at a time, and each
     * cipher is re-initialized per record, so a thread's table serves them all (see {@link RecordCipherCache}).
     */
    private final ThreadLocal<RecordCipherCache> recordCiphers =
            ThreadLocal.withInitial(() -> new RecordCipherCache(this::cipher));

    @Override
    public Cipher recordCipher(Primitive p, Secret key) {
        return recordCiphers.get().cipher(p, key);
    }

    @Override
    public javax.crypto.SecretKey recordKey(Primitive p, Secret key, String algorithm) {
        return recordCiphers.get().key(p, key, algorithm);
    }

    @Override
    public Signature signature(Primitive p) {
        return get(p, () -> provider(p) == null ? Signature.getInstance(p.algorithm())
                : Signature.getInstance(p.algorithm(), provider(p)));
    }

    @Override
    public KeyAgreement keyAgreement(Primitive p) {
        return get(p, () -> provider(p) == null ? KeyAgreement.getInstance(p.algorithm())
                : KeyAgreement.getInstance(p.algorithm(), provider(p)));
    }

    @Override
    public KeyPairGenerator keyPairGenerator(Primitive p) {
        return get(p, () -> provider(p) == null ? KeyPairGenerator.getInstance(p.algorithm())
                : KeyPairGenerator.getInstance(p.algorithm(), provider(p)));
    }

    @Override
    public KeyFactory keyFactory(Primitive p) {
        return get(p, () -> provider(p) == null ? KeyFactory.getInstance(p.algorithm())
                : KeyFactory.getInstance(p.algorithm(), provider(p)));
    }

    /**
     * Where Bouncy Castle serves X25519 (the rule in {@link CryptoProviders}), its arithmetic directly: the same code
     * its JCA classes run, at about two thirds of their CPU per server key exchange (docs/crypto-providers.md). Any
     * other provider goes through JCA.
     */
    @Override
    public X25519Function x25519() {
        X25519Function chosen = x25519;
        if (chosen == null) {
            Provider serving = provider(Primitive.X25519);
            boolean bouncyCastle = serving != null && "BC".equals(serving.getName())
                    && serving == provider(Primitive.X25519_KEY_PAIR);
            chosen = bouncyCastle ? BouncyCastleX25519.INSTANCE : new JcaX25519(this);
            x25519 = chosen;
        }
        return chosen;
    }

    private volatile X25519Function x25519;

    @Override
    public CertificateFactory certificateFactory() {
        Primitive p = Primitive.CERTIFICATE_FACTORY;
        return get(p, () -> provider(p) == null ? CertificateFactory.getInstance(p.algorithm())
                : CertificateFactory.getInstance(p.algorithm(), provider(p)));
    }

    @Override
    public CertPathValidator certPathValidator() {
        Primitive p = Primitive.CERT_PATH_VALIDATOR;
        return get(p, () -> provider(p) == null ? CertPathValidator.getInstance(p.algorithm())
                : CertPathValidator.getInstance(p.algorithm(), provider(p)));
    }

    @Override
    public Provider providerOf(Primitive p) {
        Provider chosen = provider(p);
        if (chosen != null) {
            return chosen;
        }
        for (Provider candidate : Security.getProviders()) {
            if (candidate.getService(p.serviceType(), p.algorithm()) != null) {
                return candidate;
            }
        }
        return null;
    }

    @Override
    public void randomBytes(byte[] out) {
        random.get().nextBytes(out);
    }

    @Override
    public SecureRandom secureRandom() {
        return random.get();
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    /**
     * Converted keys, per (key object, provider). Keys are configuration (server and client identities), so the map
     * stays small; a bound keeps a caller that creates keys per connection from growing it without limit.
     */
    private final java.util.concurrent.ConcurrentHashMap<KeyUse, java.security.PrivateKey> nativeKeys =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_NATIVE_KEYS = 256;

    private record KeyUse(java.security.PrivateKey key, Provider provider) {
        @Override
        public boolean equals(Object o) {
            // identity, not value: hashing a key's value would cost an encoding per lookup
            return o instanceof KeyUse other && other.key == key && other.provider == provider;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(key) * 31 + System.identityHashCode(provider);
        }
    }

    @Override
    public java.security.PrivateKey nativePrivateKey(Primitive primitive, java.security.PrivateKey key) {
        Provider serving = providerOf(primitive);
        Primitive factory = switch (key.getAlgorithm()) {
            case "RSA" -> Primitive.RSA_KEY_FACTORY;
            case "EC" -> Primitive.EC_KEY_FACTORY;
            default -> null;
        };
        if (serving == null || factory == null || providerOf(factory) != serving) {
            return key;
        }
        KeyUse use = new KeyUse(key, serving);
        java.security.PrivateKey converted = nativeKeys.get(use);
        if (converted != null) {
            return converted;
        }
        try {
            converted = (java.security.PrivateKey) keyFactory(factory).translateKey(key);
        } catch (GeneralSecurityException | RuntimeException e) {
            return key; // the provider cannot take this key natively: it keeps importing it per use, as before
        }
        if (nativeKeys.size() >= MAX_NATIVE_KEYS) {
            nativeKeys.clear();
        }
        nativeKeys.put(use, converted);
        return converted;
    }

    private Provider provider(Primitive p) {
        return providers.get(p);
    }

    interface JcaFactory<T> {
        T create() throws GeneralSecurityException;
    }

    static <T> T get(Primitive p, JcaFactory<T> factory) {
        try {
            return factory.create();
        } catch (GeneralSecurityException e) {
            // A missing primitive is a deployment fault, not a protocol failure: the engine maps it to internal_error.
            throw new IllegalStateException("no provider for " + p + " (" + p.algorithm() + ")", e);
        }
    }
}
