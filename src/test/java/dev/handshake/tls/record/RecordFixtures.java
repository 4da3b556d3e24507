package dev.handshake.tls.record;

import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.crypto.CryptoProvider;
import dev.handshake.tls.crypto.JcaCryptoProvider;
import dev.handshake.tls.crypto.Secret;
import dev.handshake.tls.suite.CipherSuite;
import dev.handshake.tls.wire.AlertDescription;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Shared pieces of the record-layer tests: a replayable provider, random states, a reflective state copy. */
final class RecordFixtures {

    private RecordFixtures() {
    }

    /** The JDK providers with a seeded random source, so CBC IVs repeat from run to run. */
    static CryptoProvider provider() {
        SecureRandom random;
        try {
            random = SecureRandom.getInstance("SHA1PRNG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        random.setSeed(42);
        return JcaCryptoProvider.jdkDefaults().with(() -> random, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    }

    /** A state with random keys of the suite's lengths; the writer's and the reader's state are equal at first. */
    static ProtectionState randomState(CipherSuite suite, Random random) {
        byte[] key = bytes(random, suite.cipher().keyLength());
        if (suite.isTls13()) {
            return ProtectionState.tls13(suite, new Secret(key), bytes(random, 12));
        }
        Secret macKey = suite.isAead() ? null : new Secret(bytes(random, suite.mac().length()));
        return ProtectionState.tls12(suite, new Secret(key), macKey, bytes(random, suite.cipher().fixedIvLength()));
    }

    static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static void assertAlert(ThrowableAssert.ThrowingCallable call, AlertDescription alert) {
        assertThatThrownBy(call).isInstanceOfSatisfying(TlsAlertException.class,
                e -> assertThat(e.alert()).as(e.reason()).isEqualTo(alert));
    }

    /**
     * A deep copy made only from record components and canonical constructors, the way the engine's reflective state
     * codec sees a state: if a state held anything but data, this copy would lose it.
     */
    @SuppressWarnings("unchecked")
    static <T> T reflectiveCopy(T value) {
        if (value == null || value instanceof Number || value instanceof String || value instanceof Boolean
                || value instanceof Enum<?>) {
            return value;
        }
        if (value instanceof byte[] bytes) {
            return (T) bytes.clone();
        }
        Class<?> type = value.getClass();
        if (!type.isRecord()) {
            throw new IllegalArgumentException("not plain data: " + type);
        }
        try {
            RecordComponent[] components = type.getRecordComponents();
            Object[] args = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                args[i] = reflectiveCopy(components[i].getAccessor().invoke(value));
                types[i] = components[i].getType();
            }
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            return (T) canonical.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
