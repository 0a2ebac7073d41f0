#include "client_health.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <cstdlib>

namespace eventhost::kafka {
namespace {

std::string_view str(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) return {};
  return {it->value.GetString(), it->value.GetStringLength()};
}

}  // namespace

Result<ClientStats> parse_stats(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) return Status::invalid("librdkafka statistics: not a JSON object");
  ClientStats stats;
  if (auto brokers = doc.FindMember("brokers"); brokers != doc.MemberEnd() && brokers->value.IsObject()) {
    for (const auto& b : brokers->value.GetObject()) {
      if (!b.value.IsObject() || str(b.value, "source") == "internal") continue;
      if (str(b.value, "state") == "UP") stats.broker_up = true;
    }
  }
  if (auto topics = doc.FindMember("topics"); topics != doc.MemberEnd() && topics->value.IsObject()) {
    for (const auto& t : topics->value.GetObject()) {
      if (!t.value.IsObject()) continue;
      auto partitions = t.value.FindMember("partitions");
      if (partitions == t.value.MemberEnd() || !partitions->value.IsObject()) continue;
      for (const auto& p : partitions->value.GetObject()) {
        if (!p.value.IsObject()) continue;
        auto id = p.value.FindMember("partition");
        auto lag = p.value.FindMember("consumer_lag");
        if (id == p.value.MemberEnd() || !id->value.IsInt() || id->value.GetInt() < 0) continue;  // -1: unassigned
        if (lag == p.value.MemberEnd() || !lag->value.IsInt64() || lag->value.GetInt64() < 0) continue;  // unknown
        stats.lags.push_back({std::string(t.name.GetString(), t.name.GetStringLength()), id->value.GetInt(),
                              lag->value.GetInt64()});
      }
    }
  }
  return stats;
}

ClusterHealth::ClusterHealth(std::string bootstrap_servers) : bootstrap_servers_(std::move(bootstrap_servers)) {}

void ClusterHealth::watch(Host host) {
  std::lock_guard lock(mutex_);
  watchers_.push_back(host);
  if (!reachable_) host.set_health(false, reason_);
}

void ClusterHealth::unwatch(Host host) {
  std::lock_guard lock(mutex_);
  std::erase_if(watchers_, [&](const Host& h) { return h.raw() == host.raw(); });
}

void ClusterHealth::log(eh_log_level level, std::string_view message) const {
  std::lock_guard lock(mutex_);
  if (!watchers_.empty()) watchers_.front().log(level, message);
}

std::string ClusterHealth::reason() const {
  std::lock_guard lock(mutex_);
  return reason_;
}

void ClusterHealth::on_error(rd_kafka_t* rk, int err, const char* reason) {
  const std::string prefix = "kafka " + bootstrap_servers_ + ": ";
  std::lock_guard lock(mutex_);
  switch (static_cast<rd_kafka_resp_err_t>(err)) {
    case RD_KAFKA_RESP_ERR__TRANSPORT:
      last_transport_error_ = reason;
      return;
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
      set(false, prefix + "all brokers down" + (last_transport_error_.empty() ? "" : " (" + last_transport_error_ + ")"));
      return;
    case RD_KAFKA_RESP_ERR__RESOLVE:
      set(false, prefix + "cannot resolve: " + reason);
      return;
    case RD_KAFKA_RESP_ERR__AUTHENTICATION:
    case RD_KAFKA_RESP_ERR__SSL:
    case RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED:
      set(false, prefix + "authentication failed: " + reason);
      return;
    case RD_KAFKA_RESP_ERR__FATAL: {
      char detail[512] = "";
      rd_kafka_fatal_error(rk, detail, sizeof detail);
      fatal_ = true;
      set(false, prefix + "fatal client error, restart the worker: " + detail);
      return;
    }
    default:
      return;
  }
}

void ClusterHealth::on_stats(const ClientStats& stats) {
  std::lock_guard lock(mutex_);
  if (stats.broker_up && !fatal_) set(true, {});
}

void ClusterHealth::set(bool reachable, std::string reason) {
  if (reachable == reachable_ && reason == reason_) return;
  reachable_ = reachable;
  reason_ = std::move(reason);
  if (reachable) last_transport_error_.clear();
  for (const Host& h : watchers_) h.set_health(reachable, reason_);
  if (!watchers_.empty()) {
    watchers_.front().log(reachable ? EH_LOG_INFO : EH_LOG_WARN,
                          reachable ? "kafka " + bootstrap_servers_ + ": reachable again, ready"
                                    : reason_ + "; not ready until a broker answers");
  }
}

}  // namespace eventhost::kafka
