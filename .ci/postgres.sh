#!/usr/bin/env bash
# Installs PostgreSQL from Debian's packages when missing, starts a throwaway cluster on a local
# port and prints the URL the tests use (TALENTFLOW_TEST_POSTGRES).
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >/dev/null 2>&1
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
dir=$(mktemp -d /tmp/talentflow-pg.XXXXXX)
chown postgres "$dir"
port=${TALENTFLOW_PG_PORT:-55432}
runuser -u postgres -- "$bin/initdb" -D "$dir/data" -A trust -U postgres >/dev/null
runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=127.0.0.1" -l "$dir/log" -w start >/dev/null
runuser -u postgres -- "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres talentflow_test
echo "postgresql+psycopg://postgres@127.0.0.1:$port/talentflow_test"
