#include "config/env_expand.hpp"

#include <cstdlib>

namespace eventhost::config {

EnvLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

std::optional<std::string> expand_env(std::string_view text, const EnvLookup& env, std::string* error) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "$${") == 0) {
      out += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      out += text[i++];
      continue;
    }
    size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      *error = "unterminated '${' in \"" + std::string(text) + "\"";
      return std::nullopt;
    }
    std::string_view body = text.substr(i + 2, close - i - 2);
    std::string_view name = body;
    std::optional<std::string_view> fallback;
    if (size_t sep = body.find(":-"); sep != std::string_view::npos) {
      name = body.substr(0, sep);
      fallback = body.substr(sep + 2);
    }
    if (name.empty()) {
      *error = "empty variable name in \"" + std::string(text) + "\"";
      return std::nullopt;
    }
    auto value = env(std::string(name));
    if (value && !(value->empty() && fallback)) {
      out += *value;  // like the shell, ${X:-d} also uses d when X is set but empty
    } else if (fallback) {
      out += *fallback;
    } else {
      *error = "environment variable '" + std::string(name) + "' is not set (write ${" + std::string(name) +
               ":-default} to give a default)";
      return std::nullopt;
    }
    i = close + 1;
  }
  return out;
}

}  // namespace eventhost::config
