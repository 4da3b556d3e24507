package dev.handshake.service.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream side of one proxied connection: hands what the upstream sends, its half-close and its close to the
 * client's {@link TlsTerminationHandler}. Both channels run on the same event loop, so the calls need no locking.
 * Ownership of each received buffer passes to the termination handler, which releases it.
 */
final class UpstreamRelayHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(UpstreamRelayHandler.class);

    private final TlsTerminationHandler termination;

    UpstreamRelayHandler(TlsTerminationHandler termination) {
        this.termination = termination;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        termination.fromUpstream((ByteBuf) msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent) {
            termination.upstreamInputClosed();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        termination.upstreamClosed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (log.isDebugEnabled()) {
            log.debug("upstream connection failed: {}", cause.toString());
        }
        ctx.close();
    }
}
