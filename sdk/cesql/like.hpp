// LIKE patterns (spec 3.4.3): `%` matches any run of characters, `_` exactly one, `\%` and `\_` match themselves;
// a backslash before anything else is an ordinary character. Compiled once, matched without allocating.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace eventhost::cesql {

class LikePattern {
 public:
  explicit LikePattern(std::string_view pattern);
  bool matches(std::string_view subject) const;

 private:
  enum class Kind : uint8_t { Literal, One, Many };
  struct Token {
    Kind kind;
    uint32_t offset;  // Literal: its text in literals_
    uint32_t size;
  };
  std::string_view literal(const Token& t) const { return std::string_view(literals_).substr(t.offset, t.size); }

  std::string literals_;
  std::vector<Token> tokens_;
};

}  // namespace eventhost::cesql
