#include "client_config.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace eventhost::kafka {
namespace {

Status flatten_into(const rapidjson::Value& value, const std::string& prefix, Properties& out) {
  for (const auto& member : value.GetObject()) {
    std::string name = prefix + std::string(member.name.GetString(), member.name.GetStringLength());
    const rapidjson::Value& v = member.value;
    if (v.IsObject()) {
      if (Status s = flatten_into(v, name + ".", out); !s) return s;
    } else if (v.IsString()) {
      out.emplace_back(name, std::string(v.GetString(), v.GetStringLength()));
    } else if (v.IsBool()) {
      out.emplace_back(name, v.GetBool() ? "true" : "false");
    } else if (v.IsNumber()) {
      rapidjson::StringBuffer buf;
      rapidjson::Writer<rapidjson::StringBuffer> w(buf);
      v.Accept(w);
      out.emplace_back(name, std::string(buf.GetString(), buf.GetSize()));
    } else {
      return Status::invalid("kafka." + name + ": expected a string, number or boolean");
    }
  }
  return Status::ok();
}

// librdkafka quotes rejected values in its messages; the value may be a secret.
std::string without_value(std::string message, const std::string& value) {
  if (value.empty()) return message;
  for (size_t at = message.find(value); at != std::string::npos; at = message.find(value, at)) {
    message.replace(at, value.size(), "***");
    at += 3;
  }
  return message;
}

Status set(rd_kafka_conf_t* conf, const std::string& name, const std::string& value) {
  char err[512];
  if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
    return Status::invalid("kafka." + name + ": " + without_value(err, value));
  }
  return Status::ok();
}

}  // namespace

Result<Properties> flatten_properties(const rapidjson::Value& table) {
  Properties out;
  if (!table.IsObject()) return Status::invalid("kafka: expected a table of librdkafka properties");
  if (Status s = flatten_into(table, "", out); !s) return s;
  return out;
}

Result<ConfPtr> make_conf(const Properties& own, const Properties& user, const std::vector<ManagedProperty>& managed) {
  ConfPtr conf(rd_kafka_conf_new());
  for (const auto& [name, value] : own) {
    if (Status s = set(conf.get(), name, value); !s) return s;
  }
  for (const auto& [name, value] : user) {
    for (const auto& m : managed) {
      if (name == m.name) return Status::invalid("kafka." + name + ": set by the plugin; " + m.instead);
    }
    if (Status s = set(conf.get(), name, value); !s) return s;
  }
  return conf;
}

}  // namespace eventhost::kafka
