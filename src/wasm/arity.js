// Argument counts for the module's API (an Emscripten --post-js). Embind refuses a call whose
// argument count differs from the C++ signature by throwing, before any C++ runs; the API
// promises {error} instead. So each exported function is given exactly its C++ arguments:
// missing ones arrive as undefined (optional ones, e.g. progress, or refused by the C++ side
// with a sentence naming them), and extra ones are refused here. Only counts are handled
// here; every value is read and judged in C++ (bindings.cpp, js_input.h).
// The counts (bindings.cpp): version 0, experiments 0, parameterSpecs 1, runExperiment 3
// (name, params, progress), limits 2, readText 3 (name, parameter, text), slice 5 (kind,
// params, part, parts, state). (The API's run is called runExperiment: the runtime's own
// Module.run, which starts the program, would share the name, and embind would merge the two
// into an overload keyed by argument count.)
//
// Runs after the bindings are registered (post-run, still before the module's promise
// resolves to the caller): embind's functions then carry `argCount`.
addOnPostRun(function () {
  Object.keys(Module).forEach(function (name) {
    var bound = Module[name];
    if (typeof bound !== 'function' || typeof bound.argCount !== 'number') return;
    var count = bound.argCount;
    Module[name] = function () {
      if (arguments.length > count) {
        return { error: name + ' takes at most ' + count + ' argument' + (count === 1 ? '' : 's') +
          ' (got ' + arguments.length + ')' };
      }
      var args = [];
      for (var i = 0; i < count; ++i) args.push(arguments[i]);
      return bound.apply(null, args);
    };
  });
});
