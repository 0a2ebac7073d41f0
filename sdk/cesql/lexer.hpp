// Splits an expression into tokens. Words (keywords, attribute and function names) are told apart by the parser,
// which knows whether a `(` follows.
#pragma once

#include <eventhost/status.hpp>

#include <cstdint>
#include <string_view>
#include <vector>

namespace eventhost::cesql {

enum class TokenKind : uint8_t {
  Word,     // [A-Za-z0-9_]+ with at least one non-digit
  Integer,  // digits only, without sign
  String,   // text is the raw content between the quotes, escapes still in place
  LeftParen,
  RightParen,
  Comma,
  Equal,
  NotEqual,  // != and <>
  Less,
  LessEqual,
  Greater,
  GreaterEqual,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  End,
};

struct Token {
  TokenKind kind;
  uint32_t position;      // 1-based byte offset
  std::string_view text;  // as written (for String: between the quotes)
  char quote = 0;         // String: ' or "
};

// "position N: reason"
Status parse_error(uint32_t position, std::string_view reason);

// Tokens ending with one End token; views into `text`.
Result<std::vector<Token>> tokenize(std::string_view text);

}  // namespace eventhost::cesql
