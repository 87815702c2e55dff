#!/bin/sh
# make-certs.sh DIR: a throwaway PKI for the TLS tests, made with openssl.
#   ca.pem            the trusted test CA (ca.key)
#   good.pem/.key     127.0.0.1 + localhost, signed by ca.pem
#   wrongname.pem/.key  only "wrong.invalid", signed by ca.pem
#   expired.pem/.key  127.0.0.1 + localhost, signed by ca.pem, expired in 2020
#   other-ca.pem      a CA nobody trusts
#   unknown.pem/.key  127.0.0.1 + localhost, signed by other-ca.pem
# Keys are EC P-256 (fast); nothing here is ever used outside the tests.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
dir=$1
mkdir -p "$dir"
cd "$dir"

ca () # NAME SUBJECT
{
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$1.key" -out "$1.pem" -days 2 -subj "$2" \
    -addext basicConstraints=critical,CA:TRUE \
    -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}

# leaf NAME CA SAN [STARTDATE ENDDATE]
leaf ()
{
  name=$1 issuer=$2 san=$3
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$name.key" -out "$name.csr" -subj "/CN=${san#*:}" 2>/dev/null
  cat > "$name.ext" <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=$san
EXT
  if [ $# -ge 5 ]; then
    # "openssl ca" is the only openssl 3.0 tool that takes explicit dates.
    mkdir -p "ca-$name"
    : > "ca-$name/index.txt"
    cat > "ca-$name/ca.cnf" <<CNF
[ca]
default_ca = d
[d]
database = ca-$name/index.txt
new_certs_dir = ca-$name
serial = ca-$name/serial
default_md = sha256
policy = p
copy_extensions = none
unique_subject = no
[p]
commonName = supplied
CNF
    echo 01 > "ca-$name/serial"
    openssl ca -batch -config "ca-$name/ca.cnf" -cert "$issuer.pem" -keyfile "$issuer.key" \
      -in "$name.csr" -out "$name.pem" -startdate "$4" -enddate "$5" \
      -extfile "$name.ext" -notext 2>/dev/null
  else
    openssl x509 -req -in "$name.csr" -CA "$issuer.pem" -CAkey "$issuer.key" \
      -CAcreateserial -out "$name.pem" -days 2 -extfile "$name.ext" 2>/dev/null
  fi
  rm -f "$name.csr" "$name.ext"
}

ca ca "/CN=ovirt-balloon test CA"
ca other-ca "/CN=Somebody else's CA"
leaf good ca "DNS:localhost,IP:127.0.0.1"
leaf wrongname ca "DNS:wrong.invalid"
leaf expired ca "DNS:localhost,IP:127.0.0.1" 20200101000000Z 20200201000000Z
leaf unknown other-ca "DNS:localhost,IP:127.0.0.1"
