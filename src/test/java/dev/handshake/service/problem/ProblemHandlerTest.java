package dev.handshake.service.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.ServletWebRequest;

class ProblemHandlerTest {

    @Test
    void unexpectedExceptionBecomesAGeneric500WithoutItsClassOrMessage() {
        var response = new ProblemHandler().unexpected(new IllegalStateException("master secret 0xdeadbeef"),
                new ServletWebRequest(new MockHttpServletRequest("POST", "/api/v1/sessions")));
        assertThat(response.getStatusCode().value()).isEqualTo(500);
        ProblemDetail problem = (ProblemDetail) response.getBody();
        assertThat(problem.getType().toString()).isEqualTo(ProblemKind.BASE + "internal-error");
        assertThat(problem.toString()).doesNotContain("IllegalStateException").doesNotContain("deadbeef");
    }
}
