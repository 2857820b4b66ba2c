#!/usr/bin/env bash
# Builds the experiment core as a WebAssembly module and assembles the static page in dist/.
#
#   ./build-wasm.sh
#
# Outputs:
#   build-wasm/rnn_lesson_wasm.js + .wasm   the module (used by the Node tests)
#   dist/                                   the page: web/ + index.html (from index.in.html
#                                           and web/experiments/) + vendor/chart.umd.min.js +
#                                           core-wasm.js (the module's bytes as a string) +
#                                           worker-source.js (glue + web/worker.js as a string)
#
# Needs Debian's emscripten (3.1.6) and Eigen; see ../shared/TOOLCHAIN.md or README.md.
# Extra arguments are passed to the configure step, e.g. -DRNN_LESSON_WASM_SIMD=OFF.
set -euo pipefail

cd "$(dirname "$0")"
ROOT=$PWD
BUILD=$ROOT/build-wasm
DIST=$ROOT/dist

# Debian's emscripten needs Debian's node modules (acorn, ...).
export NODE_PATH=/usr/share/nodejs

step() { printf '\n==> %s\n' "$*"; }

for tool in emcmake emcc cmake node npm gzip flock; do
  command -v "$tool" >/dev/null || { echo "build-wasm.sh: '$tool' not found (see README.md)" >&2; exit 1; }
done

# One build at a time: two concurrent runs could leave a .js and a .wasm from different links.
mkdir -p "$BUILD"
exec 9>"$BUILD/.build-wasm.lock"
if ! flock -n 9; then
  echo "build-wasm.sh: another build is running; waiting for it"
  flock 9
fi

step "configure: emcmake cmake -S . -B build-wasm"
emcmake cmake -S "$ROOT" -B "$BUILD" \
  -DCMAKE_BUILD_TYPE=Release \
  -DEigen3_DIR=/usr/share/eigen3/cmake \
  -DRNN_LESSON_TESTS=OFF -DRNN_LESSON_BENCH=OFF "$@"

step "build: cmake --build build-wasm -j2"
cmake --build "$BUILD" -j2 --target rnn_lesson_wasm

GLUE=$BUILD/rnn_lesson_wasm.js
WASM=$BUILD/rnn_lesson_wasm.wasm
[[ -f $GLUE && -f $WASM ]] || { echo "build-wasm.sh: $GLUE or $WASM missing after the build" >&2; exit 1; }

if [[ ! -f node_modules/chart.js/dist/chart.umd.min.js ]]; then
  step "npm ci (node_modules missing)"
  npm ci --no-audit --no-fund
fi

step "assemble dist/"
rm -rf "$DIST"
mkdir -p "$DIST/vendor"
if [[ -d web ]]; then
  cp -R web/. "$DIST/"
  echo "copied web/ ($(find web -type f | wc -l) files)"
else
  echo "warning: web/ does not exist yet; dist/ has only the generated files" >&2
fi
# With V8's explicit compile hint as its first line: Chromium (126 and later) then compiles every
# function of Chart.js while the file streams in, off the main thread, instead of each on first
# use on the main thread. Measured (issue 15, 8 interleaved cold loads each): Chart.js's
# warm-up chart 100 -> 80 ms, chart creation at load 290 -> 266 ms in all; other browsers read
# a comment.
{ echo '//# allFunctionsCalledOnLoad'; cat node_modules/chart.js/dist/chart.umd.min.js; } > "$DIST/vendor/chart.umd.min.js"
echo "copied vendor/chart.umd.min.js (with a compile hint)"

