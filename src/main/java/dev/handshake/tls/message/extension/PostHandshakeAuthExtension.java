package dev.handshake.tls.message.extension;

import dev.handshake.tls.message.Extension;
import dev.handshake.tls.wire.ExtensionType;

/** post_handshake_auth (RFC 8446 §4.2.6): the client will answer a post-handshake CertificateRequest; extension_data is empty. */
public record PostHandshakeAuthExtension() {

    /** extension_data is empty; any byte in it is a decode_error. */
    public static PostHandshakeAuthExtension decode(byte[] data) {
        Encoded.requireEmpty(data, "post_handshake_auth");
        return new PostHandshakeAuthExtension();
    }

    public Extension toExtension() {
        return new Extension(ExtensionType.POST_HANDSHAKE_AUTH, new byte[0]);
    }
}
