package dev.handshake.service.page;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import org.springframework.context.annotation.Configuration;

/**
 * The ladder-diagram page: static HTML, CSS and JavaScript modules in {@code resources/static/}, served by Spring Boot
 * at {@code /} on the API port (no build step, nothing fetched from elsewhere). It only calls the public REST API, so
 * it shows nothing the API would not. Its only server-side part is this: the OpenAPI description links to it, so
 * Swagger UI does.
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "handshake-service API", version = "v1",
        description = "TLS handshake as a service: relay sessions (you are the TLS client; post your records) and "
                + "walkthrough sessions (the service plays both sides, one seed step at a time).\n\n"
                + "**See it drawn:** the [ladder-diagram page](/) starts a walkthrough and draws each message as it "
                + "happens, with its decoded fields and bytes; `GET /api/v1/sessions/{id}/capture` downloads any "
                + "session as a pcapng file that Wireshark opens decrypted."))
class PageConfiguration {
}
