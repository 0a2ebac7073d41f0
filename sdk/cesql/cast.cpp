#include "cast.hpp"

#include <charconv>
#include <cstdint>

namespace eventhost::cesql {

std::optional<int32_t> parse_integer(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) return std::nullopt;
  int64_t magnitude = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    magnitude = magnitude * 10 + (c - '0');
    if (magnitude > int64_t{INT32_MAX} + 1) return std::nullopt;
  }
  int64_t value = negative ? -magnitude : magnitude;
  if (value > INT32_MAX) return std::nullopt;
  return static_cast<int32_t>(value);
}

std::optional<bool> parse_boolean(std::string_view text) {
  auto equals_ignoring_case = [&](std::string_view word) {
    if (text.size() != word.size()) return false;
    for (size_t i = 0; i < word.size(); ++i) {
      char c = text[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != word[i]) return false;
    }
    return true;
  };
  if (equals_ignoring_case("true")) return true;
  if (equals_ignoring_case("false")) return false;
  return std::nullopt;
}

namespace {

std::string_view format_integer(int32_t value, Scratch& scratch) {
  std::span<char> buffer = scratch.allocate(11);  // "-2147483648"
  auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return {buffer.data(), static_cast<size_t>(end - buffer.data())};
}

}  // namespace

CastResult cast(const Scalar& value, Type to, Scratch& scratch) {
  if (value.type == to) return {value, true};
  switch (to) {
    case Type::Boolean:
      if (value.type == Type::Integer) return {Scalar::of(value.integer != 0), true};
      if (auto b = parse_boolean(value.string)) return {Scalar::of(*b), true};
      return {Scalar::of(false), false};
    case Type::Integer:
      if (value.type == Type::Boolean) return {Scalar::of(int32_t{value.boolean ? 1 : 0}), true};
      if (auto i = parse_integer(value.string)) return {Scalar::of(*i), true};
      return {Scalar::of(int32_t{0}), false};
    case Type::String:
      if (value.type == Type::Boolean) return {Scalar::of(std::string_view(value.boolean ? "true" : "false")), true};
      return {Scalar::of(format_integer(value.integer, scratch)), true};
  }
  return {Scalar::zero(to), false};
}

}  // namespace eventhost::cesql
