#!/usr/bin/env bash
# Make sure a PostgreSQL server runs on 127.0.0.1:5432 with a role the fx-bureau tests can use
# (fxtest/fxtest, allowed to create databases and to ask for a checkpoint). Safe to repeat. Needs root (or sudo) the first time.
set -euo pipefail
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo -n"
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "PostgreSQL is not installed (scripts/install-system-packages.sh installs it); its tests will be skipped." >&2
  exit 0
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  version=$(ls /etc/postgresql | sort -V | tail -1)
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
$SUDO runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -d postgres <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fxtest') THEN
    CREATE ROLE fxtest LOGIN PASSWORD 'fxtest' CREATEDB;
  END IF;
  -- the upload benchmark asks for a checkpoint before it times anything (bench/sync.py settle_database)
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'pg_checkpoint') THEN
    GRANT pg_checkpoint TO fxtest;
  END IF;
END $$;
SQL
