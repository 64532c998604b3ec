# Sourced by .ci/run: a throwaway PostgreSQL server on 127.0.0.1 for the Dagster-instance test.
# Installs Debian's postgresql if missing, starts a fresh cluster in a temp dir, exports
# NEWSGRAPH_TEST_POSTGRES, and stops the server by PID when the calling script exits.
start_test_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    (apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql >/dev/null) || {
      echo "warning: could not install postgresql; the PostgreSQL instance test will skip"; return 0; }
  fi
  local bin port
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  port=55432
  PG_TEST_DIR=$(mktemp -d /tmp/newsgraph-pg.XXXXXX)
  chown postgres "$PG_TEST_DIR"
  runuser -u postgres -- "$bin/initdb" -D "$PG_TEST_DIR/data" -A trust -U postgres >/dev/null
  runuser -u postgres -- "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w \
    -o "-h 127.0.0.1 -p $port -k $PG_TEST_DIR" start >/dev/null
  PG_TEST_PID=$(head -n 1 "$PG_TEST_DIR/data/postmaster.pid")
  export NEWSGRAPH_TEST_POSTGRES="postgresql://postgres@127.0.0.1:$port/postgres"
  trap stop_test_postgres EXIT
  echo "PostgreSQL for tests on 127.0.0.1:$port (pid $PG_TEST_PID)"
}

stop_test_postgres() {
  if [ -n "${PG_TEST_PID:-}" ]; then
    kill "$PG_TEST_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$PG_TEST_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  [ -n "${PG_TEST_DIR:-}" ] && rm -rf "$PG_TEST_DIR"
}
