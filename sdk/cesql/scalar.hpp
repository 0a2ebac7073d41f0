// The engine's working value: trivially copyable, strings borrowed from the event, the program or a Scratch.
#pragma once

#include <eventhost/cesql.hpp>

#include <cstdint>
#include <string_view>

namespace eventhost::cesql {

struct Scalar {
  Type type = Type::Boolean;
  // Stands for an absent attribute: the operator or function that receives it yields the zero value of its own
  // return type (spec 3.2), so `1 / missing` is 0 without a MathError.
  bool missing = false;
  bool boolean = false;
  int32_t integer = 0;
  std::string_view string;

  static Scalar of(bool b) { return {Type::Boolean, false, b, 0, {}}; }
  static Scalar of(int32_t i) { return {Type::Integer, false, false, i, {}}; }
  static Scalar of(std::string_view s) { return {Type::String, false, false, 0, s}; }
  static Scalar absent() { return {Type::Boolean, true, false, 0, {}}; }
  static Scalar zero(Type type) {
    switch (type) {
      case Type::Integer: return of(int32_t{0});
      case Type::String: return of(std::string_view{});
      case Type::Boolean: break;
    }
    return of(false);
  }
};

// Same type required; the caller casts first.
inline bool same_value(const Scalar& a, const Scalar& b) {
  switch (a.type) {
    case Type::Boolean: return a.boolean == b.boolean;
    case Type::Integer: return a.integer == b.integer;
    case Type::String: return a.string == b.string;
  }
  return false;
}

}  // namespace eventhost::cesql
