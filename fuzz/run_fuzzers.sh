#!/usr/bin/env bash
# Runs the libFuzzer targets of a TECHMATCH_FUZZ build, each for a bounded
# time, two at a time (TECHMATCH_JOBS), and fails on the first crash, leak,
# timeout or out-of-memory a target reports.
#
#   fuzz/run_fuzzers.sh BUILD_DIR SECONDS [TARGET...]
#
# TARGET: records analyzer dictionary synonyms snapshot_file section engine_load
# (default: all). Seeds are made fresh from the repository's files
# (techmatch_fuzz_seeds); what a target finds new is kept in
# BUILD_DIR/fuzz-corpus/TARGET for the next run, and a crashing input is
# written to BUILD_DIR/fuzz-artifacts/ (reproduce: BUILD_DIR/bin/fuzz_TARGET
# FILE). Prints, per target: runs, executions per second, corpus size, and
# the coverage libFuzzer reached.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 BUILD_DIR SECONDS [TARGET...]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
seconds=$2
shift 2
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(records analyzer dictionary synonyms snapshot_file section engine_load)
fi
jobs=${TECHMATCH_JOBS:-$(nproc)}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/bin/techmatch_fuzz_seeds" "$work/seeds" >/dev/null
mkdir -p "$build/fuzz-artifacts"

# Faiss and OpenBLAS on one thread (the inputs are tiny); snapshot writes
# fsync, so their scratch files go to memory when /dev/shm exists.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
if [ -d /dev/shm ] && [ -w /dev/shm ]; then export TMPDIR=/dev/shm; fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run_one() {
  local name=$1
  local corpus="$build/fuzz-corpus/$name"
  mkdir -p "$corpus"
  # -rss_limit_mb: an input that makes the process use more than 2 GB is a
  # finding (the hostile trial's 18 GB match); -timeout: one input over 30 s.
  if "$build/bin/fuzz_$name" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=30 \
      -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$name-" \
      "$corpus" "$work/seeds/$name" >"$work/$name.log" 2>&1; then
    local runs execs cov
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$name.log")
    execs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/$name.log")
    cov=$(grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*/[0-9]*[a-zA-Z]*' "$work/$name.log" |
          tail -1)
    echo "fuzz_$name: ${seconds} s, ${runs:-?} runs, ${execs:-?} exec/s, $cov," \
         "corpus $(find "$corpus" -type f | wc -l) files, no crash"
  else
    echo "fuzz_$name: FAILED; its log:"
    tail -60 "$work/$name.log"
    return 1
  fi
}

status=0
pids=()
names=()
for name in "${targets[@]}"; do
  if [ ! -x "$build/bin/fuzz_$name" ]; then
    echo "$0: $build/bin/fuzz_$name not built (cmake --build $build --target techmatch_fuzzers)" >&2
    exit 2
  fi
  run_one "$name" &
  pids+=($!)
  names+=("$name")
  if [ ${#pids[@]} -ge "$jobs" ]; then
    wait "${pids[0]}" || status=1
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
exit $status
