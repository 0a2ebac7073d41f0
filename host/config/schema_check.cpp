#include "config/schema_check.hpp"

#include "config/duration.hpp"
#include "config/suggest.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <sstream>

namespace eventhost::config {
namespace {

using Alloc = rapidjson::Document::AllocatorType;

rapidjson::Value to_json(const toml::node& node, Alloc& alloc) {
  if (auto* s = node.as_string()) return rapidjson::Value(s->get().c_str(), static_cast<rapidjson::SizeType>(s->get().size()), alloc);
  if (auto* i = node.as_integer()) return rapidjson::Value(static_cast<int64_t>(i->get()));
  if (auto* f = node.as_floating_point()) return rapidjson::Value(f->get());
  if (auto* b = node.as_boolean()) return rapidjson::Value(b->get());
  if (auto* t = node.as_table()) {
    rapidjson::Value obj(rapidjson::kObjectType);
    for (auto&& [k, v] : *t) {
      obj.AddMember(rapidjson::Value(k.data(), static_cast<rapidjson::SizeType>(k.length()), alloc), to_json(v, alloc), alloc);
    }
    return obj;
  }
  if (auto* a = node.as_array()) {
    rapidjson::Value arr(rapidjson::kArrayType);
    for (const auto& v : *a) arr.PushBack(to_json(v, alloc), alloc);
    return arr;
  }
  std::ostringstream text;  // dates and times: their TOML text
  if (auto* d = node.as_date()) text << d->get();
  else if (auto* t = node.as_time()) text << t->get();
  else if (auto* dt = node.as_date_time()) text << dt->get();
  return rapidjson::Value(text.str().c_str(), static_cast<rapidjson::SizeType>(text.str().size()), alloc);
}

const char* toml_type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    default: return "a date/time";
  }
}

std::vector<std::string> split_choices(const char* choices) {
  std::vector<std::string> out;
  std::string_view s = choices == nullptr ? "" : choices;
  while (!s.empty()) {
    size_t bar = s.find('|');
    out.emplace_back(s.substr(0, bar));
    if (bar == std::string_view::npos) break;
    s.remove_prefix(bar + 1);
  }
  return out;
}

// Checks one value; on success stores its JSON form into `out`.
bool check_value(const toml::node& node, const eh_config_key& key, const std::string& path, Diagnostics& diags,
                 rapidjson::Value& out, Alloc& alloc) {
  auto fail = [&](std::string reason) {
    diags.add(Location::of(node.source()), path, std::move(reason));
    return false;
  };
  auto expected = [&](const std::string& what) {
    return fail(std::string("expected ") + what + ", got " + toml_type_name(node));
  };
  switch (key.type) {
    case EH_CONFIG_STRING:
      if (!node.is_string()) return expected("a string");
      break;
    case EH_CONFIG_INTEGER:
      if (!node.is_integer()) return expected("an integer");
      break;
    case EH_CONFIG_FLOAT:
      if (!node.is_number()) return expected("a number");
      break;
    case EH_CONFIG_BOOLEAN:
      if (!node.is_boolean()) return expected("a boolean (true or false)");
      break;
    case EH_CONFIG_DURATION: {
      if (!node.is_string()) return expected("a duration string such as \"PT0.5S\" or \"500ms\"");
      auto ms = parse_duration(node.as_string()->get());
      if (!ms) return fail("invalid duration \"" + node.as_string()->get() + "\" (use ISO 8601 like \"PT0.2S\" or \"200ms\", \"5s\", \"1m\")");
      out = rapidjson::Value(static_cast<int64_t>(ms->count()));
      return true;
    }
    case EH_CONFIG_STRING_LIST: {
      const auto* arr = node.as_array();
      if (arr == nullptr) return expected("an array of strings");
      for (size_t i = 0; i < arr->size(); ++i) {
        if (!arr->get(i)->is_string()) {
          diags.add(Location::of(arr->get(i)->source()), path + "[" + std::to_string(i) + "]",
                    std::string("expected a string, got ") + toml_type_name(*arr->get(i)));
          return false;
        }
      }
      break;
    }
    case EH_CONFIG_STRING_MAP: {
      const auto* t = node.as_table();
      if (t == nullptr) return expected("a table of strings");
      for (auto&& [k, v] : *t) {
        if (!v.is_string()) {
          diags.add(Location::of(v.source()), path + "." + std::string(k.str()),
                    std::string("expected a string, got ") + toml_type_name(v));
          return false;
        }
      }
      break;
    }
    case EH_CONFIG_TABLE:
      if (!node.is_table() && !node.is_array()) return expected("a table or an array");
      break;
    case EH_CONFIG_ENUM: {
      auto choices = split_choices(key.choices);
      if (!node.is_string()) return expected("one of " + std::string(key.choices));
      const auto& v = node.as_string()->get();
      if (std::find(choices.begin(), choices.end(), v) == choices.end()) {
        return fail("\"" + v + "\" is not one of " + std::string(key.choices) + did_you_mean(v, choices));
      }
      break;
    }
  }
  out = to_json(node, alloc);
  return true;
}

}  // namespace

