package dev.handshake.service.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The scheduled sweep frees expired sessions without anyone looking them up. */
@SpringBootTest(properties = {"handshake.session.handshake-flight-timeout=200ms", "handshake.session.sweep-interval=50ms"})
class SweepScheduleTest {

    @Autowired
    InMemorySessionRepository repository;

    @Test
    void expiredHandshakesAreSweptOnSchedule() throws Exception {
        long now = System.currentTimeMillis();
        for (int i = 0; i < 20; i++) {
            repository.create(new SessionRecord(SessionIds.next(), Mode.RELAY, new SessionOptions("TLSv1.2",
                    "COMPATIBLE", null, null, null, "NONE", List.of(), List.of()), 0, SessionStatus.HANDSHAKING,
                    List.of(new byte[] {1}), List.of(), 0, null, null, now, now));
        }
        assertThat(repository.size()).isEqualTo(20);
        long deadline = System.currentTimeMillis() + 5000;
        while (repository.size() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(repository.size()).isZero();
    }
}
