package dev.handshake.bench;

import java.io.IOException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A POST that reads its body and answers nothing, through the same Tomcat connector, filters and Spring MVC dispatch
 * as the relay API: the floor of one loopback HTTP round trip on this machine. Benchmark only.
 */
@RestController
final class EmptyEndpoint {

    static final String PATH = "/bench/empty";

    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    ResponseEntity<byte[]> empty(HttpServletRequest request) throws IOException {
        request.getInputStream().readAllBytes();
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).body(new byte[0]);
    }
}
