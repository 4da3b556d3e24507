# syntax=docker/dockerfile:1
# handshake-service: build with the Maven wrapper on a JDK, run on a JRE.
# The bytecode stays Java 17 (maven.compiler.release); the runtime is a current LTS JRE, whose P-256 and
# ChaCha20-Poly1305 are several times faster than Java 17's.
ARG BUILD_IMAGE=eclipse-temurin:17-jdk
ARG RUNTIME_IMAGE=eclipse-temurin:25-jre

FROM ${BUILD_IMAGE} AS build
# Networks that inspect TLS (corporate proxies, sandboxes) need their CA to reach Maven Central: pass its PEM
# certificates as EXTRA_CA_CERTS; nothing is added when it is empty. Only the build stage trusts it.
ARG EXTRA_CA_CERTS=""
RUN if [ -n "$EXTRA_CA_CERTS" ]; then \
      printf '%s\n' "$EXTRA_CA_CERTS" > /tmp/extra-ca.pem \
   && mkdir -p /usr/local/share/ca-certificates \
   && csplit -s -z -f /usr/local/share/ca-certificates/extra-ca- -b '%02d.crt' /tmp/extra-ca.pem '/-----BEGIN CERTIFICATE-----/' '{*}' \
   && (command -v update-ca-certificates >/dev/null && update-ca-certificates >/dev/null || true) \
   && for cert in /usr/local/share/ca-certificates/extra-ca-*.crt; do \
        keytool -importcert -cacerts -noprompt -storepass changeit -alias "$(basename "$cert")" -file "$cert" >/dev/null 2>&1 || true; \
      done; \
    fi
WORKDIR /src
# Dependencies first, so they stay cached while only the sources change.
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline -DexcludeReactor=true || true
COPY src src
RUN ./mvnw -B -q -DskipTests -DskipFuzzRegression package \
 && mkdir -p /layers \
 && java -Djarmode=tools -jar target/handshake-service-*.jar extract --layers --launcher --destination /layers

FROM ${RUNTIME_IMAGE}
LABEL org.opencontainers.image.title="handshake-service" \
      org.opencontainers.image.description="TLS handshake-as-a-service: REST handshake API and TLS termination proxy"
# A fixed, unprivileged user: the service needs no privileges (its ports are above 1024).
RUN (getent group 10001 || groupadd --system --gid 10001 handshake) \
 && (getent passwd 10001 || useradd --system --uid 10001 --gid 10001 --home-dir /app --shell /usr/sbin/nologin handshake)
WORKDIR /app
# Spring Boot's layers, least to most frequently changed, so a code change rebuilds only the last layer.
COPY --from=build --chown=10001:10001 /layers/dependencies/ ./
COPY --from=build --chown=10001:10001 /layers/spring-boot-loader/ ./
COPY --from=build --chown=10001:10001 /layers/snapshot-dependencies/ ./
COPY --from=build --chown=10001:10001 /layers/application/ ./
USER 10001:10001
# API, TLS termination listener, management (Actuator)
EXPOSE 8080 8443 8081
# Container-aware heap sizing: a share of the container's memory limit instead of the host's.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError"
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${MANAGEMENT_PORT:-8081} && printf 'GET /actuator/health HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q '\"UP\"' <&3"]
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