const char* config_type_name(eh_config_type type) {
  switch (type) {
    case EH_CONFIG_STRING: return "string";
    case EH_CONFIG_INTEGER: return "integer";
    case EH_CONFIG_FLOAT: return "float";
    case EH_CONFIG_BOOLEAN: return "boolean";
    case EH_CONFIG_DURATION: return "duration";
    case EH_CONFIG_STRING_LIST: return "list of strings";
    case EH_CONFIG_STRING_MAP: return "table of strings";
    case EH_CONFIG_TABLE: return "table";
    case EH_CONFIG_ENUM: return "enum";
  }
  return "unknown";
}

std::string check_against_schema(const toml::table& table, Schema schema, const std::string& path,
                                 const std::vector<std::string>& host_keys, Diagnostics& diags) {
  size_t errors_before = diags.items().size();
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& alloc = doc.GetAllocator();
  auto key_path = [&](std::string_view k) { return path.empty() ? std::string(k) : path + "." + std::string(k); };

  std::vector<std::string> known;
  for (const auto& k : schema) known.emplace_back(k.key);

  for (auto&& [k, v] : table) {
    std::string name(k.str());
    if (std::find(host_keys.begin(), host_keys.end(), name) != host_keys.end()) continue;
    auto it = std::find_if(schema.begin(), schema.end(), [&](const eh_config_key& s) { return name == s.key; });
    if (it == schema.end()) {
      std::vector<std::string> candidates = known;
      candidates.insert(candidates.end(), host_keys.begin(), host_keys.end());
      diags.add(Location::of(k.source()), key_path(name), "unknown key" + did_you_mean(name, candidates));
      continue;
    }
    rapidjson::Value value;
    if (check_value(v, *it, key_path(name), diags, value, alloc)) {
      doc.AddMember(rapidjson::Value(it->key, alloc), value, alloc);
    }
  }

  for (const auto& key : schema) {
    if (doc.HasMember(key.key)) continue;
    if (key.required) {
      if (!table.contains(key.key)) diags.add(Location::of(table.source()), key_path(key.key), "missing required key");
      continue;
    }
    rapidjson::Value value;  // null unless the schema has a default
    if (key.default_json != nullptr) {
      rapidjson::Document def;
      def.Parse(key.default_json);
      if (def.HasParseError()) {
        diags.add(Location::of(table.source()), key_path(key.key),
                  "the plugin's schema has an invalid default (" + std::string(key.default_json) + ")");
        continue;
      }
      if (key.type == EH_CONFIG_DURATION && def.IsString()) {
        auto ms = parse_duration(def.GetString());
        value = ms ? rapidjson::Value(static_cast<int64_t>(ms->count())) : rapidjson::Value();
      } else {
        value.CopyFrom(def, alloc);
      }
    }
    doc.AddMember(rapidjson::Value(key.key, alloc), value, alloc);
  }

  if (diags.items().size() != errors_before) return {};
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buf);
  doc.Accept(writer);
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace eventhost::config
