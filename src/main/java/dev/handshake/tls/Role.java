package dev.handshake.tls;

/** Which side of the connection the engine plays. */
public enum Role {
    CLIENT,
    SERVER
}
