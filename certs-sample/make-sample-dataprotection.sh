#!/usr/bin/env bash
# The SAMPLE certificate that encrypts the portal's data-protection keys in Development and in the
# tests (DataProtection:CertificatePath). Self-signed RSA-3072, password "sample". Not for production.
# Usage: make-sample-dataprotection.sh [out-dir]   (default: this folder)
set -euo pipefail
OUT="${1:-$(cd "$(dirname "$0")" && pwd)}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
openssl req -x509 -newkey rsa:3072 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 7300 \
  -subj "/O=SealPortal SAMPLE/CN=SealPortal SAMPLE data-protection key encryption" \
  -addext "keyUsage=critical,keyEncipherment" >/dev/null 2>&1
openssl pkcs12 -export -inkey "$work/key.pem" -in "$work/cert.pem" -passout pass:sample \
  -out "$OUT/sample-dataprotection.pfx"
openssl pkcs12 -in "$OUT/sample-dataprotection.pfx" -passin pass:sample -noout
echo "wrote $OUT/sample-dataprotection.pfx"
