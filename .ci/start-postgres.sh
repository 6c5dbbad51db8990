#!/usr/bin/env bash
# Starts a throw-away PostgreSQL 15 cluster on 127.0.0.1 for the test run and prints the
# connection string. PostgreSQL refuses to run as root, so the cluster belongs to the
# 'postgres' system user that the Debian package creates.
set -euo pipefail
PORT="${SEALPORTAL_PG_PORT:-55432}"
DIR="${SEALPORTAL_PG_DIR:-/tmp/sealportal-pg}"
BIN=/usr/lib/postgresql/15/bin
run_as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }

if ! run_as_pg "$BIN/pg_ctl -D $DIR status" >/dev/null 2>&1; then
  rm -rf "$DIR"
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
  run_as_pg "$BIN/initdb -D $DIR -U sealportal --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
  run_as_pg "$BIN/pg_ctl -D $DIR -o '-c listen_addresses=127.0.0.1 -p $PORT -k /tmp' -l $DIR/server.log -w start" >/dev/null
fi
echo "Host=127.0.0.1;Port=$PORT;Username=sealportal;Database=postgres"
