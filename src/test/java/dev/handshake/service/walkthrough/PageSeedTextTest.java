package dev.handshake.service.walkthrough;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.tls.event.SeedStep;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The ladder page's copy of the seed's steps ({@code static/seed.js}) says what the API says. */
class PageSeedTextTest {

    @Test
    void thePageShowsTheSameTitlesAndSeedTextAsTheApi() throws Exception {
        String js;
        try (InputStream in = getClass().getResourceAsStream("/static/seed.js")) {
            assertThat(in).as("static/seed.js on the classpath").isNotNull();
            js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (int n = 1; n <= 11; n++) {
            SeedStep step = SeedStep.ofNumber(n);
            assertThat(js).contains("  " + n + ": { title: \"" + step.summary() + "\", explanation: \"" + SeedText.of(n) + "\" },");
        }
    }
}
