#include "lexer.hpp"

#include <string>

namespace eventhost::cesql {

Status parse_error(uint32_t position, std::string_view reason) {
  return Status::invalid("position " + std::to_string(position) + ": " + std::string(reason));
}

namespace {

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

Result<std::vector<Token>> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  auto position = [&](size_t at) { return static_cast<uint32_t>(at + 1); };
  auto symbol = [&](TokenKind kind, size_t size) {
    tokens.push_back({kind, position(i), text.substr(i, size)});
    i += size;
  };
  while (i < text.size()) {
    char c = text[i];
    char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (is_space(c)) {
      ++i;
    } else if (is_word_char(c)) {
      size_t start = i;
      bool digits_only = true;
      for (; i < text.size() && is_word_char(text[i]); ++i) digits_only = digits_only && text[i] >= '0' && text[i] <= '9';
      tokens.push_back({digits_only ? TokenKind::Integer : TokenKind::Word, position(start),
                        text.substr(start, i - start)});
    } else if (c == '\'' || c == '"') {
      // Only a backslash before the closing quote character is an escape (spec 2.2); other backslashes stay,
      // which is what lets LIKE patterns carry `\%` and `\_`.
      size_t start = i++;
      while (i < text.size() && text[i] != c) i += (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == c) ? 2 : 1;
      if (i >= text.size()) return parse_error(position(start), "unterminated string literal");
      tokens.push_back({TokenKind::String, position(start), text.substr(start + 1, i - start - 1), c});
      ++i;
    } else if (c == '(') {
      symbol(TokenKind::LeftParen, 1);
    } else if (c == ')') {
      symbol(TokenKind::RightParen, 1);
    } else if (c == ',') {
      symbol(TokenKind::Comma, 1);
    } else if (c == '=') {
      symbol(TokenKind::Equal, 1);
    } else if (c == '!' && next == '=') {
      symbol(TokenKind::NotEqual, 2);
    } else if (c == '<' && next == '>') {
      symbol(TokenKind::NotEqual, 2);
    } else if (c == '<') {
      next == '=' ? symbol(TokenKind::LessEqual, 2) : symbol(TokenKind::Less, 1);
    } else if (c == '>') {
      next == '=' ? symbol(TokenKind::GreaterEqual, 2) : symbol(TokenKind::Greater, 1);
    } else if (c == '+') {
      symbol(TokenKind::Plus, 1);
    } else if (c == '-') {
      symbol(TokenKind::Minus, 1);
    } else if (c == '*') {
      symbol(TokenKind::Star, 1);
    } else if (c == '/') {
      symbol(TokenKind::Slash, 1);
    } else if (c == '%') {
      symbol(TokenKind::Percent, 1);
    } else {
      std::string shown = (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F)
                              ? "byte " + std::to_string(static_cast<unsigned char>(c))
                              : "'" + std::string(1, c) + "'";
      return parse_error(position(i), "unexpected character " + shown);
    }
  }
  tokens.push_back({TokenKind::End, position(text.size()), {}});
  return tokens;
}

}  // namespace eventhost::cesql
