#!/usr/bin/env bash
# Brings the compose stack up through the local container engine, sends HTTPS through the TLS termination proxy to the
# demo upstream and a request to the REST API, then takes the stack down. Run by .ci/run after the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
project=handshake-smoke
certs=docker/certs
[ -f "$certs/session.env" ] || docker/gen-certs.sh "$certs" >/dev/null

# podman on this machine has no systemd timer for health checks; run them ourselves so that compose's
# "condition: service_healthy" and the image's HEALTHCHECK mean what they say.
drive_health_checks() {
  while true; do
    for container in $(podman ps --filter "label=com.docker.compose.project=$project" --format '{{.Names}}'); do
      podman healthcheck run "$container" >/dev/null 2>&1 || true
    done
    sleep 2
  done
}
drive_health_checks & health_driver=$!
cleanup() {
  kill "$health_driver" 2>/dev/null || true
  docker-compose -p "$project" down -v --remove-orphans >/dev/null 2>&1 || true
}
trap cleanup EXIT

docker-compose -p "$project" build
docker-compose -p "$project" up -d
for _ in $(seq 1 60); do
  if curl -fsS http://127.0.0.1:8081/actuator/health 2>/dev/null | grep -q '"UP"'; then break; fi
  sleep 2
done
curl -fsS http://127.0.0.1:8081/actuator/health
echo
# TLS through the proxy to the upstream, verified against the compose test CA, TLS 1.3 and TLS 1.2
curl -fsS --cacert "$certs/ca.crt" --tlsv1.3 https://localhost:8443/ | grep -qi "nginx"
curl -fsS --cacert "$certs/ca.crt" --tlsv1.2 --tls-max 1.2 https://localhost:8443/ | grep -qi "nginx"
# the REST API answers
curl -fsS -X POST -H 'Content-Type: application/json' -d '{"mode":"walkthrough"}' http://127.0.0.1:8080/api/v1/sessions >/dev/null
echo "compose smoke test passed: TLS 1.3 and TLS 1.2 through the proxy, REST API up"
