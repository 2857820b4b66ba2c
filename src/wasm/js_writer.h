// The page's writer: a field table (core/fields.h) walked into a plain JS object, with the
// keys and order of the CLI's JSON (src/cli/format.cpp) and numeric vectors as typed arrays.
#pragma once

#include <emscripten/val.h>

#include <functional>
#include <vector>

#include "core/fields.h"

namespace rnn_lesson::wasm {

// A JS-owned copy (Float64Array, Int32Array), never a view of the wasm heap: the heap's
// buffer is replaced when memory grows, and a view would then read nothing.
emscripten::val typed_array(const std::vector<double>& v);
emscripten::val typed_array(const std::vector<int>& v);

// The one value `write` puts, with key nullptr (an array of structs, say). No handle stays
// held once it returns.
emscripten::val js_value(const std::function<void(FieldVisitor&)>& write);
// One object holding the fields `fill` visits.
emscripten::val js_object(const std::function<void(FieldVisitor&)>& fill);

}  // namespace rnn_lesson::wasm