# dist/index.html: web/index.in.html with each experiment of web/experiments/list.js put in,
# in list order: its two scripts, its section (experiments/<name>.html, whose {{n}} is its
# number and {{n:<name>}} another's), its row of the summary table and its embed snippet.
# Adding an experiment is its files plus one line of the list; no edit here or in
# index.in.html. (Every file of web/ is also copied as it is.)
node - "$DIST" <<'JS'
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const dist = process.argv[2];
const sandbox = { self: {} };
vm.runInNewContext(fs.readFileSync(path.join(dist, 'experiments', 'list.js'), 'utf8'), sandbox);
const list = sandbox.self.RnnLesson.LIST;
const marker = (html, name, text) => {
  const re = new RegExp('[ \\t]*<!-- build: ' + name + '.*?-->\\n');
  if (!re.test(html)) throw new Error('index.html has no "build: ' + name + '" marker');
  return html.replace(re, () => text);
};
// Words that refer to another experiment say {{n:<name>}} (its number) or {{first}} (the
// first one's name), and {{count}} is how many there are, in words, so reordering or growing
// the list renumbers the prose too.
const COUNT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];
const numbers = (text, where) => text.replace(/\{\{n:([a-z_]+)\}\}/g, (m, name) => {
  if (!list.includes(name)) throw new Error(where + ': ' + m + ' names no experiment of the list');
  return String(list.indexOf(name) + 1);
}).replace(/\{\{first\}\}/g, list[0]).replace(/\{\{count\}\}/g, COUNT_WORDS[list.length] || String(list.length));
const parts = { scripts: '', sections: '', rows: '', snippets: '' };
list.forEach((name, i) => {
  const n = String(i + 1);
  const file = path.join(dist, 'experiments', name + '.html');
  const fragment = numbers(fs.readFileSync(file, 'utf8').replace(/\{\{n\}\}/g, n), file);
  const section = fragment.match(/<section[\s\S]*<\/section>\n/);
  const th = fragment.match(/<th scope="row" data-summary>([\s\S]*?)<\/th>/);
  const snippet = fragment.match(/<!-- snippet: (.*?) -->/);
  if (!section || !th || !snippet) throw new Error(file + ': needs a <section>, a summary <th> and a snippet name');
  parts.scripts += '<script src="charts/' + name + '.js" defer></script>\n<script src="experiments/' + name + '.js" defer></script>\n';
  parts.sections += section[0] + '\n';
  const waiting = 'waiting for experiment ' + n + '…';
  parts.rows += '        <tr><th scope="row">' + th[1] + '</th><td id="summary-' + name + '-rnn" data-label="Recurrent">' + waiting +
    '</td><td id="summary-' + name + '-attn" data-label="Attention">' + waiting + '</td></tr>\n';
  const what = 'the snippet for experiment ' + n + ' (' + snippet[1] + ')';
  parts.snippets += '    <div class="snippet">\n      <pre><code id="snippet-' + name + '" data-embed-snippet="' + name + '"></code></pre>\n' +
    '      <button type="button" class="quiet" data-copy="snippet-' + name + '" data-copy-name="' + what + '">Copy ' + what + '</button>\n    </div>\n';
});
let html = numbers(fs.readFileSync(path.join(dist, 'index.in.html'), 'utf8'), 'index.in.html');
html = marker(html, 'experiment scripts', parts.scripts);
html = marker(html, 'experiment sections', parts.sections);
html = marker(html, 'summary rows', parts.rows);
html = marker(html, 'embed snippets', parts.snippets);
const left = html.match(/\{\{[^}]*\}\}/);
if (left) throw new Error('index.html keeps the placeholder ' + left[0]);
fs.writeFileSync(path.join(dist, 'index.html'), html);
console.log('index.html: ' + list.length + ' experiments put in (' + list.join(', ') + ')');
JS

# dist/core-wasm.js: one classic script defining self.RNN_LESSON_WASM, the module's bytes
# as a string (web/core.js decodes and compiles it once for every worker).
# dist/worker-source.js: one classic script defining self.RNN_LESSON_WORKER_SOURCE, the
# worker's source as a string (Emscripten glue + web/worker.js). The page starts its workers
# from a Blob URL of that string, which works from file:// too.
WORKER_JS=web/worker.js
if [[ ! -f $WORKER_JS ]]; then
  echo "warning: $WORKER_JS does not exist yet; worker-source.js has the core but no worker code" >&2
  WORKER_JS=/dev/null
fi
node - "$WASM" "$GLUE" "$WORKER_JS" "$DIST" <<'EOF'
const fs = require('fs');
const path = require('path');
const [wasmPath, gluePath, workerPath, dist] = process.argv.slice(2);
// The wasm bytes as a string with one character per byte. Each byte value gets its own
// character: the 93 most frequent bytes the printable ASCII characters other than " and \,
// the rest U+00A0 and up (two bytes in UTF-8, no escape needed). The file stays aligned
// with the module, so gzip still finds its repeats: measured 155 KB gzipped against 151 KB
// for the bare .wasm (base64: 211 KB; one character per byte with code points 0-255, which
// needs escapes and UTF-8 pairs for half the bytes: 186 KB).
const wasm = fs.readFileSync(wasmPath);
const count = new Array(256).fill(0);
for (const b of wasm) count[b] += 1;
const byFrequency = [...Array(256).keys()].sort((a, b) => count[b] - count[a] || a - b);
const printable = [];
for (let c = 0x20; c < 0x7f; ++c) if (c !== 0x22 && c !== 0x5c) printable.push(c);
const charOf = new Array(256);
byFrequency.forEach((b, i) => {
  charOf[b] = String.fromCharCode(i < printable.length ? printable[i] : 0xa0 + i - printable.length);
});
const alphabet = charOf.join('');  // alphabet[b] is the character standing for byte b
let text = '';
for (let i = 0; i < wasm.length; i += 65536) {
  text += Array.from(wasm.subarray(i, i + 65536), (b) => charOf[b]).join('');
}
// The decoder of web/core.js, run here on the literal as the browser will read it.
const page = new Function('return [' + JSON.stringify(alphabet) + ', "' + text + '"]')();
const table = new Uint8Array(0x200);
for (let b = 0; b < 256; ++b) table[page[0].charCodeAt(b)] = b;
if (page[1].length !== wasm.length || !wasm.every((b, i) => table[page[1].charCodeAt(i)] === b))
  throw new Error('core-wasm.js: the encoded bytes do not round-trip');
