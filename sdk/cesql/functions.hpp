// The built-in functions: spec 3.5 (string and math) plus the casting functions INT, BOOL, STRING, IS_BOOL and
// IS_INT that the spec's own examples and conformance suite use (engines may add functions, spec 3.5).
#pragma once

#include "diagnostics.hpp"
#include "scalar.hpp"
#include "scratch.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace eventhost::cesql {

// What a function needs besides its arguments.
struct CallContext {
  Scratch& scratch;
  Diagnostics& diagnostics;
  uint32_t position;

  void fail(ErrorKind kind, std::string_view reason) { diagnostics.add(kind, position, reason); }
};

// A parameter's type; arguments are cast to it before the call. `Any` takes the argument as it is.
enum class Param : uint8_t { Boolean, Integer, String, Any };

// The Type of a typed (not Any) parameter.
inline Type type_of(Param p) {
  static_assert(static_cast<int>(Param::Boolean) == static_cast<int>(Type::Boolean) &&
                static_cast<int>(Param::Integer) == static_cast<int>(Type::Integer) &&
                static_cast<int>(Param::String) == static_cast<int>(Type::String));
  return static_cast<Type>(p);
}

struct Function {
  std::string_view name;  // upper case
  uint8_t fixed;          // leading parameters, typed by `params`
  bool variadic;          // further arguments, all of type `rest`
  std::array<Param, 3> params;
  Param rest;
  Type result;
  // Arguments arrive cast to their parameter types and never missing. Always returns a value of type `result`.
  Scalar (*call)(std::span<const Scalar> args, CallContext& context);

  Param parameter(size_t index) const { return index < fixed ? params[index] : rest; }
};

// The function named `name` (any letter case) that accepts `arity` arguments, or nullptr.
const Function* find_function(std::string_view name, size_t arity);

}  // namespace eventhost::cesql
