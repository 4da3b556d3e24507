#!/usr/bin/env bash
# Generates a throwaway test CA and a server and a client certificate (RSA-2048) as PEM files for docker-compose:
#   docker/gen-certs.sh [DIR]   (default docker/certs)
# ca.crt, server.crt (chain: server then CA), server.key (PKCS#8), client.crt, client.key, and session.env (a random
# key for encrypting sessions at rest in Redis). For testing only: put real
# certificates in the same places for anything else. Keys are made readable for the container's user (uid 10001).
set -euo pipefail
dir=${1:-$(dirname "$0")/certs}
mkdir -p "$dir"
cd "$dir"
openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out ca.key
openssl req -x509 -new -key ca.key -subj "/CN=handshake-service test CA" -days 825 -sha256 \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.crt
issue() { # name, subject, extensions
  openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key"
  openssl req -new -key "$1.key" -subj "$2" -out "$1.csr"
  printf '%s\n' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 397 -sha256 -extfile "$1.ext" -out "$1.leaf.crt" 2>/dev/null
  cat "$1.leaf.crt" ca.crt > "$1.crt"
  rm -f "$1.csr" "$1.ext" "$1.leaf.crt"
}
issue server "/CN=localhost" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,DNS:handshake-service,IP:127.0.0.1"
issue client "/CN=compose client" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth"
rm -f ca.srl
# the key that encrypts sessions at rest in Redis (AES-256-GCM); every replica must share it
printf 'HANDSHAKE_SESSION_ENCRYPTION_KEYS_K1=%s\nHANDSHAKE_SESSION_ENCRYPTION_CURRENTKEYID=k1\n' \
  "$(openssl rand -base64 32)" > session.env
chmod 0644 ./*.crt ./*.key
chmod 0600 session.env
chmod 0600 ca.key
echo "certificates in $dir"