fs.writeFileSync(path.join(dist, 'core-wasm.js'),
  '// Generated by build-wasm.sh: the experiment core\'s WebAssembly module, one character per\n' +
  '// byte; ALPHABET[b] is the character for byte b (web/core.js decodes it). Do not edit.\n' +
  'self.RNN_LESSON_WASM = {\n  ALPHABET: ' + JSON.stringify(alphabet) + ',\n  BYTES: "' + text + '",\n};\n');
const source = fs.readFileSync(gluePath, 'utf8') + '\n' + fs.readFileSync(workerPath, 'utf8');
fs.writeFileSync(path.join(dist, 'worker-source.js'),
  '// Generated by build-wasm.sh: the worker\'s source (the Emscripten glue, then web/worker.js)\n' +
  '// as one string. Do not edit.\n' +
  'self.RNN_LESSON_WORKER_SOURCE = ' + JSON.stringify(source) + ';\n');
console.log('wrote core-wasm.js and worker-source.js');
EOF

# dist/gpu-source.js: one classic script defining self.RNN_LESSON_GPU_SOURCE, the GPU worker's
# source as a string: `const WGSL = {name: "<web/gpu/name.wgsl>", ...};` then web/gpu/worker.js.
# The page starts it from a Blob URL like the core's worker, so nothing is fetched (file:// works).
if [[ -f web/gpu/worker.js ]]; then
node - web/gpu "$DIST" <<'EOF'
const fs = require('fs');
const path = require('path');
const [dir, dist] = process.argv.slice(2);
const names = fs.readdirSync(dir).filter((f) => f.endsWith('.wgsl')).sort();
const wgsl = 'const WGSL = {\n' + names.map((f) =>
  '  ' + JSON.stringify(f.slice(0, -5)) + ': ' + JSON.stringify(fs.readFileSync(path.join(dir, f), 'utf8')) + ',\n').join('') + '};\n';
const source = "'use strict';\n" + wgsl + fs.readFileSync(path.join(dir, 'worker.js'), 'utf8');
fs.writeFileSync(path.join(dist, 'gpu-source.js'),
  '// Generated by build-wasm.sh: the GPU worker\'s source (the WGSL kernels of web/gpu/, then\n' +
  '// web/gpu/worker.js) as one string. Do not edit.\n' +
  'self.RNN_LESSON_GPU_SOURCE = ' + JSON.stringify(source) + ';\n');
console.log('wrote gpu-source.js (' + names.length + ' kernels: ' + names.map((f) => f.slice(0, -5)).join(', ') + ')');
EOF
  # Packed into gpu-source.js: their copies in dist/ would only be dead weight in the course package.
  rm -f "$DIST"/gpu/*.wgsl "$DIST"/gpu/worker.js
else
  echo "warning: web/gpu/worker.js does not exist yet; no gpu-source.js" >&2
fi

step "sizes"
size_of() { stat -c %s "$1"; }
gz_of() { gzip -9 -c "$1" | wc -c; }
printf '%-34s %10s bytes raw %10s bytes gzip\n' "build-wasm/rnn_lesson_wasm.wasm" "$(size_of "$WASM")" "$(gz_of "$WASM")"
printf '%-34s %10s bytes raw %10s bytes gzip\n' "build-wasm/rnn_lesson_wasm.js" "$(size_of "$GLUE")" "$(gz_of "$GLUE")"
total_raw=0 total_gz=0
while IFS= read -r -d '' f; do
  raw=$(size_of "$f") gz=$(gz_of "$f")
  total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz))
  printf '%-34s %10s bytes raw %10s bytes gzip\n' "${f#"$ROOT"/}" "$raw" "$gz"
done < <(find "$DIST" -type f -print0 | sort -z)
printf '%-34s %10s bytes raw %10s bytes gzip\n' "dist/ (total)" "$total_raw" "$total_gz"
echo
echo "done: open dist/index.html, or run the Node tests with: node --test tests/node/"
