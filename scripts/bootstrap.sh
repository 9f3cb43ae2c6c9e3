#!/usr/bin/env bash
# Installs the Debian packages techmatch needs (only those missing), configures,
# builds, and then runs the demo or the test suite.
#
#   scripts/bootstrap.sh demo     # install + build + run the demo
#   scripts/bootstrap.sh test     # install + build + run every test
#   scripts/bootstrap.sh build    # install + build only
#   scripts/bootstrap.sh serve    # install + build + serve the example data
#                                 # (http://127.0.0.1:8080/, TECHMATCH_PORT)
#
# Environment:
#   TECHMATCH_BUILD_DIR   build directory (default: build)
#   TECHMATCH_BUILD_TYPE  CMake build type (default: RelWithDebInfo, here with
#                         line tables only, -O2 -g1: file and line in perf
#                         and backtraces, compiled ~35% faster than -g)
#   TECHMATCH_SANITIZE    e.g. address,undefined (default: none)
#   TECHMATCH_JOBS        parallel build jobs (default: nproc)
set -euo pipefail

mode=${1:-build}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${TECHMATCH_BUILD_DIR:-$root/build}
build_type=${TECHMATCH_BUILD_TYPE:-RelWithDebInfo}
jobs=${TECHMATCH_JOBS:-$(nproc)}

# Everything needed to build, test and benchmark.
packages=(cmake g++ make pkg-config python3
          libfaiss-dev libeigen3-dev libicu-dev catch2 libopenblas-dev
          nlohmann-json3-dev libbenchmark-dev libcli11-dev libhnswlib-dev
          libxapian-dev liblemon-dev coinor-libclp-dev
          libcpp-httplib-dev wrk haproxy
          chromium chromium-driver python3-selenium fonts-noto-cjk
          python3-dev python3-pybind11 python3-dask python3-distributed
          clang libclang-rt-14-dev libomp-dev)  # CI's fuzzers and sanitizers

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp)
  if ! { "${sudo_cmd[@]}" apt-get update -qq &&
         "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
           "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "bootstrap: apt-get failed" >&2
    exit 1
  fi
  rm -f "$log"
fi

cmake_args=(-S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE="$build_type")
if [ "$build_type" = RelWithDebInfo ]; then
  cmake_args+=("-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG"
               "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG")
fi
if [ -n "${TECHMATCH_SANITIZE:-}" ]; then
  cmake_args+=(-DTECHMATCH_SANITIZE="$TECHMATCH_SANITIZE")
fi
cmake "${cmake_args[@]}" >/dev/null
cmake --build "$build_dir" -j "$jobs"

case "$mode" in
  build) ;;
  demo)
    "$build_dir/bin/techmatch-demo" "$root/examples/data"
    ;;
  serve)
    # The example data, indexed once into the build directory (writes made
    # through the service persist there), served until Ctrl-C.
    index="$build_dir/example-index"
    if [ ! -f "$index/CURRENT" ]; then
      "$build_dir/bin/techmatch" index --records "$root/examples/data/supply.jsonl" \
        --records "$root/examples/data/demand.jsonl" \
        --dict "$root/examples/data/tech_terms.txt" --out "$index"
    fi
    exec "$build_dir/bin/techmatch" serve --index "$index" --port "${TECHMATCH_PORT:-8080}"
    ;;
  test)
    # ASan/UBSan must turn every finding into a failure.
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
    ctest --test-dir "$build_dir" --output-on-failure -j "$jobs"
    ;;
  *)
    echo "usage: $0 [demo|test|build|serve]" >&2
    exit 2
    ;;
esac
