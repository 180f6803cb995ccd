#!/usr/bin/env bash
# `make test` with DATABASE_URL set: the SQLite and the PostgreSQL runs side by side, one per
# core (docs/performance.md, "Thời gian CI"). Each writes its own log (var/test-logs/), shown
# whole once both are done; the exit status fails when either run fails. The two share no
# file, directory or port: each has its own TOCHUC_VAR_DIR, Hypothesis database and pytest
# temporary directory (Makefile, test-sqlite / test-postgres); live servers and the replica
# test take free ports.
set -uo pipefail
MAKE_CMD="${MAKE:-make}"
LOGS="${TEST_LOGS:-var/test-logs}"
mkdir -p "$LOGS"
rm -f "$LOGS"/sqlite.log "$LOGS"/postgres.log

run() {  # name target: runs `make target`, its output in $LOGS/name.log, its wall time after
  local name=$1 target=$2 start=$SECONDS status
  "$MAKE_CMD" --no-print-directory "$target" >"$LOGS/$name.log" 2>&1
  status=$?
  echo "$name: exit $status after $((SECONDS - start)) s" >>"$LOGS/$name.log"
  echo "[$(date +%H:%M:%S)] $name finished: exit $status after $((SECONDS - start)) s"
  return "$status"
}

echo "[$(date +%H:%M:%S)] SQLite and PostgreSQL runs started side by side (logs: $LOGS/)."
run sqlite test-sqlite &
SQLITE=$!
run postgres test-postgres &
POSTGRES=$!
wait "$SQLITE"
SQLITE_STATUS=$?
wait "$POSTGRES"
POSTGRES_STATUS=$?

for name in sqlite postgres; do
  echo
  echo "==================================== $name ($LOGS/$name.log)"
  cat "$LOGS/$name.log"
done
echo
echo "SQLite: exit $SQLITE_STATUS; PostgreSQL: exit $POSTGRES_STATUS."
[ "$SQLITE_STATUS" -eq 0 ] && [ "$POSTGRES_STATUS" -eq 0 ]
