// Reading untrusted JS values for the bindings (an Emscripten --js-library; C++ side:
// js_input.h). Every read of a caller's value happens here, inside try/catch, so a throwing
// getter, a Proxy trap or a revoked Proxy never unwinds through C++ frames (where it would
// skip the release of emval handles). What goes back to C++ is inert: numbers, strings
// already cut to a bound, Float64Array copies, and small arrays built here.
//
// Records returned to C++: [kind, payload, count]
//   ['absent']                 the object has no own enumerable property of that name
//   ['threw']                  reading it threw an exception
//   ['number', x]
//   ['text', s, length]        s is cut to maxText characters; length is the full length
//   ['numbers', Float64Array]  an array (or, where allowed, a typed array) of numbers
//   ['bad', description]       e.g. 'a boolean', 'a string at index 1', 'an array of 20000 elements'
mergeInto(LibraryManager.library, {
  // 'a number', 'null', 'an array', ... for messages. typeof never throws; Array.isArray
  // throws on a revoked Proxy.
  $rnnTypeName: function(v) {
    if (v === undefined) return 'undefined';
    if (v === null) return 'null';
    var t = typeof v;
    if (t === 'object') {
      try {
        return Array.isArray(v) ? 'an array' : 'an object';
      } catch (e) {
        return 'a revoked Proxy';
      }
    }
    return t === 'undefined' ? 'undefined' : 'a ' + t;  // typeof document.all is 'undefined'
  },

  $rnnReadValue__deps: ['$rnnTypeName'],
  $rnnReadValue: function(v, maxArray, maxText, typedOk) {
    if (typeof v === 'number') return ['number', v];
    if (typeof v === 'string') return ['text', v.length > maxText ? v.substring(0, maxText) : v, v.length];
    var isArray = false, isTyped = false;
    try {
      isArray = Array.isArray(v);
      isTyped = !isArray && typedOk && ArrayBuffer.isView(v) && !(v instanceof DataView);
    } catch (e) {
      return ['bad', 'a revoked Proxy'];
    }
    if (!isArray && !isTyped) return ['bad', rnnTypeName(v)];
    // The length is checked before any element is read: a huge array is refused unwalked.
    var length = v.length;
    if (typeof length !== 'number' || !(length >= 0) || length !== Math.floor(length)) return ['bad', 'an array without a valid length'];
    if (length > maxArray) return ['bad', 'an array of ' + length + ' elements'];
    var numbers = new Float64Array(length);
    for (var i = 0; i < length; ++i) {
      var x = v[i];
      if (typeof x !== 'number') return ['bad', rnnTypeName(x) + ' at index ' + i];
      numbers[i] = x;
    }
    return ['numbers', numbers];
  },

  // The type phrase of a value, as a new handle to a string.
  rnn_js_type_name__deps: ['$Emval', '$rnnTypeName'],
  rnn_js_type_name: function(handle) {
    return Emval.toHandle(rnnTypeName(Emval.toValue(handle)));
  },

  // One value (an argument): a record as above, never 'absent'.
  rnn_js_read_value__deps: ['$Emval', '$rnnReadValue'],
  rnn_js_read_value: function(handle, maxArray, maxText, typedOk) {
    var record;
    try {
      record = rnnReadValue(Emval.toValue(handle), maxArray, maxText, typedOk);
    } catch (e) {
      record = ['threw'];
    }
    return Emval.toHandle(record);
  },

  // One named own property of an object: the caller asks only for the names it knows, so
  // the object's size never matters here and inherited (polluted) properties are ignored.
  rnn_js_read_own__deps: ['$Emval', '$rnnReadValue'],
  rnn_js_read_own: function(handle, namePtr, maxArray, maxText) {
    var object = Emval.toValue(handle);
    var name = UTF8ToString(namePtr);
    var record;
    try {
      record = Object.prototype.propertyIsEnumerable.call(object, name)
        ? rnnReadValue(object[name], maxArray, maxText, false) : ['absent'];
    } catch (e) {
      record = ['threw'];
    }
    return Emval.toHandle(record);
  },

  // The object's keys checked against the known names (an array): ['ok'], ['threw'],
  // ['too-many', count] or ['unknown', key cut to 200 characters]. Reflect.ownKeys makes one
  // trap call (no per-key traps), and the count is checked before any key is looked at.
  // (The engine itself still takes time proportional to a huge key list before returning
  // it: measured ~2 s in V8 for 1e6 keys. Values were read and checked before this call.)
  rnn_js_check_keys__deps: ['$Emval'],
  rnn_js_check_keys: function(handle, knownHandle, maxKeys) {
    var object = Emval.toValue(handle);
    var known = Emval.toValue(knownHandle);
    var record;
    try {
      var keys = Reflect.ownKeys(object);
      record = ['ok'];
      if (keys.length > maxKeys) {
        record = ['too-many', keys.length];
      } else {
        for (var i = 0; i < keys.length; ++i) {
          var key = keys[i];
          if (typeof key !== 'string' || known.indexOf(key) >= 0) continue;  // symbols are not parameters
          if (!Object.prototype.propertyIsEnumerable.call(object, key)) continue;
          record = ['unknown', key.length > 200 ? key.substring(0, 200) : key];
          break;
        }
      }
    } catch (e) {
      record = ['threw'];
    }
    return Emval.toHandle(record);
  },
});
