// The one JS-object writer; see js_writer.h.
#include "wasm/js_writer.h"

#include <string>

using emscripten::val;

namespace rnn_lesson::wasm {

val typed_array(const std::vector<double>& v) {
  // slice() copies the heap view into a JS-owned array at once.
  return val(emscripten::typed_memory_view(v.size(), v.data())).call<val>("slice");
}

val typed_array(const std::vector<int>& v) {
  return val(emscripten::typed_memory_view(v.size(), v.data())).call<val>("slice");
}

namespace {

// Each object or array is put into its parent as it opens (a val is a reference to the JS
// value), so the fields added to it afterwards show there too.
class JsWriter final : public FieldVisitor {
 public:
  val root = val::undefined();

  void number(const char* key, double x) override { put(key, val(x)); }
  void integer(const char* key, int x) override { put(key, val(x)); }
  void boolean(const char* key, bool x) override { put(key, val(x)); }
  void text(const char* key, const std::string& s) override { put(key, val(s)); }
  void numbers(const char* key, const std::vector<double>& x) override { put(key, typed_array(x)); }
  void integers(const char* key, const std::vector<int>& x) override { put(key, typed_array(x)); }
  void null_value(const char* key) override { put(key, val::null()); }
  void begin_object(const char* key) override { open(key, val::object()); }
  void end_object() override { open_.pop_back(); }
  void begin_array(const char* key) override { open(key, val::array()); }
  void end_array() override { open_.pop_back(); }

 private:
  struct Container {
    val value;
    unsigned next;  // an array's next index
  };
  std::vector<Container> open_;

  void put(const char* key, const val& x) {
    if (open_.empty()) root = x;
    else if (key) open_.back().value.set(key, x);
    else open_.back().value.set(open_.back().next++, x);
  }
  void open(const char* key, const val& container) {
    put(key, container);
    open_.push_back({container, 0});
  }
};

}  // namespace

val js_value(const std::function<void(FieldVisitor&)>& write) {
  JsWriter w;
  write(w);
  return w.root;
}

val js_object(const std::function<void(FieldVisitor&)>& fill) {
  return js_value([&](FieldVisitor& v) {
    v.begin_object(nullptr);
    fill(v);
    v.end_object();
  });
}

}  // namespace rnn_lesson::wasm
