#!/usr/bin/env bash
# Makes the SAMPLE PKI used by tests and the demo: a root CA, an intermediate CA, seal
# certificates (RSA-3072, ECDSA P-256), a TSA certificate, an expired seal certificate and
# a self-signed "untrusted" seal certificate. Every .pfx uses the password "sample".
# These keys are public (committed to git): never use them for anything real.
#
# Re-runnable: every run replaces all sample-* files in this folder with fresh keys.
# Usage: certs-sample/make-sample-pki.sh [output-dir]   (default: the folder of this script)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
OUT="${1:-$SCRIPT_DIR}"
PASS="sample"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Dates are explicit so the CAs already cover the expired certificate's lifetime (2020),
# which lets tests validate "signed in 2020 while the certificate was still valid".
CA_START="20190101000000Z"
ROOT_END="20460101000000Z"
INT_END="20410101000000Z"
LEAF_START="$(date -u -d '-1 day' +%Y%m%d%H%M%SZ)"
LEAF_END="$(date -u -d '+10 years' +%Y%m%d%H%M%SZ)"
EXPIRED_START="20200101000000Z"
EXPIRED_END="20210101000000Z"

cat > "$WORK/ca.cnf" <<'CNF'
[ ca ]
default_ca = sample_ca

[ sample_ca ]
dir = .
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no

[ policy_any ]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied

[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = placeholder

[ v3_root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ v3_intermediate ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

# NSS (used by poppler's pdfsig) validates signers with the "email signer" usage, so an EKU
# list must include emailProtection; id-kp-documentSigning (RFC 9336) and Adobe's
# authentic-documents-trust OID say what the certificate is really for.
[ v3_seal ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = 1.3.6.1.5.5.7.3.36, 1.2.840.113583.1.1.5, emailProtection
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ v3_untrusted ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = 1.3.6.1.5.5.7.3.36, 1.2.840.113583.1.1.5, emailProtection
subjectKeyIdentifier = hash

# RFC 3161 section 2.3: the TSA certificate has exactly one EKU, timeStamping, marked critical.
[ v3_tsa ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
CNF

cd "$WORK"
mkdir -p newcerts
: > index.txt

rsa_key() { openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$1.key"; }
ec_key() { openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"; }

# issue NAME SUBJECT EXT ISSUER_NAME START END  (ISSUER_NAME "self" = self-signed)
issue() {
  local name=$1 subj=$2 ext=$3 issuer=$4 start=$5 end=$6
  openssl req -new -config ca.cnf -key "$name.key" -subj "$subj" -out "$name.csr"
  # A random 16-byte serial per certificate keeps re-runs from reusing serial numbers.
  openssl rand -hex 16 | sed 's/^/7/' | cut -c1-32 > serial
  if [ "$issuer" = self ]; then
    openssl ca -batch -config ca.cnf -selfsign -keyfile "$name.key" -in "$name.csr" \
      -extensions "$ext" -startdate "$start" -enddate "$end" -notext -out "$name.crt" 2>/dev/null
  else
    openssl ca -batch -config ca.cnf -cert "$issuer.crt" -keyfile "$issuer.key" -in "$name.csr" \
      -extensions "$ext" -startdate "$start" -enddate "$end" -notext -out "$name.crt" 2>/dev/null
  fi
}

# pfx NAME FRIENDLY CHAIN_FILES...: key + certificate + issuers, AES-256/SHA-256 protected.
pfx() {
  local name=$1 friendly=$2; shift 2
  if [ $# -gt 0 ]; then cat "$@" > "$name.chain.pem"; else : > "$name.chain.pem"; fi
  if [ -s "$name.chain.pem" ]; then
    openssl pkcs12 -export -inkey "$name.key" -in "$name.crt" -certfile "$name.chain.pem" \
      -name "$friendly" -passout "pass:$PASS" -out "$name.pfx"
  else
    openssl pkcs12 -export -inkey "$name.key" -in "$name.crt" \
      -name "$friendly" -passout "pass:$PASS" -out "$name.pfx"
  fi
}

O="/O=SealPortal SAMPLE (not for production)"

rsa_key sample-root-ca
issue sample-root-ca "$O/CN=SealPortal SAMPLE Root CA" v3_root self "$CA_START" "$ROOT_END"

rsa_key sample-intermediate-ca
issue sample-intermediate-ca "$O/CN=SealPortal SAMPLE Intermediate CA" v3_intermediate sample-root-ca "$CA_START" "$INT_END"

rsa_key sample-seal-rsa
issue sample-seal-rsa "$O/OU=Seals/CN=SAMPLE Company Seal (RSA)" v3_seal sample-intermediate-ca "$LEAF_START" "$LEAF_END"

ec_key sample-seal-ecdsa
issue sample-seal-ecdsa "$O/OU=Seals/CN=SAMPLE Company Seal (ECDSA)" v3_seal sample-intermediate-ca "$LEAF_START" "$LEAF_END"

rsa_key sample-tsa
issue sample-tsa "$O/OU=Time-Stamping/CN=SealPortal SAMPLE TSA" v3_tsa sample-intermediate-ca "$LEAF_START" "$LEAF_END"

rsa_key sample-seal-expired
issue sample-seal-expired "$O/OU=Seals/CN=SAMPLE Expired Seal" v3_seal sample-intermediate-ca "$EXPIRED_START" "$EXPIRED_END"

rsa_key sample-seal-untrusted
issue sample-seal-untrusted "/O=Nobody SAMPLE (untrusted)/CN=SAMPLE Untrusted Self-Signed Seal" v3_untrusted self "$LEAF_START" "$LEAF_END"

pfx sample-root-ca "sample-root-ca"
pfx sample-intermediate-ca "sample-intermediate-ca" sample-root-ca.crt
for n in sample-seal-rsa sample-seal-ecdsa sample-tsa sample-seal-expired; do
  pfx "$n" "$n" sample-intermediate-ca.crt sample-root-ca.crt
done
pfx sample-seal-untrusted "sample-seal-untrusted"

cat sample-intermediate-ca.crt sample-root-ca.crt > sample-chain.crt

mkdir -p "$OUT"
rm -f "$OUT"/sample-*.crt "$OUT"/sample-*.pfx
cp sample-*.pfx "$OUT"/
for n in sample-root-ca sample-intermediate-ca sample-seal-rsa sample-seal-ecdsa sample-tsa \
         sample-seal-expired sample-seal-untrusted sample-chain; do
  cp "$n.crt" "$OUT/$n.crt"
done

# Self-check: every chained certificate verifies against the root (the expired one at a 2020 date).
cd "$OUT"
for n in sample-seal-rsa sample-seal-ecdsa sample-tsa; do
  openssl verify -CAfile sample-root-ca.crt -untrusted sample-intermediate-ca.crt "$n.crt" >/dev/null
done
openssl verify -attime 1590000000 -CAfile sample-root-ca.crt -untrusted sample-intermediate-ca.crt sample-seal-expired.crt >/dev/null
openssl pkcs12 -in sample-seal-rsa.pfx -passin "pass:$PASS" -noout
# The revocation material (OCSP responder, revoked seal, CRLs) is issued by the CAs just made.
"$SCRIPT_DIR/make-sample-revocation.sh" "$OUT"
"$SCRIPT_DIR/make-sample-dataprotection.sh" "$OUT"
echo "sample PKI written to $OUT"
