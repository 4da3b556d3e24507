#!/usr/bin/env bash
# Decrypt a capture of the TLS proxy with its key log, by hand (what KeyLogCaptureTest automates).
# Needs: tshark (apt-get install tshark), root or capture rights on loopback, curl, a built jar.
# Usage: scripts/keylog-capture.sh [proxy-port]   (the service must run with the key log on, see below)
#
#   java -jar target/handshake-service-*.jar \
#        --handshake.observability.key-log.enabled=true \
#        --handshake.observability.key-log.file=/tmp/sslkeys.log
set -euo pipefail
port="${1:-8443}"
keylog="${KEYLOG:-/tmp/sslkeys.log}"
pcap="$(mktemp --suffix=.pcapng)"

tshark -i lo -f "tcp port ${port}" -w "${pcap}" >/dev/null 2>&1 &
tshark_pid=$!
sleep 2
curl -sk --tlsv1.2 --tls-max 1.2 "https://localhost:${port}/v3/api-docs?tls12" >/dev/null
curl -sk --tlsv1.3 "https://localhost:${port}/v3/api-docs?tls13" >/dev/null
sleep 1
kill "${tshark_pid}"
wait "${tshark_pid}" || true

echo "HTTP requests readable with ${keylog}:"
tshark -r "${pcap}" -d "tcp.port==${port},tls" -o "tls.keylog_file:${keylog}" \
       -Y http.request -T fields -e tls.record.version -e http.request.uri
