package dev.handshake.tls.message;

import dev.handshake.tls.TlsAlertException;
import dev.handshake.tls.codec.TlsReader;
import dev.handshake.tls.codec.TlsWriter;
import dev.handshake.tls.wire.AlertDescription;
import dev.handshake.tls.wire.HandshakeType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The TLS 1.3 KeyUpdate (RFC 8446 §4.6.3): the sender has moved to its next traffic secret, and may ask the peer to
 * do the same. In TLS 1.3 it takes the place of renegotiation (seed step 11).
 */
public record KeyUpdate(boolean updateRequested) implements HandshakeMessage {

    public static KeyUpdate decode(byte[] body) {
        TlsReader r = TlsReader.of(body);
        int request = r.u8("request_update");
        r.finish("KeyUpdate");
        // RFC 8446 §4.6.3: "If an implementation receives any other value [than 0 or 1], it MUST terminate the
        // connection with an "illegal_parameter" alert."
        if (request > 1) {
            throw new TlsAlertException(AlertDescription.ILLEGAL_PARAMETER, "KeyUpdateRequest " + request + " is not 0 or 1");
        }
        return new KeyUpdate(request == 1);
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.KEY_UPDATE;
    }

    @Override
    public void encodeBody(TlsWriter out) {
        out.u8(updateRequested ? 1 : 0);
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("request_update", updateRequested ? "update_requested" : "update_not_requested");
        return fields;
    }
}
