package dev.handshake.service.proxy;

import org.springframework.context.ApplicationContext;

/** For tests outside this package: the port the context's TLS listener bound (tests configure port 0). */
public final class ProxyPorts {

    private ProxyPorts() {
    }

    public static int of(ApplicationContext context) {
        return context.getBean(ProxyServer.class).port();
    }
}
