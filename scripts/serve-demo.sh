#!/usr/bin/env bash
# `make demo`: the web server and one background worker (imports, summary refreshes) side
# by side; Ctrl+C stops both. Production runs workers as their own service (docs/van-hanh.md).
set -euo pipefail
BIN="${BIN:-.venv/bin}"
ADDRESS="${1:-127.0.0.1:8000}"

nice -n 10 "$BIN/tochuc" db_worker --queue-name '*' --no-reload -v 0 &  # after the pages
WORKER=$!
stop() {
  trap - INT TERM EXIT
  kill -TERM "$WORKER" 2>/dev/null || true
  wait "$WORKER" 2>/dev/null || true
}
trap stop INT TERM EXIT
# --noreload: the demo runs released code; the autoreloader would start Django a second time
# (one more second or two before the first page, docs/performance.md).
"$BIN/tochuc" runserver --noreload "$ADDRESS"
