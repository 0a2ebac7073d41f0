#include "plugin_config.hpp"

#include "config/schema_check.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <toml++/toml.h>

namespace eventhost::bench {
namespace {

Status fill_table(const rapidjson::Value& object, const std::string& path, toml::table& out);
Status fill_array(const rapidjson::Value& array, const std::string& path, toml::array& out);

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

// Hands `put` the TOML form of one JSON value. A JSON null means "unset", as in the configs the worker passes on, so
// it is left out.
template <typename Put>
Status put_value(const rapidjson::Value& v, const std::string& path, Put put) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
      return Status::ok();
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      put(v.GetBool());
      return Status::ok();
    case rapidjson::kStringType:
      put(std::string(v.GetString(), v.GetStringLength()));
      return Status::ok();
    case rapidjson::kNumberType:
      if (v.IsInt64()) {
        put(v.GetInt64());
      } else if (v.IsUint64()) {
        return Status::invalid("--config: " + path + ": integer out of range (at most 9223372036854775807)");
      } else {
        put(v.GetDouble());
      }
      return Status::ok();
    case rapidjson::kArrayType: {
      toml::array array;
      if (Status s = fill_array(v, path, array); !s) return s;
      put(std::move(array));
      return Status::ok();
    }
    case rapidjson::kObjectType: {
      toml::table table;
      if (Status s = fill_table(v, path, table); !s) return s;
      put(std::move(table));
      return Status::ok();
    }
  }
  return Status::internal("--config: " + path + ": unknown JSON value type");
}

Status fill_table(const rapidjson::Value& object, const std::string& path, toml::table& out) {
  for (const auto& m : object.GetObject()) {
    std::string key(m.name.GetString(), m.name.GetStringLength());
    Status s = put_value(m.value, join(path, key), [&](auto&& value) {
      out.insert_or_assign(key, std::forward<decltype(value)>(value));
    });
    if (!s) return s;
  }
  return Status::ok();
}

Status fill_array(const rapidjson::Value& array, const std::string& path, toml::array& out) {
  for (rapidjson::SizeType i = 0; i < array.Size(); ++i) {
    Status s = put_value(array[i], path + "[" + std::to_string(i) + "]", [&](auto&& value) {
      out.push_back(std::forward<decltype(value)>(value));
    });
    if (!s) return s;
  }
  return Status::ok();
}

// `origin` replaces the location of values that came from the command line and so have none.
Result<std::string> check(const toml::table& table, const eh_plugin& plugin, const std::string& origin) {
  config::Diagnostics diags;
  config::Schema schema(plugin.schema, plugin.schema_len);
  std::string json = config::check_against_schema(table, schema, "", {}, diags);
  if (diags.empty() && !json.empty()) return json;
  std::string message;
  for (const auto& d : diags.items()) {
    if (!message.empty()) message += '\n';
    if (d.where.file.empty() && !origin.empty()) {
      message += origin + ": " + (d.key_path.empty() ? "" : d.key_path + ": ") + d.reason;
    } else {
      message += d.to_string();
    }
  }
  if (message.empty()) message = origin + ": config rejected by the schema check";
  return Status::invalid(message);
}

}  // namespace

Result<std::string> config_from_json(const std::string& json, const eh_plugin& plugin) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError()) {
    return Status::invalid("--config: invalid JSON at offset " + std::to_string(doc.GetErrorOffset()) + ": " +
                           rapidjson::GetParseError_En(doc.GetParseError()));
  }
  if (!doc.IsObject()) return Status::invalid("--config: expected a JSON object, like {\"key\": \"value\"}");
  toml::table table;
  if (Status s = fill_table(doc, "", table); !s) return s;
  return check(table, plugin, "--config");
}

Result<std::string> config_from_toml_file(const std::string& path, const eh_plugin& plugin) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& err) {
    const auto& where = err.source().begin;
    return Status::invalid(path + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
                           ": invalid TOML: " + std::string(err.description()));
  }
  return check(table, plugin, path);
}

Result<std::string> default_config(const eh_plugin& plugin) {
  return check(toml::table{}, plugin, "config (none given; pass --config or --config-file)");
}

}  // namespace eventhost::bench
