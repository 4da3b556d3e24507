package dev.handshake.tls.crypto;

import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.crypto.Mac;

/**
 * Fresh, uninitialised {@link MessageDigest}s and {@link Mac}s made by cloning one instance per primitive that is never
 * initialised or used itself. {@code getInstance} looks the provider's service up and instantiates its class
 * reflectively on every call, which cost a TLS 1.3 server handshake (about thirty HKDF steps and transcript hashes)
 * about a tenth of its Java time in the proxy (JFR, docs/benchmarks-proxy.md); a clone copies a few arrays. Cloning only
 * reads the prototype, so threads share it. An implementation that cannot be cloned is created by
 * {@code getInstance} each time, as before.
 */
final class JcaPrototypes {

    /**
     * The prototype per primitive, by ordinal; {@link #NOT_CLONEABLE} when its implementation refuses {@code clone()}.
     * An array rather than a hash map: a handshake looks up about thirty, and hashing the enum key (its identity hash)
     * showed in the profile.
     */
    private final AtomicReferenceArray<Object> prototypes = new AtomicReferenceArray<>(Primitive.values().length);
    private static final Object NOT_CLONEABLE = new Object();

    <T> T copy(Primitive p, JcaCryptoProvider.JcaFactory<T> factory) {
        Object prototype = prototypes.get(p.ordinal());
        if (prototype == null) {
            prototype = JcaCryptoProvider.get(p, factory);
            prototypes.compareAndSet(p.ordinal(), null, prototype);
        }
        if (prototype != NOT_CLONEABLE) {
            try {
                @SuppressWarnings("unchecked")
                T copy = (T) cloneOf(prototype);
                return copy;
            } catch (CloneNotSupportedException e) {
                prototypes.set(p.ordinal(), NOT_CLONEABLE);
            }
        }
        return JcaCryptoProvider.get(p, factory);
    }

    private static Object cloneOf(Object prototype) throws CloneNotSupportedException {
        if (prototype instanceof Mac mac) {
            return mac.clone();
        }
        return ((MessageDigest) prototype).clone();
    }
}
