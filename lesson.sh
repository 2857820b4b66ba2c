#!/usr/bin/env bash
# The project's commands, for a fresh Debian (bookworm) machine, run as root or with sudo:
#
#   ./lesson.sh serve   install what is missing, build everything, serve the page and print its URL
#   ./lesson.sh package install what is missing, build the page and pack it for a course platform:
#                       dist/rnn-lesson-scorm12.zip, a SCORM 1.2 package (package-scorm.py)
#   ./lesson.sh test    install what is missing, build, run every test: native (GoogleTest, CLI,
#                       and again under AddressSanitizer + UBSan), 60 s of fuzzing (tests/fuzz),
#                       the wasm module in Node, the page in real Chromium
#
# Each step is skipped when its result is already there, so running it again is quick.
set -euo pipefail
cd "$(dirname "$0")"

DEBIAN_PACKAGES=(cmake g++ make libeigen3-dev libgtest-dev libbenchmark-dev emscripten chromium python3-numpy nodejs
  clang libclang-rt-14-dev)
JOBS=${JOBS:-2}

say() { printf '\n== [%dm%02ds] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }

install_missing() {
  local missing=()
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    say "installing Debian packages: ${missing[*]} (emscripten is large, ~800 MB, once)"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
  fi
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm packages (Chart.js, playwright-core, scorm-again) from package-lock.json"
    npm ci --no-audit --no-fund
  fi
}

build_native() {
  say "building the native core, CLI and tests (build/)"
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DRNN_LESSON_TESTS=ON -DRNN_LESSON_BENCH=ON >/dev/null
  cmake --build build -j"$JOBS"
}

build_wasm() {
  say "building the WebAssembly module and the page (dist/)"
  ./build-wasm.sh
}

package_scorm() {
  say "packing dist/ as a SCORM 1.2 package"
  python3 package-scorm.py
}

case "${1:-}" in
  serve)
    install_missing
    build_native
    build_wasm
    port=${PORT:-8000}
    say "serving dist/ at http://127.0.0.1:$port/  (Ctrl-C stops; dist/index.html also opens directly from disk)"
    exec python3 -m http.server "$port" --bind 127.0.0.1 --directory dist
    ;;
  package)
    install_missing
    build_wasm
    package_scorm
    ;;
  test)
    install_missing
    build_native
    say "native tests (ctest)"
    ctest --test-dir build --output-on-failure -j"$JOBS"
    say "native tests again under -fsanitize=address,undefined (build-asan/)"
    cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DRNN_LESSON_SANITIZE=ON -DRNN_LESSON_BENCH=OFF >/dev/null
    cmake --build build-asan -j"$JOBS"
    ctest --test-dir build-asan --output-on-failure -j"$JOBS"
    say "fuzzing the CLI's argument checks for 60 s under ASan + UBSan (tests/fuzz/, build-fuzz/)"
    JOBS=$JOBS tests/fuzz/run.sh 60
    build_wasm
    package_scorm  # under a second; tests/browser/course.test.js packs its own copy too
    say "the wasm module in Node (tests/node)"
    RNN_LESSON_CLI="$PWD/build/rnn-lesson" npm run --silent test:node
    say "the page in Chromium (tests/browser)"
    npm run --silent test:browser
    say "every test passed"  # with the stages' start times above, where the minutes go
    ;;
  *)
    echo "usage: ./lesson.sh serve | package | test" >&2
    exit 2
    ;;
esac
