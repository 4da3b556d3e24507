package dev.handshake.service;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The handshake-service Spring Boot application: the REST API, proxy and operations around the TLS engine. */
@SpringBootApplication
public class HandshakeServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(HandshakeServiceApplication.class, args);
    }
}
