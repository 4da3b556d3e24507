package dev.handshake.service.proxy;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The socket transport the proxy's event loops use ({@code handshake.proxy.transport}). {@code AUTO} takes the first
 * one this machine supports in {@link #AUTO_ORDER}; naming one that is unavailable fails the start, so a
 * configuration never runs on something other than what it says.
 */
public enum ProxyTransport {
    AUTO(null, () -> true, null, null, null),
    IO_URING("io_uring", IoUring::isAvailable, IoUringIoHandler::newFactory, IoUringServerSocketChannel.class,
            IoUringSocketChannel.class),
    EPOLL("epoll", Epoll::isAvailable, EpollIoHandler::newFactory, EpollServerSocketChannel.class,
            EpollSocketChannel.class),
    NIO("nio", () -> true, NioIoHandler::newFactory, NioServerSocketChannel.class, NioSocketChannel.class);

    /**
     * The order {@code AUTO} tries. The native transports make the same system calls per kept-alive request on
     * loopback as HAProxy does or fewer; which one comes first is decided by the CPU per request measured in
     * docs/benchmarks-proxy.md.
     */
    static final List<ProxyTransport> AUTO_ORDER = List.of(EPOLL, IO_URING, NIO);

    private final String displayName;
    private final BooleanSupplier available;
    private final Supplier<IoHandlerFactory> ioHandlerFactory;
    private final Class<? extends ServerChannel> serverChannelType;
    private final Class<? extends SocketChannel> socketChannelType;

    ProxyTransport(String displayName, BooleanSupplier available, Supplier<IoHandlerFactory> ioHandlerFactory,
                   Class<? extends ServerChannel> serverChannelType, Class<? extends SocketChannel> socketChannelType) {
        this.displayName = displayName;
        this.available = available;
        this.ioHandlerFactory = ioHandlerFactory;
        this.serverChannelType = serverChannelType;
        this.socketChannelType = socketChannelType;
    }

    /** The concrete transport to use for this setting: AUTO's first available one, or this one if available. */
    ProxyTransport resolve() {
        if (this == AUTO) {
            return AUTO_ORDER.stream().filter(ProxyTransport::isAvailable).findFirst().orElse(NIO);
        }
        if (!isAvailable()) {
            // the name as the property is written (io-uring), not as the constant is
            String written = name().toLowerCase(Locale.ROOT).replace('_', '-');
            throw new IllegalStateException("handshake.proxy.transport=" + written + " is not available on this machine: "
                    + unavailabilityCause());
        }
        return this;
    }

    boolean isAvailable() {
        try {
            return available.getAsBoolean();
        } catch (LinkageError e) {
            // the native library or its classes are missing on this platform
            return false;
        }
    }

    private String unavailabilityCause() {
        Throwable cause = switch (this) {
            case IO_URING -> IoUring.unavailabilityCause();
            case EPOLL -> Epoll.unavailabilityCause();
            default -> null;
        };
        return cause == null ? "unknown" : cause.toString();
    }

    /** The name logged and shown by the actuator endpoint and health indicator. */
    String displayName() {
        return displayName;
    }

    IoHandlerFactory newIoHandlerFactory() {
        return ioHandlerFactory.get();
    }

    Class<? extends ServerChannel> serverChannelType() {
        return serverChannelType;
    }

    Class<? extends SocketChannel> socketChannelType() {
        return socketChannelType;
    }
}
