#include "like.hpp"

#include "utf8.hpp"

namespace eventhost::cesql {

namespace {

size_t next_character(std::string_view s, size_t at) {
  size_t next = at + utf8::sequence_length(static_cast<unsigned char>(s[at]));
  return next < s.size() ? next : s.size();
}

}  // namespace

LikePattern::LikePattern(std::string_view pattern) {
  auto add_literal_char = [&](char c) {
    if (tokens_.empty() || tokens_.back().kind != Kind::Literal) {
      tokens_.push_back({Kind::Literal, static_cast<uint32_t>(literals_.size()), 0});
    }
    literals_.push_back(c);
    ++tokens_.back().size;
  };
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size() && (pattern[i + 1] == '%' || pattern[i + 1] == '_')) {
      add_literal_char(pattern[++i]);
    } else if (c == '%') {
      if (tokens_.empty() || tokens_.back().kind != Kind::Many) tokens_.push_back({Kind::Many, 0, 0});
    } else if (c == '_') {
      tokens_.push_back({Kind::One, 0, 0});
    } else {
      add_literal_char(c);
    }
  }
}

// Greedy matching that backtracks only to the last `%`: moving an earlier `%` can never help once a later one
// has been placed, so this is linear in practice and O(n*m) at worst.
bool LikePattern::matches(std::string_view subject) const {
  size_t token = 0;
  size_t at = 0;
  size_t star_token = tokens_.size();  // none yet
  size_t star_at = 0;
  while (token < tokens_.size() || at < subject.size()) {
    if (token < tokens_.size()) {
      const Token& t = tokens_[token];
      if (t.kind == Kind::Many) {
        star_token = token++;
        star_at = at;
        continue;
      }
      if (t.kind == Kind::One && at < subject.size()) {
        at = next_character(subject, at);
        ++token;
        continue;
      }
      if (t.kind == Kind::Literal && subject.substr(at).starts_with(literal(t))) {
        at += t.size;
        ++token;
        continue;
      }
    }
    if (star_token == tokens_.size() || star_at >= subject.size()) return false;
    star_at = next_character(subject, star_at);
    at = star_at;
    token = star_token + 1;
  }
  return true;
}

}  // namespace eventhost::cesql
