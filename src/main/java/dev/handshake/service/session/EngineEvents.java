package dev.handshake.service.session;

import dev.handshake.tls.ConnectionState;
import dev.handshake.tls.Failure;
import dev.handshake.tls.Role;
import dev.handshake.tls.event.HandshakeEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns engine values into the session's stored summaries. Summaries name secrets and their lengths, never their
 * values: the transcript is shown in every mode and may reach logs.
 */
public final class EngineEvents {

    private EngineEvents() {
    }

    /** Who did what an event describes, seen from an engine playing {@code role}. */
    public static String actor(HandshakeEvent event, Role role) {
        String self = role == Role.SERVER ? "server" : "client";
        String peer = role == Role.SERVER ? "client" : "server";
        if (event instanceof HandshakeEvent.MessageReceived || event instanceof HandshakeEvent.ChangeCipherSpecReceived
                || event instanceof HandshakeEvent.AlertReceived) {
            return peer;
        }
        return self;
    }

    public static TranscriptEntry summarize(HandshakeEvent event, Role role) {
        return new TranscriptEntry(event.step().number(), actor(event, role), kind(event), summary(event));
    }

    public static String kind(HandshakeEvent event) {
        if (event instanceof HandshakeEvent.MessageSent) {
            return "message_sent";
        } else if (event instanceof HandshakeEvent.MessageReceived) {
            return "message_received";
        } else if (event instanceof HandshakeEvent.ChangeCipherSpecSent) {
            return "change_cipher_spec_sent";
        } else if (event instanceof HandshakeEvent.ChangeCipherSpecReceived) {
            return "change_cipher_spec_received";
        } else if (event instanceof HandshakeEvent.KeysChanged) {
            return "keys_changed";
        } else if (event instanceof HandshakeEvent.SecretDerived) {
            return "secret_derived";
        } else if (event instanceof HandshakeEvent.ValueComputed) {
            return "value_computed";
        } else if (event instanceof HandshakeEvent.PeerCertificateChecked) {
            return "certificate_checked";
        } else if (event instanceof HandshakeEvent.AlertSent) {
            return "alert_sent";
        } else if (event instanceof HandshakeEvent.AlertReceived) {
            return "alert_received";
        } else if (event instanceof HandshakeEvent.HandshakeCompleted) {
            return "handshake_completed";
        } else if (event instanceof HandshakeEvent.RenegotiationStarted) {
            return "renegotiation_started";
        } else if (event instanceof HandshakeEvent.RenegotiationRefused) {
            return "renegotiation_refused";
        } else if (event instanceof HandshakeEvent.ApplicationDataReceived) {
            return "application_data_received";
        } else if (event instanceof HandshakeEvent.ApplicationDataSent) {
            return "application_data_sent";
        } else if (event instanceof HandshakeEvent.ConnectionClosed) {
            return "connection_closed";
        }
        return "event";
    }

    public static String summary(HandshakeEvent event) {
        if (event instanceof HandshakeEvent.MessageSent m) {
            return m.type() + " (" + m.encoded().length + " bytes)";
        } else if (event instanceof HandshakeEvent.MessageReceived m) {
            return m.type() + " (" + m.encoded().length + " bytes)";
        } else if (event instanceof HandshakeEvent.KeysChanged k) {
            return k.direction() + " protection now " + k.protection();
        } else if (event instanceof HandshakeEvent.SecretDerived s) {
            return s.name() + " (" + s.value().length() + " bytes)";
        } else if (event instanceof HandshakeEvent.ValueComputed v) {
            return v.name();
        } else if (event instanceof HandshakeEvent.PeerCertificateChecked c) {
            return (c.trusted() ? "trusted" : "not trusted (" + c.problem() + ")") + ": " + c.detail();
        } else if (event instanceof HandshakeEvent.AlertSent a) {
            return a.level().name() + " " + a.description().name() + (a.reason() == null ? "" : ": " + a.reason());
        } else if (event instanceof HandshakeEvent.AlertReceived a) {
            return a.level().name() + " " + a.description().name();
        } else if (event instanceof HandshakeEvent.HandshakeCompleted h) {
            return h.version().name() + " " + h.cipherSuite().name() + (h.group() == null ? "" : " " + h.group().name())
                    + (h.renegotiation() ? " (renegotiation)" : "");
        } else if (event instanceof HandshakeEvent.RenegotiationStarted r) {
            return "initiated by the " + r.initiator();
        } else if (event instanceof HandshakeEvent.RenegotiationRefused r) {
            return r.reason();
        } else if (event instanceof HandshakeEvent.ApplicationDataReceived a) {
            return a.length() + " bytes";
        } else if (event instanceof HandshakeEvent.ApplicationDataSent a) {
            return a.length() + " bytes";
        } else if (event instanceof HandshakeEvent.ConnectionClosed c) {
            return c.byPeer() ? "closed by the peer" : "closed by us";
        } else if (event instanceof HandshakeEvent.ChangeCipherSpecSent
                || event instanceof HandshakeEvent.ChangeCipherSpecReceived) {
            return "change_cipher_spec";
        }
        return event.getClass().getSimpleName();
    }

    /** Appends summaries, keeping at most {@code limit}: the first half and the most recent rest. */
    public static Appended append(List<TranscriptEntry> transcript, int dropped, List<HandshakeEvent> events, Role role,
                                  int limit) {
        List<TranscriptEntry> next = new ArrayList<>(transcript);
        for (HandshakeEvent event : events) {
            next.add(summarize(event, role));
        }
        return bound(next, dropped, limit);
    }

    public static Appended bound(List<TranscriptEntry> entries, int dropped, int limit) {
        if (entries.size() <= limit) {
            return new Appended(entries, dropped);
        }
        // keep the handshake's beginning (the interesting part) and the latest events; drop the middle
        int head = limit / 2;
        int tail = limit - head;
        List<TranscriptEntry> kept = new ArrayList<>(entries.subList(0, head));
        kept.addAll(entries.subList(entries.size() - tail, entries.size()));
        return new Appended(kept, dropped + entries.size() - limit);
    }

    public record Appended(List<TranscriptEntry> transcript, int dropped) {
    }

    public static SessionRecord.FailureSummary failure(ConnectionState state) {
        Failure f = state.failure();
        if (f == null) {
            return null;
        }
        String sender = (f.sentByUs() == (state.role() == Role.SERVER)) ? "server" : "client";
        return new SessionRecord.FailureSummary(f.alert().name(), f.alert().code(), sender, f.step().number(), f.reason());
    }

    public static SessionStatus status(ConnectionState state) {
        if (state.isFailed()) {
            return SessionStatus.FAILED;
        }
        if (state.closeNotifySent() || state.closeNotifyReceived()) {
            return SessionStatus.CLOSED;
        }
        return state.session() != null ? SessionStatus.ESTABLISHED : SessionStatus.HANDSHAKING;
    }
}
