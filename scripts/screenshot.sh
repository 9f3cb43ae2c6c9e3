#!/usr/bin/env bash
# Regenerates docs/screenshot.png: the operator page in headless Chromium
# over the example data, after /?q=钒电池电解液低成本制备 (the browser test
# in --screenshot mode). Needs a build (scripts/bootstrap.sh build).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${TECHMATCH_BUILD_DIR:-$root/build}
python3 "$root/tests/browser_test.py" "$build_dir/bin/techmatch" "$root/examples/data" \
  --screenshot "$root/docs/screenshot.png"
echo "wrote $root/docs/screenshot.png"
