package dev.handshake.service.proxy;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The leak check the proxy tests rely on must itself catch a leak. */
class NettyLeaksTest {

    @Test
    void reportsABufferThatWasNeverReleased() throws Exception {
        try (NettyLeaks leaks = new NettyLeaks()) {
            leak();
            assertThrows(AssertionError.class, leaks::assertNone);
        }
    }

    private static void leak() {
        ByteBufAllocator.DEFAULT.buffer(64).writeLong(1);
    }
}
