#!/bin/sh
# Regenerates the emulator's test CA and loopback server certificate (used only by tests).
# Run from anywhere: sh test/emulator/tls/make-certs.sh
# Trust in Node: NODE_EXTRA_CA_CERTS=test/emulator/tls/ca.pem
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
days=36525 # 100 years
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$days" \
  -keyout "$tmp/ca-key.pem" -out ca.pem \
  -subj "/CN=ICE SSO Assistant test CA (emulator only)" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "subjectKeyIdentifier=hash"
openssl req -new -newkey rsa:2048 -nodes -sha256 \
  -keyout server-key.pem -out "$tmp/server.csr" \
  -subj "/CN=localhost"
cat > "$tmp/ext.cnf" <<'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost
authorityKeyIdentifier=keyid
subjectKeyIdentifier=hash
EXT
openssl x509 -req -sha256 -days "$days" -in "$tmp/server.csr" \
  -CA ca.pem -CAkey "$tmp/ca-key.pem" -CAcreateserial -CAserial "$tmp/ca.srl" \
  -extfile "$tmp/ext.cnf" -out server.pem
# The CA key is thrown away: nobody can sign anything else with this CA.
openssl verify -CAfile ca.pem server.pem
