// The allowed range of each numeric parameter, given the others as they are.
//
// An experiment's work caps and cross-parameter rules (e.g. timing's hidden_size against the
// sum of the sequence lengths, memory's washout against max_delay) are written once, in its
// validate(). The page must still keep every control inside what validate() accepts, so
// instead of restating those rules it asks param_limits(), which finds each parameter's
// interval by searching validate() itself over the parameter's spec range.
//
// Assumption (true of every validate() in this core): with the other parameters fixed, the
// accepted values of one parameter form one interval. Integers are exact; reals are bisected
// and then rounded inwards to about 4 significant digits of the spec's span, so a page can
// show them. For an integer list the interval is that of its largest element, the other
// elements kept, with lo = the spec's minimum (lists are typed, not dragged).
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/params.h"

namespace rnn_lesson {

struct ParamLimit {
  std::string name;
  bool any = false;     // false: no value of this parameter alone makes the set valid
  double lo = 0, hi = 0;  // inclusive, within the spec's [min, max]; meaningful when `any`
};

namespace detail {

// Rounds x to a multiple of `quantum`: down for a high bound, up for a low bound.
inline double snap(double x, double quantum, bool down) {
  const double q = (down ? std::floor(x / quantum) : std::ceil(x / quantum)) * quantum;
  return std::abs(q) < quantum * 1e-9 ? 0.0 : q;
}

// Searches the interval of one parameter. `ok(x)` says whether validate() accepts the
// parameter at x (others fixed); `current` is its value now.
template <class Ok>
ParamLimit search_interval(const ParamSpec& spec, bool integral, bool is_list, double current, Ok ok) {
  ParamLimit out;
  out.name = spec.name;
  const double min = spec.min, max = spec.max;
  // A value accepted: the current one, else the ends, else a coarse grid (linear and, for
  // wide positive ranges, geometric) in case the current combination is refused.
  double anchor = 0;
  bool found = false;
  std::vector<double> probes = {current, max, min};
  for (int i = 1; i < 32; ++i) probes.push_back(min + (max - min) * i / 32.0);
  const double base = std::max(min, 1.0);
  if (max > 16 * base)
    for (int i = 1; i < 32; ++i) probes.push_back(base * std::pow(max / base, i / 32.0));
  for (double x : probes) {
    if (integral) x = std::round(x);
    if (x >= min && x <= max && ok(x)) {
      anchor = x;
      found = true;
      break;
    }
  }
  if (!found) return out;
  out.any = true;
  const double quantum = std::pow(10.0, std::floor(std::log10(std::max(max - min, 1e-300))) - 4);
  // good is accepted, bad is refused; narrows them until adjacent (integers) or close (reals).
  const auto narrow = [&](double good, double bad) {
    for (int i = 0; i < 200; ++i) {
      if (integral ? std::abs(bad - good) <= 1 : std::abs(bad - good) <= quantum * 1e-3) break;
      const double mid = integral ? std::floor((good + bad) / 2) : (good + bad) / 2;
      (ok(mid) ? good : bad) = mid;
    }
    return good;
  };
  out.hi = ok(max) ? max : narrow(anchor, max);
  out.lo = is_list || ok(min) ? min : narrow(anchor, min);
  if (!integral) {  // a bisected bound rounded inwards, if the rounded value is still accepted
    // (not the spec's own ends: 1 / 1e-5 is 99999.99999999999 in doubles, so snapping the
    // end 1 would give 0.99999)
    const double hi = snap(out.hi, quantum, true), lo = snap(out.lo, quantum, false);
    if (out.hi != max && hi >= anchor && ok(hi)) out.hi = hi;
    if (out.lo != min && lo <= anchor && ok(lo)) out.lo = lo;
  }
  return out;
}

}  // namespace detail

// For every Integer, Real and IntegerList parameter of `table`, in table order, the values
// `validate` accepts with every other parameter of `p` kept. `p` itself may be refused (then
// the intervals say which single change would make it accepted). Choice and choice-list
// parameters are left out. Cost: a few hundred validate() calls at most.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
// As in params.h: GCC warns about the list branch for parameter structs that have no list
// member, a branch that can never run for them.
#pragma GCC diagnostic ignored "-Warray-bounds"
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
template <class Params>
std::vector<ParamLimit> param_limits(const std::vector<Field<Params>>& table, const Params& p,
                                     std::string (*validate)(const Params&)) {
  std::vector<ParamLimit> limits;
  for (const auto& f : table) {
    if (f.spec.type == ParamType::Choice || f.spec.type == ParamType::ChoiceList) continue;
    std::visit([&](auto m) {
      using T = std::decay_t<decltype(p.*m)>;
      if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::vector<std::string>>) {
        return;
      } else if constexpr (std::is_same_v<T, std::vector<int>>) {
        const std::vector<int>& list = p.*m;
        if (list.empty()) return;
        const std::size_t at = std::max_element(list.begin(), list.end()) - list.begin();
        limits.push_back(detail::search_interval(f.spec, true, true, list[at], [&](double x) {
          Params q = p;
          (q.*m)[at] = static_cast<int>(x);
          return validate(q).empty();
        }));
      } else {
        limits.push_back(detail::search_interval(f.spec, std::is_same_v<T, int>, false, p.*m, [&](double x) {
          Params q = p;
          q.*m = static_cast<T>(x);
          return validate(q).empty();
        }));
      }
    }, f.member);
  }
  return limits;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

}  // namespace rnn_lesson
