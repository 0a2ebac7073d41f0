// Typed access to a plugin's config. The host has already validated the JSON against the plugin's schema and
// filled in defaults, so a missing or mistyped key here is a schema bug and throws (the SDK turns that into a
// create error naming the key).
#pragma once

#include <rapidjson/document.h>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace eventhost {

class Config {
 public:
  explicit Config(std::string_view json) {
    doc_.Parse(json.data(), json.size());
    if (doc_.HasParseError() || !doc_.IsObject()) throw std::invalid_argument("config is not a JSON object");
  }

  bool has(const char* key) const {
    auto it = doc_.FindMember(key);
    return it != doc_.MemberEnd() && !it->value.IsNull();
  }
  std::string string(const char* key) const {
    const auto& v = need(key);
    if (!v.IsString()) throw std::invalid_argument(std::string("config key '") + key + "' is not a string");
    return {v.GetString(), v.GetStringLength()};
  }
  std::string string_or(const char* key, std::string fallback) const { return has(key) ? string(key) : fallback; }
  int64_t integer(const char* key) const {
    const auto& v = need(key);
    if (!v.IsInt64()) throw std::invalid_argument(std::string("config key '") + key + "' is not an integer");
    return v.GetInt64();
  }
  double number(const char* key) const {
    const auto& v = need(key);
    if (!v.IsNumber()) throw std::invalid_argument(std::string("config key '") + key + "' is not a number");
    return v.GetDouble();
  }
  bool boolean(const char* key) const {
    const auto& v = need(key);
    if (!v.IsBool()) throw std::invalid_argument(std::string("config key '") + key + "' is not a boolean");
    return v.GetBool();
  }
  std::chrono::milliseconds duration(const char* key) const { return std::chrono::milliseconds(integer(key)); }
  std::vector<std::string> strings(const char* key) const {
    std::vector<std::string> out;
    if (!has(key)) return out;
    for (const auto& item : need(key).GetArray()) out.emplace_back(item.GetString(), item.GetStringLength());
    return out;
  }
  std::vector<std::pair<std::string, std::string>> string_map(const char* key) const {
    std::vector<std::pair<std::string, std::string>> out;
    if (!has(key)) return out;
    for (const auto& m : need(key).GetObject()) {
      out.emplace_back(std::string(m.name.GetString(), m.name.GetStringLength()),
                       std::string(m.value.GetString(), m.value.GetStringLength()));
    }
    return out;
  }
  // Free-form values (EH_CONFIG_TABLE) for the plugin to interpret.
  const rapidjson::Value& raw(const char* key) const { return need(key); }

 private:
  const rapidjson::Value& need(const char* key) const {
    auto it = doc_.FindMember(key);
    if (it == doc_.MemberEnd() || it->value.IsNull()) {
      throw std::invalid_argument(std::string("config key '") + key + "' is not set");
    }
    return it->value;
  }

  rapidjson::Document doc_;
};

}  // namespace eventhost
