#!/usr/bin/env bash
# Independent check of the sample PKI with NSS (the library poppler's pdfsig validates with):
# signs a one-page PDF with each sample seal certificate via `pdfsig -add-signature` and
# prints what `pdfsig` says about the result. Needs poppler-utils, libnss3-tools, qpdf.
# Expected: rsa/ecdsa "Signature is Valid" + "Certificate is Trusted"; expired
# "Certificate has Expired"; untrusted "Certificate issuer is unknown".
set -euo pipefail
C="$(cd "$(dirname "$0")" && pwd)"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
cd "$W"
printf '%%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R/Size 4>>\n%%%%EOF\n' > raw.pdf
# qpdf rebuilds the hand-written file with a correct xref table.
qpdf --empty --pages raw.pdf -- in.pdf 2>/dev/null || [ $? -eq 3 ]
mkdir db
certutil -N --empty-password -d sql:db
certutil -A -d sql:db -n sample-root -t "CT,C,C" -i "$C/sample-root-ca.crt"
for k in rsa ecdsa expired untrusted; do
  pk12util -i "$C/sample-seal-$k.pfx" -d sql:db -W sample -K '' >/dev/null
  pdfsig -add-signature -nssdir sql:db -nick "sample-seal-$k" in.pdf "out-$k.pdf" 2>/dev/null || true
  echo "sample-seal-$k:"
  # pdfsig exits non-zero for an untrusted or expired signer, which is what we want to see.
  pdfsig -nssdir sql:db "out-$k.pdf" 2>/dev/null | grep -E "Signature Validation|Certificate Validation" || true
done
