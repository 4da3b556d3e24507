package dev.handshake.service.capture;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Capture downloads: what sessions keep of their records and key logs. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CaptureProperties.class)
class CaptureConfiguration {
}
