#!/usr/bin/env bash
# Fetch the front-end libraries from the npm registry at pinned versions and copy the
# files the app serves into tochuc/static/vendor/ (committed: the app runs offline).
set -euo pipefail
cd "$(dirname "$0")/.."
dest=tochuc/static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fetch() { (cd "$work" && npm pack --silent "$1" >/dev/null && tar xzf ./*.tgz && rm ./*.tgz && mv package "$2"); }
fetch bootstrap@5.3.8 bootstrap
fetch bootstrap-icons@1.13.1 bootstrap-icons
fetch htmx.org@2.0.7 htmx
fetch chart.js@4.5.1 chartjs
rm -rf "$dest" && mkdir -p "$dest"/{bootstrap,bootstrap-icons/fonts,htmx,chartjs}
cp "$work"/bootstrap/dist/css/bootstrap.min.css "$work"/bootstrap/dist/js/bootstrap.bundle.min.js "$dest"/bootstrap/
cp "$work"/bootstrap/LICENSE "$dest"/bootstrap/LICENSE
cp "$work"/bootstrap-icons/font/bootstrap-icons.min.css "$dest"/bootstrap-icons/
cp "$work"/bootstrap-icons/font/fonts/bootstrap-icons.woff2 "$dest"/bootstrap-icons/fonts/
cp "$work"/bootstrap-icons/LICENSE "$dest"/bootstrap-icons/LICENSE
cp "$work"/htmx/dist/htmx.min.js "$dest"/htmx/
cp "$work"/htmx/LICENSE "$dest"/htmx/LICENSE
cp "$work"/chartjs/dist/chart.umd.min.js "$dest"/chartjs/ 2>/dev/null || cp "$work"/chartjs/dist/chart.umd.js "$dest"/chartjs/chart.umd.min.js
cp "$work"/chartjs/LICENSE.md "$dest"/chartjs/LICENSE.md
# bootstrap-icons.min.css also names a .woff fallback; keep only woff2.
sed -i 's#,url("fonts/bootstrap-icons.woff?[^"]*") format("woff")##' "$dest"/bootstrap-icons/bootstrap-icons.min.css
(cd "$dest" && find . -type f ! -name 'SHA256SUMS' -print0 | sort -z | xargs -0 sha256sum > SHA256SUMS)
echo "vendored into $dest"
