#!/usr/bin/env bash
# Regenerates `.sqlx/`, the offline data of every `sqlx::query!` in the `ku8portal` crate, without
# sqlx-cli. Run it after changing a query or a migration, and commit `.sqlx/`.
#
# How: starts a throwaway PostgreSQL (initdb + pg_ctl in a temporary folder, Unix socket only; as
# the `postgres` user when run as root), applies `migrations/*.sql` in version order with psql
# (each in one transaction, as sqlx does, unless it starts with `-- no-transaction`), then builds
# the crate with SQLX_OFFLINE=false, DATABASE_URL pointing at that server and SQLX_OFFLINE_DIR set:
# the query macros check every query against the live schema and write their data there
# (sqlx-macros-core 0.8, query/mod.rs). The environment's SQLX_OFFLINE=false wins over the
# `SQLX_OFFLINE = "true"` of .cargo/config.toml, which applies only to unset variables.
# The sources are touched first so that every macro runs again. `.sqlx/` is replaced only when the
# build succeeds. Extra arguments go to cargo (e.g. --offline).
#
# Needs: PostgreSQL server binaries (`apt-get install postgresql`), psql, and setpriv when root.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

bindir=""
if command -v pg_config >/dev/null; then
  bindir=$(pg_config --bindir)
fi
if [[ ! -x "$bindir/initdb" || ! -x "$bindir/postgres" ]]; then
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
if [[ ! -x "$bindir/initdb" || ! -x "$bindir/pg_ctl" ]]; then
  echo "sqlx-prepare: no PostgreSQL server binaries found; install them (apt-get install postgresql)" >&2
  exit 1
fi
psql=$bindir/psql
command -v "$psql" >/dev/null || psql=psql

tmp=$(mktemp -d /tmp/ku8portal-sqlx-XXXXXX)
as_pg=()
if [[ $(id -u) == 0 ]]; then
  chmod 0711 "$tmp"
  as_pg=(setpriv --reuid=postgres --regid=postgres --init-groups --)
fi
mkdir "$tmp/data" "$tmp/run" "$tmp/sqlx"
touch "$tmp/postgres.log"
chmod 0700 "$tmp/data" "$tmp/run"
[[ ${#as_pg[@]} == 0 ]] || chown postgres: "$tmp/data" "$tmp/run" "$tmp/postgres.log"

cleanup() {
  if [[ -f $tmp/data/postmaster.pid ]]; then
    "${as_pg[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

started=$(date +%s%N)
"${as_pg[@]}" "$bindir/initdb" -D "$tmp/data" -A trust -U postgres --encoding=UTF8 --no-locale \
  --no-sync >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/postgres.log" -w -s \
  -o "-c listen_addresses='' -k $tmp/run -c fsync=off" start ||
  { cat "$tmp/postgres.log" >&2; exit 1; }

run_psql() { "$psql" -h "$tmp/run" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
run_psql -d postgres -c 'CREATE DATABASE ku8portal'
migrations=0
while IFS= read -r file; do
  single=(--single-transaction)
  head -n 1 "migrations/$file" | grep -q -- '-- no-transaction' && single=()
  run_psql -d ku8portal "${single[@]}" -f "migrations/$file" >/dev/null
  migrations=$((migrations + 1))
done < <(cd migrations && ls -- *.sql 2>/dev/null | sort -n)
echo "sqlx-prepare: server up, $migrations migrations applied in $((($(date +%s%N) - started) / 1000000)) ms"

find server -name '*.rs' -exec touch {} +
DATABASE_URL="postgres://postgres@localhost:5432/ku8portal?host=$tmp/run&sslmode=disable" \
SQLX_OFFLINE=false SQLX_OFFLINE_DIR="$tmp/sqlx" \
  cargo build -p ku8portal --all-targets --locked "$@"

rm -rf "$root/.sqlx"
mkdir "$root/.sqlx"
cp "$tmp/sqlx/"*.json "$root/.sqlx/" 2>/dev/null || true
echo "sqlx-prepare: wrote $(ls "$root/.sqlx" | wc -l) query files to .sqlx/"
