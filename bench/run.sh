#!/usr/bin/env bash
# Native RNN step time vs the kata's numpy loop, in one run on this machine.
#
#   bench/run.sh                 build (Release) if needed, run both, print the figures
#   REPS=25 bench/run.sh         more repetitions (default 15); medians are reported
#   BUILD_DIR=build-x bench/run.sh
#
# Native: bench_rnn_step (Google Benchmark), H = 32, 128, 512, D = 8, L = 1000, each with the
# three FastRnnForward kernels, repetitions randomly interleaved. numpy: kata_numpy_step.py
# with Debian's /usr/bin/python3, H = 32, D = 8, L = 1000. Per-step figures use CPU time
# (both sides), which leaves out time spent descheduled on a shared machine; wall-clock
# medians are printed alongside. The ratio numpy / native is at the kata's size, H = 32.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-bench}"
REPS="${REPS:-15}"
PY=/usr/bin/python3

if [[ ! -f "$BUILD_DIR/CMakeCache.txt" ]]; then
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DRNN_LESSON_TESTS=OFF -DRNN_LESSON_BENCH=ON >/dev/null
fi
build_type="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD_DIR/CMakeCache.txt")"
if [[ "$build_type" != "Release" ]]; then
  echo "run.sh: $BUILD_DIR is a '$build_type' build; use a Release build dir (BUILD_DIR=...)" >&2
  exit 1
fi
cmake --build "$BUILD_DIR" -j2 --target bench_rnn_step >/dev/null
BENCH="$BUILD_DIR/bench/bench_rnn_step"
[[ -x "$BENCH" ]] || { echo "run.sh: $BENCH not built (is Google Benchmark installed?)" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1); $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "running native benchmark ($REPS repetitions)..." >&2
"$BENCH" --benchmark_repetitions="$REPS" --benchmark_enable_random_interleaving=true \
  --benchmark_min_time=0.1 --benchmark_report_aggregates_only=true \
  --benchmark_out="$tmp/native.json" --benchmark_out_format=json >/dev/null 2>"$tmp/native.log" \
  || { cat "$tmp/native.log" >&2; exit 1; }
echo "running numpy loop ($REPS repetitions)..." >&2
"$PY" "$ROOT/bench/kata_numpy_step.py" --repetitions "$REPS" --json >"$tmp/numpy.json"

"$PY" - "$tmp/native.json" "$tmp/numpy.json" <<'PYEOF'
import json, sys
native = json.load(open(sys.argv[1]))
numpy_run = json.load(open(sys.argv[2]))
L = 1000
names = {"0": "best", "1": "portable", "2": "eigen (before)", "3": "avx2-fma"}
rows = {}
for b in native["benchmarks"]:
    if b.get("aggregate_name") != "median":
        continue
    # run_name: BM_RnnStep/H:32/variant:0
    parts = dict(p.split(":") for p in b["run_name"].split("/")[1:])
    scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b["time_unit"]]
    rows[(int(parts["H"]), parts["variant"])] = (b["cpu_time"] * scale / L, b["real_time"] * scale / L, b.get("label", ""))
print("native FastRnnForward::run, D=8, L=1000, median of %d (ns/step, CPU; wall in brackets):" % native["benchmarks"][0].get("repetitions", 0))
print("  %-5s %-24s %-24s %-24s %-24s" % ("H", "best", "portable (128-bit)", "eigen (before)", "avx2-fma (16 registers)"))
for H in sorted({h for h, _ in rows}):
    cells = []
    for v in "0123":
        cpu, wall, label = rows[(H, v)]
        cells.append(("%.0f [%.0f] %s" % (cpu, wall, label if v in "03" else "")).strip())
    print("  %-5d %-24s %-24s %-24s %-24s" % (H, *cells))
np_cpu, np_wall = numpy_run["median_cpu_ns_per_step"], numpy_run["median_wall_ns_per_step"]
print("numpy %s (python %s), kata loop H=32 D=8 L=1000: %.0f ns/step CPU [%.0f wall]" % (numpy_run["numpy"], numpy_run["python"], np_cpu, np_wall))
for v in "0123":
    cpu, wall, label = rows[(32, v)]
    print("ratio numpy / native at H=32, %-15s %6.1fx CPU  [%.1fx wall]" % (names[v] + ":", np_cpu / cpu, np_wall / wall))
PYEOF
