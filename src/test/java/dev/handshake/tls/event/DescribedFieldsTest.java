package dev.handshake.tls.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DescribedFieldsTest {

    @Test
    void describesOnlyWhenFirstReadAndThenOnce() {
        AtomicInteger describing = new AtomicInteger();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("random", "00ff");
        fields.put("cipher_suites", java.util.List.of("TLS_AES_128_GCM_SHA256"));
        DescribedFields described = new DescribedFields(() -> {
            describing.incrementAndGet();
            return fields;
        });

        assertThat(describing).hasValue(0); // made, as every event's are, but not read: the proxy's case

        assertThat(described.get("random")).isEqualTo("00ff");
        assertThat(described).isEqualTo(fields).hasSize(2).containsKey("cipher_suites");
        assertThat(described.keySet()).containsExactly("random", "cipher_suites"); // the describer's order
        assertThat(describing).hasValue(1);
    }

    @Test
    void isUnmodifiable() {
        DescribedFields described = new DescribedFields(() -> new LinkedHashMap<>(Map.of("a", 1)));
        assertThatThrownBy(() -> described.put("b", 2)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> described.entrySet().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(described).containsOnlyKeys("a");
    }
}
