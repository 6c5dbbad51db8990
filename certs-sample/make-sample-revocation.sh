#!/usr/bin/env bash
# Adds the SAMPLE revocation material to an existing sample PKI (made by make-sample-pki.sh):
#   sample-ocsp.crt/.pfx           OCSP responder certificate (EKU OCSPSigning, id-pkix-ocsp-nocheck),
#                                  issued by the intermediate CA, so it may answer for its certificates
#   sample-seal-revoked.crt/.pfx   a seal certificate the intermediate CA has revoked
#   sample-intermediate-ca.crl     the intermediate CA's CRL (lists sample-seal-revoked)
#   sample-root-ca.crl             the root CA's CRL (empty: the intermediate is good)
#   sample-revoked.txt             what the `ocsp` verb reads: "SERIAL-HEX REVOCATION-TIME" per line
# It reuses the CA keys in the committed .pfx files, so the certificates already in use keep working.
# Both CRLs are valid for 10 years (nextUpdate), long enough for tests and the demo.
# Usage: certs-sample/make-sample-revocation.sh [pki-dir]   (default: the folder of this script)
set -euo pipefail

DIR="$(cd "${1:-$(dirname "$0")}" && pwd)"
PASS="sample"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

for ca in sample-root-ca sample-intermediate-ca; do
  openssl pkcs12 -in "$DIR/$ca.pfx" -passin "pass:$PASS" -nocerts -nodes -out "$ca.key" 2>/dev/null
  cp "$DIR/$ca.crt" "$ca.crt"
done

cat > ca.cnf <<'CNF'
[ ca ]
default_ca = sample_ca
[ sample_ca ]
dir = .
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
crlnumber = $dir/crlnumber
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
default_crl_days = 3650
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
# RFC 6960 4.2.2.2: a delegated responder carries id-kp-OCSPSigning; ocsp-nocheck (4.2.2.2.1)
# tells clients not to ask about the responder itself.
[ v3_ocsp ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, OCSPSigning
noCheck = ignored
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_seal ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = 1.3.6.1.5.5.7.3.36, 1.2.840.113583.1.1.5, emailProtection
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ crl_ext ]
authorityKeyIdentifier = keyid:always
CNF

START="$(date -u -d '-1 day' +%Y%m%d%H%M%SZ)"
END="$(date -u -d '+10 years' +%Y%m%d%H%M%SZ)"
O="/O=SealPortal SAMPLE (not for production)"

# One CA database per issuer, so each CRL lists only what that issuer revoked.
mkdir -p int root
for d in int root; do mkdir -p "$d/newcerts"; : > "$d/index.txt"; echo 1000 > "$d/crlnumber"; cp ca.cnf "$d/"; done

issue() { # issue NAME SUBJECT EXT
  local name=$1 subj=$2 ext=$3
  openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$name.key"
  openssl req -new -config ca.cnf -key "$name.key" -subj "$subj" -out "$name.csr"
  openssl rand -hex 16 | sed 's/^/7/' | cut -c1-32 > int/serial
  (cd int && openssl ca -batch -config ca.cnf -cert ../sample-intermediate-ca.crt -keyfile ../sample-intermediate-ca.key \
    -in "../$name.csr" -extensions "$ext" -startdate "$START" -enddate "$END" -notext -out "../$name.crt" 2>/dev/null)
  openssl pkcs12 -export -inkey "$name.key" -in "$name.crt" -certfile <(cat sample-intermediate-ca.crt sample-root-ca.crt) \
    -name "$name" -passout "pass:$PASS" -out "$name.pfx"
}

issue sample-ocsp "$O/OU=Revocation/CN=SealPortal SAMPLE OCSP Responder" v3_ocsp
issue sample-seal-revoked "$O/OU=Seals/CN=SAMPLE Revoked Seal" v3_seal

(cd int && openssl ca -config ca.cnf -cert ../sample-intermediate-ca.crt -keyfile ../sample-intermediate-ca.key \
  -revoke ../sample-seal-revoked.crt -crl_reason keyCompromise 2>/dev/null)
(cd int && openssl ca -gencrl -config ca.cnf -cert ../sample-intermediate-ca.crt -keyfile ../sample-intermediate-ca.key \
  -crlexts crl_ext -out ../sample-intermediate-ca.crl.pem 2>/dev/null)
(cd root && openssl ca -gencrl -config ca.cnf -cert ../sample-root-ca.crt -keyfile ../sample-root-ca.key \
  -crlexts crl_ext -out ../sample-root-ca.crl.pem 2>/dev/null)
openssl crl -in sample-intermediate-ca.crl.pem -outform DER -out sample-intermediate-ca.crl
openssl crl -in sample-root-ca.crl.pem -outform DER -out sample-root-ca.crl

# The responder's list: the revoked certificate's serial and the moment openssl recorded (index.txt field 3, YYMMDDHHMMSSZ).
awk -F'\t' '$1=="R" { print $4, "20" substr($3,1,2) "-" substr($3,3,2) "-" substr($3,5,2) "T" substr($3,7,2) ":" substr($3,9,2) ":" substr($3,11,2) "Z" }' int/index.txt > sample-revoked.txt

cp sample-ocsp.crt sample-ocsp.pfx sample-seal-revoked.crt sample-seal-revoked.pfx \
   sample-intermediate-ca.crl sample-root-ca.crl sample-revoked.txt "$DIR/"

# Self-check: the CRL is signed by the intermediate and lists the revoked certificate; openssl agrees.
cd "$DIR"
openssl crl -inform DER -in sample-intermediate-ca.crl -noout -CAfile <(cat sample-intermediate-ca.crt sample-root-ca.crt) 2>&1 | grep -q "verify OK"
openssl verify -crl_check -CRLfile <(openssl crl -inform DER -in sample-intermediate-ca.crl) \
  -CAfile sample-root-ca.crt -untrusted sample-intermediate-ca.crt sample-seal-rsa.crt >/dev/null
if openssl verify -crl_check -CRLfile <(openssl crl -inform DER -in sample-intermediate-ca.crl) \
  -CAfile sample-root-ca.crt -untrusted sample-intermediate-ca.crt sample-seal-revoked.crt >/dev/null 2>&1; then
  echo "sample-seal-revoked.crt is not reported as revoked" >&2; exit 1
fi
echo "sample revocation material written to $DIR"
