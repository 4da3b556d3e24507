package dev.handshake.tls.message.extension;

import dev.handshake.tls.message.Extension;
import dev.handshake.tls.wire.ExtensionType;

/** extended_master_secret (RFC 7627 §5.1): its presence binds the master secret to the session hash; extension_data is empty. */
public record ExtendedMasterSecretExtension() {

    /** extension_data is empty; any byte in it is a decode_error. */
    public static ExtendedMasterSecretExtension decode(byte[] data) {
        Encoded.requireEmpty(data, "extended_master_secret");
        return new ExtendedMasterSecretExtension();
    }

    public Extension toExtension() {
        return new Extension(ExtensionType.EXTENDED_MASTER_SECRET, new byte[0]);
    }
}
