package dev.handshake.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Re-enables the legacy TLS algorithms for the whole test JVM before the first test runs (registered through
 * {@code META-INF/services}). JSSE reads {@code jdk.tls.disabledAlgorithms} once, when the JVM's first SSLContext is
 * built, so relaxing it in {@link JdkTlsPeer}'s static initialiser alone would depend on test order: any test that
 * builds an SSLContext first (an HTTPS client, an {@code SSLSocket}) would freeze the strict list. See
 * {@link JdkTlsPeer} for exactly what is re-enabled.
 */
public final class LegacyAlgorithmsSessionListener implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        JdkTlsPeer.allowLegacyAlgorithms();
    }
}
