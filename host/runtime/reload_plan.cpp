#include "runtime/reload_plan.hpp"

#include <map>
#include <set>

namespace eventhost::host {
namespace {

// Length-prefixed fields: no value can be mistaken for a separator.
class Canonical {
 public:
  Canonical& field(std::string_view name, std::string_view value) {
    out_.append(name).append("=").append(std::to_string(value.size())).append(":").append(value).append(";");
    return *this;
  }
  Canonical& plugin(std::string_view name, const config::PluginSpec& p) {
    const eh_plugin& d = *p.plugin->descriptor;
    return field(name, std::string(d.name) + "|" + kind_name(d.kind) + "|" + d.version + "|" + p.plugin->path + "|" +
                           p.config_json);
  }
  Canonical& destination(std::string_view name, const config::Destination& d) {
    std::string prefix(name);
    if (d.plugin) plugin(prefix + ".plugin", *d.plugin);
    return field(prefix + ".bus", d.bus)
        .field(prefix + ".display", d.display)
        .field(prefix + ".fail_when_full", d.fail_when_full ? "1" : "0");
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

bool is_memory(const config::BusSpec& b) { return b.backend == "memory"; }

std::set<std::string> memory_buses(const config::WorkerConfig& c) {
  std::set<std::string> out;
  for (const auto& b : c.buses) {
    if (is_memory(b)) out.insert(b.id);
  }
  return out;
}

template <typename T>
std::string shown(const T& v) {
  if constexpr (std::is_same_v<T, std::string>) return "'" + v + "'";
  else if constexpr (std::is_same_v<T, std::chrono::milliseconds>) return std::to_string(v.count()) + "ms";
  else if constexpr (std::is_same_v<T, bool>) return v ? "true" : "false";
  else return std::to_string(v);
}

}  // namespace

std::string fingerprint(const config::PipelineSpec& spec) {
  Canonical c;
  c.field("name", spec.name).field("object", spec.object_name).field("namespace", spec.ns);
  if (spec.source) c.plugin("source", *spec.source);
  c.field("intake", spec.intake_bus);
  for (const auto& f : spec.filters) c.plugin("filter", f);
  c.destination("sink", spec.sink);
  if (spec.reply) c.destination("reply", *spec.reply);
  if (spec.delivery.policy) c.plugin("policy", *spec.delivery.policy);
  if (spec.delivery.dead_letter) c.destination("dead_letter", *spec.delivery.dead_letter);
  c.field("timeout", std::to_string(spec.delivery.timeout.count()));
  c.field("max_in_flight", std::to_string(spec.max_in_flight));
  c.field("dispatch", spec.inline_dispatch ? "inline" : "pool");
  return c.take();
}

std::vector<const config::PipelineSpec*> all_pipelines(const config::WorkerConfig& config) {
  std::vector<const config::PipelineSpec*> out;
  for (const auto& b : config.buses) {
    if (b.ingress) out.push_back(&*b.ingress);
  }
  for (const auto& p : config.pipelines) out.push_back(&p);
  return out;
}

ReloadPlan plan_reload(const config::WorkerConfig& running, const config::WorkerConfig& next) {
  ReloadPlan plan;
  const auto& a = running.host;
  const auto& b = next.host;
  auto fixed = [&](const char* key, const auto& old_value, const auto& new_value) {
    if (old_value != new_value) {
      plan.needs_restart.push_back(std::string("host.") + key + ": " + shown(old_value) + " -> " + shown(new_value));
    }
  };
  fixed("threads", a.threads, b.threads);
  fixed("listen", a.http.listen, b.http.listen);
  fixed("listen (set explicitly)", a.listen_explicit, b.listen_explicit);
  fixed("http_max_header_bytes", a.http.max_header_bytes, b.http.max_header_bytes);
  fixed("http_max_headers", a.http.max_headers, b.http.max_headers);
  fixed("http_max_connections", a.http.max_connections, b.http.max_connections);
  fixed("http_idle_timeout", a.http.idle_timeout, b.http.idle_timeout);
  fixed("http_read_timeout", a.http.read_timeout, b.http.read_timeout);
  fixed("log_format", a.log_format, b.log_format);
  auto elector = [](const config::WorkerConfig& c) { return c.election ? Canonical().plugin("", *c.election).take() : ""; };
  if (elector(running) != elector(next)) plan.needs_restart.push_back("election: the elector or its settings changed");

  std::map<std::string, std::string> old_prints;
  for (const auto* p : all_pipelines(running)) old_prints.emplace(p->name, fingerprint(*p));
  std::set<std::string> in_next;
  for (const auto* p : all_pipelines(next)) {
    in_next.insert(p->name);
    auto it = old_prints.find(p->name);
    if (it != old_prints.end() && it->second == fingerprint(*p)) {
      plan.unchanged.push_back(p->name);
      continue;
    }
    if (it != old_prints.end()) plan.stop.push_back(p->name);
    plan.start.push_back(p);
  }
  for (const auto& [name, print] : old_prints) {
    if (in_next.count(name) == 0) plan.stop.push_back(name);
  }

  auto old_buses = memory_buses(running);
  auto new_buses = memory_buses(next);
  for (const auto& id : new_buses) {
    if (old_buses.count(id) == 0) plan.buses_added.push_back(id);
  }
  for (const auto& id : old_buses) {
    if (new_buses.count(id) == 0) plan.buses_removed.push_back(id);
  }
  return plan;
}

}  // namespace eventhost::host
