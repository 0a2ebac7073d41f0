#include "functions.hpp"

#include "cast.hpp"
#include "utf8.hpp"

#include <algorithm>
#include <climits>

namespace eventhost::cesql {

namespace {

using Args = std::span<const Scalar>;

int32_t clamp_to_int32(size_t n) { return n > INT32_MAX ? INT32_MAX : static_cast<int32_t>(n); }

Scalar length(Args a, CallContext&) { return Scalar::of(clamp_to_int32(utf8::length(a[0].string))); }

Scalar concat_with(std::string_view delimiter, Args parts, CallContext& c) {
  size_t size = 0;
  for (const Scalar& p : parts) size += p.string.size();
  if (!parts.empty()) size += delimiter.size() * (parts.size() - 1);
  std::span<char> out = c.scratch.allocate(size);
  char* at = out.data();
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) at = std::copy(delimiter.begin(), delimiter.end(), at);
    at = std::copy(parts[i].string.begin(), parts[i].string.end(), at);
  }
  return Scalar::of(std::string_view(out.data(), out.size()));
}

Scalar concat(Args a, CallContext& c) { return concat_with({}, a, c); }
Scalar concat_ws(Args a, CallContext& c) { return concat_with(a[0].string, a.subspan(1), c); }

Scalar lower(Args a, CallContext& c) {
  std::span<char> out = c.scratch.allocate(a[0].string.size());
  utf8::to_lower(a[0].string, out);
  return Scalar::of(std::string_view(out.data(), out.size()));
}

Scalar upper(Args a, CallContext& c) {
  std::span<char> out = c.scratch.allocate(a[0].string.size());
  utf8::to_upper(a[0].string, out);
  return Scalar::of(std::string_view(out.data(), out.size()));
}

Scalar trim(Args a, CallContext&) { return Scalar::of(utf8::trim(a[0].string)); }

Scalar left(Args a, CallContext& c) {
  std::string_view s = a[0].string;
  if (a[1].integer < 0) {
    c.fail(ErrorKind::FunctionEvaluation, "LEFT: the length is negative");
    return a[0];
  }
  return Scalar::of(s.substr(0, utf8::offset_of(s, static_cast<size_t>(a[1].integer))));
}

Scalar right(Args a, CallContext& c) {
  std::string_view s = a[0].string;
  if (a[1].integer < 0) {
    c.fail(ErrorKind::FunctionEvaluation, "RIGHT: the length is negative");
    return a[0];
  }
  size_t n = utf8::length(s);
  auto keep = static_cast<size_t>(a[1].integer);
  if (keep >= n) return a[0];
  return Scalar::of(s.substr(utf8::offset_of(s, n - keep)));
}

// SUBSTRING(x, pos) and SUBSTRING(x, pos, len): 1-based positions, negative ones count from the end.
Scalar substring(Args a, CallContext& c) {
  std::string_view s = a[0].string;
  auto n = static_cast<int64_t>(utf8::length(s));
  int64_t pos = a[1].integer;
  if (pos > n || pos < -n) {
    c.fail(ErrorKind::FunctionEvaluation, "SUBSTRING: the position is outside the string");
    return Scalar::of(std::string_view{});
  }
  if (a.size() == 3 && a[2].integer < 0) {
    c.fail(ErrorKind::FunctionEvaluation, "SUBSTRING: the length is negative");
    return Scalar::of(std::string_view{});
  }
  if (pos == 0) return Scalar::of(std::string_view{});
  int64_t start = pos > 0 ? pos - 1 : n + pos;
  int64_t end = a.size() == 3 ? std::min(n, start + a[2].integer) : n;
  size_t from = utf8::offset_of(s, static_cast<size_t>(start));
  size_t to = from + utf8::offset_of(s.substr(from), static_cast<size_t>(end - start));
  return Scalar::of(s.substr(from, to - from));
}

Scalar abs(Args a, CallContext& c) {
  int32_t x = a[0].integer;
  if (x == INT32_MIN) {
    c.fail(ErrorKind::Math, "ABS: the result does not fit in 32 bits");
    return Scalar::of(int32_t{INT32_MAX});
  }
  return Scalar::of(x < 0 ? -x : x);
}

Scalar cast_to(Type type, const Scalar& x, CallContext& c) {
  CastResult r = cast(x, type, c.scratch);
  if (!r.ok) c.fail(ErrorKind::Cast, type == Type::Integer ? "INT: not an integer" : "BOOL: not a boolean");
  return r.value;
}

Scalar to_int(Args a, CallContext& c) { return cast_to(Type::Integer, a[0], c); }
Scalar to_bool(Args a, CallContext& c) { return cast_to(Type::Boolean, a[0], c); }
Scalar to_string(Args a, CallContext& c) { return cast(a[0], Type::String, c.scratch).value; }
Scalar is_int(Args a, CallContext& c) { return Scalar::of(cast(a[0], Type::Integer, c.scratch).ok); }
Scalar is_bool(Args a, CallContext& c) { return Scalar::of(cast(a[0], Type::Boolean, c.scratch).ok); }

constexpr Param S = Param::String;
constexpr Param I = Param::Integer;
constexpr Param A = Param::Any;

constexpr Function kFunctions[] = {
    {"LENGTH", 1, false, {S}, S, Type::Integer, length},
    {"CONCAT", 0, true, {}, S, Type::String, concat},
    {"CONCAT_WS", 1, true, {S}, S, Type::String, concat_ws},
    {"LOWER", 1, false, {S}, S, Type::String, lower},
    {"UPPER", 1, false, {S}, S, Type::String, upper},
    {"TRIM", 1, false, {S}, S, Type::String, trim},
    {"LEFT", 2, false, {S, I}, S, Type::String, left},
    {"RIGHT", 2, false, {S, I}, S, Type::String, right},
    {"SUBSTRING", 2, false, {S, I}, S, Type::String, substring},
    {"SUBSTRING", 3, false, {S, I, I}, S, Type::String, substring},
    {"ABS", 1, false, {I}, I, Type::Integer, abs},
    {"INT", 1, false, {A}, A, Type::Integer, to_int},
    {"BOOL", 1, false, {A}, A, Type::Boolean, to_bool},
    {"STRING", 1, false, {A}, A, Type::String, to_string},
    {"IS_INT", 1, false, {A}, A, Type::Boolean, is_int},
    {"IS_BOOL", 1, false, {A}, A, Type::Boolean, is_bool},
};

bool equals_upper(std::string_view name, std::string_view upper_name) {
  return std::equal(name.begin(), name.end(), upper_name.begin(), upper_name.end(), [](char a, char b) {
    return (a >= 'a' && a <= 'z' ? static_cast<char>(a - 'a' + 'A') : a) == b;
  });
}

}  // namespace

const Function* find_function(std::string_view name, size_t arity) {
  for (const Function& f : kFunctions) {
    if (!equals_upper(name, f.name)) continue;
    if (arity == f.fixed || (f.variadic && arity > f.fixed)) return &f;
  }
  return nullptr;
}

}  // namespace eventhost::cesql
