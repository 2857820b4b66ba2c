#!/usr/bin/env bash
# Fuzzes rnn-lesson's argument reading and checking (cli_fuzz.cpp) under ASan + UBSan.
#
#   tests/fuzz/run.sh [seconds]     default 60; lesson.sh test runs it for 60
#
# Builds build-fuzz/ with clang (Debian: clang, libclang-rt-14-dev), copies the committed seed
# corpus to a temporary directory (what the fuzzer adds stays out of git) and runs for a fixed
# time. A crash, leak, sanitizer report or broken promise fails the run: the input is kept in
# build-fuzz/crashes/ and the command exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
build=build-fuzz

CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -gline-tables-only" \
  -DRNN_LESSON_FUZZ=ON -DRNN_LESSON_TESTS=OFF -DRNN_LESSON_BENCH=OFF >/dev/null
cmake --build "$build" -j"${JOBS:-2}" --target cli_fuzz

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$build/crashes"
cp tests/fuzz/corpus/* "$work/corpus/"
"$build/cli_fuzz" -max_total_time="$seconds" -print_final_stats=1 -dict=tests/fuzz/cli.dict \
  -artifact_prefix="$build/crashes/" "$work/corpus"
