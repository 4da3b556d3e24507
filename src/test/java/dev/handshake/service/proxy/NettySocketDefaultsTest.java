package dev.handshake.service.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.Test;

/**
 * The proxy relies on Netty turning TCP_NODELAY on for every socket channel, client and upstream side, instead of
 * setting it again per connection (ProxyServer): should a Netty upgrade change that default, small records would wait
 * for Nagle's algorithm and these tests fail.
 */
class NettySocketDefaultsTest {

    @Test
    void epollSocketChannelsHaveTcpNoDelayOn() {
        assumeTrue(Epoll.isAvailable(), "epoll transport not available here");
        EpollSocketChannel channel = new EpollSocketChannel();
        try {
            assertThat(channel.config().isTcpNoDelay()).isTrue();
        } finally {
            channel.unsafe().closeForcibly();
        }
    }

    @Test
    void nioSocketChannelsHaveTcpNoDelayOn() {
        NioSocketChannel channel = new NioSocketChannel();
        try {
            assertThat(channel.config().isTcpNoDelay()).isTrue();
        } finally {
            channel.unsafe().closeForcibly();
        }
    }
}
