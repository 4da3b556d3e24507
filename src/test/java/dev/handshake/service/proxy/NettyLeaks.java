package dev.handshake.service.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Turns Netty's leak reports (logged by ResourceLeakDetector, which the pom runs at PARANOID for tests) into a test
 * failure: attach before the test, {@link #assertNone()} after it; or {@code @ExtendWith(NettyLeaks.Check.class)} on a
 * test class, which does both around every test, after the class's own {@code @AfterEach} methods.
 */
final class NettyLeaks implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger("io.netty.util.ResourceLeakDetector");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    NettyLeaks() {
        appender.start();
        logger.addAppender(appender);
    }

    /** Collects garbage and allocates, which makes the detector report what it found; fails on any LEAK line. */
    void assertNone() throws InterruptedException {
        // application.yml turns the detector off, and a check with it off passes whatever leaked
        assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel(),
                "leak detection must run at PARANOID (pom.xml: io.netty.leakDetection.level, spring.netty.leak-detection)");
        for (int round = 0; round < 5; round++) {
            System.gc();
            Thread.sleep(50);
            for (int i = 0; i < 200; i++) {
                ByteBufAllocator.DEFAULT.buffer(16).release();
                UnpooledByteBufAllocator.DEFAULT.heapBuffer(16).release();
            }
        }
        List<String> leaks = appender.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("LEAK")).toList();
        assertEquals(List.of(), leaks);
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }

    /** Fails a test whose Netty buffers leaked: {@link NettyLeaks} attached before it, checked after it. */
    static final class Check implements BeforeEachCallback, AfterEachCallback {

        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Check.class);

        @Override
        public void beforeEach(ExtensionContext context) {
            context.getStore(NAMESPACE).put("leaks", new NettyLeaks());
        }

        @Override
        public void afterEach(ExtensionContext context) throws InterruptedException {
            try (NettyLeaks leaks = context.getStore(NAMESPACE).remove("leaks", NettyLeaks.class)) {
                leaks.assertNone();
            }
        }
    }
}
