package dev.handshake.tls.event;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A message's decoded fields for a {@link HandshakeEvent}, described only when first read. Describing formats every
 * byte field as hex into a new map (a certificate chain alone is kilobytes of text), which was about a twentieth of a
 * proxied TLS 1.3 handshake's Java time (JFR, docs/benchmarks-proxy.md) although the proxy never reads the fields;
 * the walkthrough, the session view and the capture read them, and get the same map. The messages described are
 * immutable records, so describing later gives what describing at once would have.
 *
 * <p>Unmodifiable. Safe to read from several threads: a race at most describes twice, giving equal maps.
 */
public final class DescribedFields extends AbstractMap<String, Object> {

    private final Supplier<Map<String, Object>> describer;
    private volatile Map<String, Object> fields;

    public DescribedFields(Supplier<Map<String, Object>> describer) {
        this.describer = describer;
    }

    private Map<String, Object> fields() {
        Map<String, Object> described = fields;
        if (described == null) {
            described = describer.get();
            fields = described;
        }
        return described;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return java.util.Collections.unmodifiableMap(fields()).entrySet();
    }

    @Override
    public Object get(Object key) {
        return fields().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return fields().containsKey(key);
    }

    @Override
    public int size() {
        return fields().size();
    }
}
