#include "config/load.hpp"

#include "config/files.hpp"
#include "config/kafka_bus.hpp"
#include "config/schema_check.hpp"
#include "config/suggest.hpp"
#include "config/vocabulary.hpp"
#include "http/listen_address.hpp"

#include <eventhost/config.hpp>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>
#include <map>
#include <set>

namespace eventhost::config {
namespace {

namespace vocab = vocabulary;

// Events in a broker's or channel's HTTP ingress at once (they pass straight into the bus; its triggers bound it).
constexpr uint32_t kIngressMaxInFlight = 4096;
// The `kafka` source's own limit on events in flight (its max_in_flight key).
constexpr uint32_t kKafkaMaxInFlight = 100000;

std::vector<std::string> keys_of(Schema schema) {
  std::vector<std::string> out;
  for (const auto& k : schema) out.emplace_back(k.key);
  return out;
}

bool is_empty_array(const toml::node& n) { return n.is_array() && n.as_array()->empty(); }

// The keys of `t` that `schema` does not declare: in a shared table they belong to the plugin.
std::vector<std::string> keys_outside(const toml::table& t, Schema schema) {
  auto own = keys_of(schema);
  std::vector<std::string> out;
  for (auto&& [k, v] : t) {
    if (std::find(own.begin(), own.end(), k.str()) == own.end()) out.emplace_back(k.str());
  }
  return out;
}

class Expander {
 public:
  Expander(host::PluginRegistry& registry, const EnvLookup& env, Diagnostics& diags)
      : registry_(registry), env_(env), diags_(diags) {}

  std::optional<WorkerConfig> run(std::vector<ConfigFile>& files) {
    for (auto& f : files) {
      config_.files.push_back(f.path);
      check_top_level(f);
    }
    read_host(files);
    registry_.scan(host::plugin_search_path(config_.host.plugin_path));
    read_election(files);
    for (auto& f : files) read_buses(f, "brokers", false);
    for (auto& f : files) read_buses(f, "channels", true);
    check_bus_deliveries();
    for (auto& f : files) {
      for_each_table(f, "pipelines", [&](const toml::table& t, const std::string& p) { read_pipeline(t, p); });
      for_each_table(f, "triggers", [&](const toml::table& t, const std::string& p) { read_trigger(t, p); });
      for_each_table(f, "subscriptions", [&](const toml::table& t, const std::string& p) { read_subscription(t, p); });
      for_each_table(f, "sources", [&](const toml::table& t, const std::string& p) { read_source(t, p); });
    }
    if (!diags_.empty()) return std::nullopt;
    return std::move(config_);
  }

 private:
  static constexpr const char* kSections[] = {"host", "election", "pipelines", "brokers", "channels", "triggers", "subscriptions", "sources"};

  void check_top_level(const ConfigFile& f) {
    std::vector<std::string> sections(std::begin(kSections), std::end(kSections));
    for (auto&& [k, v] : f.table) {
      std::string name(k.str());
      if (std::find(sections.begin(), sections.end(), name) == sections.end()) {
        diags_.add(Location::of(k.source()), name, "unknown section" + did_you_mean(name, sections));
      }
    }
  }

  template <typename Fn>
  void for_each_table(const ConfigFile& f, const char* section, Fn&& fn) {
    const toml::node* node = f.table.get(section);
    if (node == nullptr) return;
    const toml::array* arr = node->as_array();
    if (arr == nullptr) {
      diags_.add(Location::of(node->source()), section,
                 std::string("expected an array of tables: write [[") + section + "]]");
      return;
    }
    for (size_t i = 0; i < arr->size(); ++i) {
      std::string path = std::string(section) + "[" + std::to_string(i) + "]";
      if (const toml::table* t = arr->get(i)->as_table()) {
        fn(*t, path);
      } else {
        diags_.add(Location::of(arr->get(i)->source()), path, "expected a table");
      }
    }
  }

  // Validates a host table and returns typed access to its values.
  std::optional<eventhost::Config> host_table(const toml::table& t, Schema schema, const std::string& path,
                                              const std::vector<std::string>& extra_keys = {}) {
    std::string json = check_against_schema(t, schema, path, extra_keys, diags_);
    if (json.empty()) return std::nullopt;
    return eventhost::Config(json);
  }

  void read_host(const std::vector<ConfigFile>& files) {
    const toml::table* found = nullptr;
    std::string found_in;
    for (const auto& f : files) {
      const toml::node* node = f.table.get("host");
      if (node == nullptr) continue;
      if (found != nullptr) {
        diags_.add(Location::of(node->source()), "host", "[host] is also set in " + found_in + "; set it once");
        continue;
      }
      found = node->as_table();
      found_in = f.path;
      if (found == nullptr) {
        diags_.add(Location::of(node->source()), "host", "expected a table");
        return;
      }
    }
    toml::table empty;
    auto cfg = host_table(found != nullptr ? *found : empty, vocab::host(), "host");
    if (!cfg) return;
    HostSettings& h = config_.host;
    int64_t threads = cfg->integer("threads");
    if (threads < 0 || threads > 1024) {
      diags_.add(Location::of(found->get("threads")->source()), "host.threads", "must be between 0 and 1024");
    }
    h.threads = static_cast<unsigned>(threads < 0 ? 0 : threads);
    h.shutdown_grace = cfg->duration("shutdown_grace");
    auto base = std::filesystem::path(found_in).parent_path();
    for (const auto& dir : cfg->strings("plugin_path")) {
      h.plugin_path.push_back(std::filesystem::path(dir).is_absolute() ? dir : (base / dir).string());
    }
    h.log_level = cfg->string("log_level");
    h.log_format = cfg->string("log_format");
    h.ns = cfg->string("namespace");
    read_http(*cfg, found);
  }

  // [election] plugin = "NAME" and that elector plugin's keys: which replica runs the singleton sources.
  void read_election(const std::vector<ConfigFile>& files) {
    std::string found_in;
    for (const auto& f : files) {
      const toml::node* node = f.table.get("election");
      if (node == nullptr) continue;
      if (!found_in.empty()) {
        diags_.add(Location::of(node->source()), "election", "[election] is also set in " + found_in + "; set it once");
        continue;
      }
      found_in = f.path;
      const toml::table* t = node->as_table();
      if (t == nullptr) {
        diags_.add(Location::of(node->source()), "election", "expected a table: write [election]");
        continue;
      }
      auto name = plugin_name(*t, "election");
      if (!name) continue;
      config_.election = plugin_spec(*name, EH_KIND_ELECTOR, *t, {"plugin"}, "election", t->get("plugin"));
    }
  }

  void read_http(const eventhost::Config& cfg, const toml::table* found) {
    auto& http = config_.host.http;
    config_.host.listen_explicit = found != nullptr && found->contains("listen");
    http.listen = cfg.string("listen");
    if (!config_.host.listen_explicit) {
      if (auto env = env_("EVENTHOST_LISTEN"); env && !env->empty()) http.listen = *env;
    }
    if (auto a = host::http::parse_listen_address(http.listen); !a) {
      diags_.add(Location::of(config_.host.listen_explicit ? found->get("listen")->source() : toml::source_region{}),
                 "host.listen", a.status().message() + (config_.host.listen_explicit ? "" : " (from EVENTHOST_LISTEN)"));
    }
    auto bounded = [&](const char* key, int64_t lo, int64_t hi) -> uint32_t {
      int64_t v = cfg.integer(key);
      if (v >= lo && v <= hi) return static_cast<uint32_t>(v);
      diags_.add(Location::of(found->get(key)->source()), std::string("host.") + key,
                 "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
      return static_cast<uint32_t>(lo);
    };
    http.max_header_bytes = bounded("http_max_header_bytes", 1024, 1 << 20);
    http.max_headers = bounded("http_max_headers", 1, 10000);
    http.max_connections = bounded("http_max_connections", 1, 1'000'000);
    http.idle_timeout = cfg.duration("http_idle_timeout");
    http.read_timeout = cfg.duration("http_read_timeout");
  }

  // A broker or channel receives events over HTTP: POST /NS/NAME, an `http` source into the bus. The bus answering
  // "full" fails the request at once (429), so a slow trigger pushes back on senders instead of queueing them.
  std::optional<PipelineSpec> ingress_for(const BusSpec& bus, const std::string& path) {
    std::string route = "/" + bus.ns + "/" + bus.name;
    if (auto [it, fresh] = ingress_paths_.emplace(route, bus.id); !fresh) {
      diags_.add(bus.where, path, "HTTP ingress path " + route + " is also " + it->second + "'s: rename one");
      return std::nullopt;
    }
    std::string why;
    if (!registry_.find(vocab::kIngressSourcePlugin, EH_KIND_SOURCE, &why)) {
      diags_.add(bus.where, path, "its HTTP ingress needs the 'http' source plugin: " + why);
      return std::nullopt;
    }
    toml::table source;
    source.insert("path", route);
    auto spec = plugin_spec(vocab::kIngressSourcePlugin, EH_KIND_SOURCE, source, {}, path, nullptr);
    if (!spec) return std::nullopt;
    spec->where = bus.where;
    PipelineSpec p;
    p.name = "ingress/" + bus.id;
    p.object_name = bus.name;
    p.ns = bus.ns;
    p.where = bus.where;
    p.source = std::move(spec);
    if (bus.backend == "kafka") {
      auto sink = bus_destination(bus.id, path, nullptr);
      if (!sink) return std::nullopt;
      p.sink = std::move(*sink);
    } else {
      p.sink = Destination{std::nullopt, bus.id, bus.id, true};
    }
    p.max_in_flight = kIngressMaxInFlight;
    return p;
  }

  void read_buses(const ConfigFile& f, const char* section, bool channel) {
    const toml::node* node = f.table.get(section);
    if (node == nullptr) return;
    const toml::table* t = node->as_table();
    if (t == nullptr) {
      diags_.add(Location::of(node->source()), section, std::string("expected tables: write [") + section + ".NAME]");
      return;
    }
    for (auto&& [k, v] : *t) {
      std::string path = std::string(section) + "." + std::string(k.str());
      const toml::table* bt = v.as_table();
      if (bt == nullptr) {
        diags_.add(Location::of(v.source()), path, "expected a table");
        continue;
      }
      auto cfg = host_table(*bt, vocab::bus(), path);
      if (!cfg) continue;
      BusSpec bus;
      bus.name = std::string(k.str());
      bus.ns = cfg->string_or("namespace", config_.host.ns);
      bus.channel = channel;
      bus.backend = cfg->string("backend");
      bus.id = bus_id(channel, bus.ns, bus.name);
      bus.where = Location::of(k.source());
      if (!bus_ids_.insert(bus.id).second) {
        diags_.add(bus.where, path, "duplicate " + std::string(channel ? "channel" : "broker") + " '" + bus.name +
                                        "' in namespace '" + bus.ns + "'");
        continue;
      }
      if (const toml::node* d = bt->get("delivery")) bus_deliveries_[bus.id] = {d, path + ".delivery", bus.ns};
      if (bus.backend == "kafka") {
        kafka_bus_ids_.insert(bus.id);
        auto kafka = read_kafka_bus(*bt, *cfg, channel, bus.ns, bus.name, path, diags_);
        if (!kafka) continue;
        kafka_buses_.emplace(bus.id, std::move(*kafka));
      } else {
        for (auto&& [key, value] : *bt) {
          if (is_kafka_only_bus_key(std::string(key.str()))) {
            diags_.add(Location::of(key.source()), path + "." + std::string(key.str()),
                       "only a Kafka-backed " + std::string(channel ? "channel" : "broker") +
                           " takes this key (set backend = \"kafka\")");
          }
        }
      }
      bus.ingress = ingress_for(bus, path);
      config_.buses.push_back(std::move(bus));
    }
  }

  std::optional<PluginSpec> plugin_spec(const std::string& name, eh_plugin_kind kind, const toml::table& table,
                                        const std::vector<std::string>& host_keys, const std::string& path,
                                        const toml::node* name_node) {
    Location where = Location::of(name_node != nullptr ? name_node->source() : table.source());
    std::string error;
    host::PluginHandle plugin = registry_.find(name, kind, &error);
    if (!plugin) {
      diags_.add(where, path + ".plugin", error);
      return std::nullopt;
    }
    Schema schema(plugin->descriptor->schema, plugin->descriptor->schema_len);
    std::string json = check_against_schema(table, schema, path, host_keys, diags_);
    if (json.empty()) return std::nullopt;
    return PluginSpec{plugin, std::move(json), path, where};
  }

  // A destination table: {uri}, {broker}, {channel} or {plugin, ...}.
  std::optional<Destination> destination(const toml::node* node, const std::string& path, const std::string& ns) {
    const toml::table* t = node != nullptr ? node->as_table() : nullptr;
    if (t == nullptr) {
      diags_.add(Location::of(node->source()), path, "expected a table: { uri = ... }, { broker = ... }, { channel = ... } or { plugin = ... }");
      return std::nullopt;
    }
    std::vector<std::string> kinds;
    for (const char* k : vocab::kDestinationKinds) {
      if (t->contains(k)) kinds.emplace_back(k);
    }
    if (kinds.size() != 1) {
      diags_.add(Location::of(t->source()), path,
                 kinds.empty() ? "names no destination: give one of uri, broker, channel, plugin"
                               : "names more than one destination (" + kinds[0] + " and " + kinds[1] + "): give one");
      return std::nullopt;
    }
    const std::string& kind = kinds[0];
    const toml::node* value = t->get(kind);
    if (!value->is_string()) {
      diags_.add(Location::of(value->source()), path + "." + kind, "expected a string");
      return std::nullopt;
    }
    std::string target = value->as_string()->get();
    Destination d;
    if (kind == "broker" || kind == "channel") {
      bool channel = kind == "channel";
      for (auto&& [k, v] : *t) {
        if (k.str() != kind && k.str() != "namespace") {
          diags_.add(Location::of(k.source()), path + "." + std::string(k.str()),
                     "unknown key (a " + kind + " destination takes only " + kind + " and namespace)");
        }
      }
      std::string target_ns = ns;
      if (const toml::node* n = t->get("namespace"); n != nullptr && n->is_string()) target_ns = n->as_string()->get();
      std::string id = require_bus(channel, target_ns, target, Location::of(value->source()), path + "." + kind);
      if (id.empty()) return std::nullopt;
      return bus_destination(id, path, value);
    }
    if (kind == "uri") {
      toml::table http_config;
      http_config.insert("url", target);
      for (auto&& [k, v] : *t) {
        if (k.str() != "uri") http_config.insert(k, v);
      }
      auto spec = plugin_spec(vocab::kUriSinkPlugin, EH_KIND_SINK, http_config, {}, path, value);
      if (!spec) return std::nullopt;
      d.plugin = std::move(spec);
      d.display = target;
      return d;
    }
    auto spec = plugin_spec(target, EH_KIND_SINK, *t, {"plugin"}, path, value);
    if (!spec) return std::nullopt;
    d.plugin = std::move(spec);
    d.display = "plugin:" + target;
    return d;
  }

  // A broker or channel as a destination: a memory bus is offered the event in process; a Kafka-backed one is the
  // `kafka` sink on its topic (so the write is acknowledged by Kafka before the delivery counts).
  std::optional<Destination> bus_destination(const std::string& id, const std::string& path, const toml::node* at) {
    Destination d;
    d.display = id;
    if (kafka_bus_ids_.count(id) == 0) {
      d.bus = id;
      return d;
    }
    auto kafka = kafka_buses_.find(id);
    if (kafka == kafka_buses_.end()) return std::nullopt;  // its own settings were refused and reported
    d.plugin = plugin_spec(kKafkaPlugin, EH_KIND_SINK, kafka_producer_table(kafka->second), {}, path, at);
    if (!d.plugin) return std::nullopt;
    return d;
  }

  // A trigger or subscription on a Kafka-backed bus reads its topic in its own consumer group (the pipeline's
  // source); on a memory bus the Kafka-only keys are refused.
  bool read_from_kafka_bus(PipelineSpec& p, const toml::table& t, const eventhost::Config& cfg,
                           const std::string& group, const std::string& path) {
    const std::string& bus = p.intake_bus;
    if (kafka_bus_ids_.count(bus) == 0) {
      bool ok = true;
      for (const char* key : {"delivery_order", "initial_offset"}) {
        if (const toml::node* n = t.get(key)) {
          diags_.add(Location::of(n->source()), path + "." + key,
                     "only for a Kafka-backed broker or channel; " + bus + " is in memory");
          ok = false;
        }
      }
      return ok;
    }
    auto kafka = kafka_buses_.find(bus);
    if (kafka == kafka_buses_.end()) return false;
    if (p.max_in_flight > kKafkaMaxInFlight) {
      diags_.add(Location::of(t.get("max_in_flight")->source()), path + ".max_in_flight",
                 "must be at most " + std::to_string(kKafkaMaxInFlight) + " on a Kafka-backed broker or channel");
      return false;
    }
    KafkaReader reader;
    reader.consumer_group = group;
    reader.ordering = cfg.string_or("delivery_order", reader.ordering);
    reader.initial_offset = cfg.string_or("initial_offset", reader.initial_offset);
    reader.max_in_flight = p.max_in_flight;  // the source's own limit too: it cannot see the pipeline's
    p.source = plugin_spec(kKafkaPlugin, EH_KIND_SOURCE, kafka_consumer_table(kafka->second, reader), {}, path, nullptr);
    if (!p.source) return false;
    p.source->where = p.where;
    return true;
  }

  std::string require_bus(bool channel, const std::string& ns, const std::string& name, Location where,
                          const std::string& path) {
    std::string id = bus_id(channel, ns, name);
    if (bus_ids_.count(id) != 0) return id;
    std::vector<std::string> names;
    for (const auto& b : config_.buses) {
      if (b.channel == channel && b.ns == ns) names.push_back(b.name);
    }
    diags_.add(where, path,
               std::string("unknown ") + (channel ? "channel" : "broker") + " '" + name + "' in namespace '" + ns +
                   "'" + did_you_mean(name, names));
    return {};
  }

  // A broker's or channel's `delivery` table: the defaults its triggers or subscriptions overlay key by key.
  struct BusDelivery {
    const toml::node* node = nullptr;
    std::string path;
    std::string ns;
    bool valid = true;  // when not, its errors are reported once, at the bus, and its objects use only their own table
  };

  // One `delivery` table and where it was written.
  struct DeliveryLayer {
    const toml::table* table;
    std::string path;
  };

  // After every bus is known (a dead-letter sink may name one), each bus's defaults are checked once on their own.
  void check_bus_deliveries() {
    for (auto& [id, d] : bus_deliveries_) {
      bool ok = true;
      delivery(d.node, d.path, d.ns, ok);
      d.valid = ok;
    }
  }

  // The effective delivery of a trigger or subscription: its bus's `delivery` table overlaid key by key with its own.
  DeliverySpec delivery(const toml::node* node, const std::string& path, const std::string& ns, bool& ok,
                        const std::string& bus = {}) {
    DeliverySpec spec;
    std::vector<DeliveryLayer> layers;
    if (auto it = bus_deliveries_.find(bus); it != bus_deliveries_.end() && it->second.valid) {
      layers.push_back({it->second.node->as_table(), it->second.path});
    }
    if (node != nullptr) {
      const toml::table* t = node->as_table();
      if (t == nullptr) {
        diags_.add(Location::of(node->source()), path, "expected a table");
        ok = false;
        return spec;
      }
      layers.push_back({t, path});
    }
    if (layers.empty()) return spec;
    std::string policy;
    const DeliveryLayer* policy_layer = &layers.front();
    const DeliveryLayer* dead_letter_layer = nullptr;
    for (const auto& layer : layers) {
      const toml::table& t = *layer.table;
      auto host_cfg = check_against_schema(t, vocab::delivery(), layer.path, keys_outside(t, vocab::delivery()), diags_);
      if (host_cfg.empty()) {
        ok = false;
        return spec;
      }
      eventhost::Config cfg(host_cfg);
      if (cfg.has("timeout")) spec.timeout = cfg.duration("timeout");
      if (policy.empty() || t.contains("plugin")) {
        policy = cfg.string("plugin");
        policy_layer = &layer;
      }
      if (t.contains("dead_letter_sink")) dead_letter_layer = &layer;
    }
    if (dead_letter_layer != nullptr) {
      auto d = destination(dead_letter_layer->table->get("dead_letter_sink"), dead_letter_layer->path + ".dead_letter_sink", ns);
      if (!d) ok = false;
      spec.dead_letter = std::move(d);
    }
    auto p = policy_spec(policy, *policy_layer, layers);
    if (!p) ok = false;
    spec.policy = std::move(p);
    return spec;
  }

  // The policy plugin's config from the layers, a later layer's key replacing an earlier one's. Each key is checked
  // in the table that sets it, so a mistake is reported where it was written.
  std::optional<PluginSpec> policy_spec(const std::string& name, const DeliveryLayer& named_in,
                                        const std::vector<DeliveryLayer>& layers) {
    const toml::node* name_node = named_in.table->get("plugin");
    Location where = Location::of(name_node != nullptr ? name_node->source() : named_in.table->source());
    std::string error;
    host::PluginHandle plugin = registry_.find(name, EH_KIND_DELIVERY_POLICY, &error);
    if (!plugin) {
      diags_.add(where, named_in.path + ".plugin", error);
      return std::nullopt;
    }
    Schema schema(plugin->descriptor->schema, plugin->descriptor->schema_len);
    rapidjson::Document merged;
    for (size_t i = 0; i < layers.size(); ++i) {
      bool last = i + 1 == layers.size();
      std::vector<std::string> skip = keys_of(vocab::delivery());  // and the keys a later layer replaces
      std::vector<eh_config_key> keys(schema.begin(), schema.end());
      for (size_t j = 0; j < layers.size(); ++j) {
        if (j == i) continue;
        for (auto&& [k, v] : *layers[j].table) {
          if (j > i) skip.emplace_back(k.str());
          for (auto& key : keys) {
            if (k.str() == key.key) key.required = false;
          }
        }
      }
      if (!last) {
        for (auto& key : keys) key.required = false;  // a missing required key is reported once, at the last layer
      }
      std::string json = check_against_schema(*layers[i].table, keys, layers[i].path, skip, diags_);
      if (json.empty()) return std::nullopt;
      rapidjson::Document doc;
      doc.Parse(json.c_str());
      if (i == 0) {
        merged.CopyFrom(doc, merged.GetAllocator());
        continue;
      }
      for (auto&& [k, v] : *layers[i].table) {
        std::string key(k.str());
        auto m = doc.FindMember(key.c_str());
        if (m != doc.MemberEnd()) merged[key.c_str()].CopyFrom(m->value, merged.GetAllocator());
      }
    }
    rapidjson::StringBuffer out;
    rapidjson::Writer<rapidjson::StringBuffer> writer(out);
    merged.Accept(writer);
    return PluginSpec{plugin, out.GetString(), named_in.path, where};
  }

  bool add_pipeline(PipelineSpec&& p, const std::string& path) {
    if (!pipeline_names_.insert(p.name).second) {
      diags_.add(p.where, path, "duplicate name: " + p.name + " is already defined");
      return false;
    }
    config_.pipelines.push_back(std::move(p));
    return true;
  }

  uint32_t max_in_flight(const eventhost::Config& cfg, const toml::table& t, const std::string& path) {
    int64_t v = cfg.integer("max_in_flight");
    if (v < 1 || v > 1'000'000) {
      diags_.add(Location::of(t.get("max_in_flight")->source()), path + ".max_in_flight", "must be between 1 and 1000000");
      return 1;
    }
    return static_cast<uint32_t>(v);
  }

  void read_pipeline(const toml::table& t, const std::string& path) {
    auto cfg = host_table(t, vocab::pipeline(), path);
    if (!cfg) return;
    PipelineSpec p;
    p.object_name = cfg->string("name");
    p.name = "pipeline/" + p.object_name;
    p.ns = config_.host.ns;
    p.where = Location::of(t.source());
    p.max_in_flight = max_in_flight(*cfg, t, path);
    p.inline_dispatch = cfg->string_or("dispatch", "pool") == "inline";
    bool ok = true;
    const toml::table* src = t.get("source")->as_table();
    if (src == nullptr) {
      diags_.add(Location::of(t.get("source")->source()), path + ".source", "expected a table { plugin = \"NAME\", ... }");
      ok = false;
    } else if (auto name = plugin_name(*src, path + ".source")) {
      p.source = plugin_spec(*name, EH_KIND_SOURCE, *src, {"plugin"}, path + ".source", src->get("plugin"));
      ok = ok && p.source.has_value();
    } else {
      ok = false;
    }
    if (const toml::node* filters = t.get("filters")) {
      const toml::array* arr = filters->as_array();
      if (arr == nullptr) {
        diags_.add(Location::of(filters->source()), path + ".filters", "expected an array of tables");
        ok = false;
      } else {
        for (size_t i = 0; i < arr->size(); ++i) {
          std::string fpath = path + ".filters[" + std::to_string(i) + "]";
          const toml::table* ft = arr->get(i)->as_table();
          auto name = ft != nullptr ? plugin_name(*ft, fpath) : std::nullopt;
          if (ft == nullptr) diags_.add(Location::of(arr->get(i)->source()), fpath, "expected a table");
          if (!name) {
            ok = false;
            continue;
          }
          auto f = plugin_spec(*name, EH_KIND_FILTER, *ft, {"plugin"}, fpath, ft->get("plugin"));
          if (f) p.filters.push_back(std::move(*f));
          else ok = false;
        }
      }
    }
    auto sink = destination(t.get("sink"), path + ".sink", p.ns);
    p.delivery = delivery(t.get("delivery"), path + ".delivery", p.ns, ok);
    if (!sink || !ok) return;
    p.sink = std::move(*sink);
    add_pipeline(std::move(p), path);
  }

  std::optional<std::string> plugin_name(const toml::table& t, const std::string& path) {
    const toml::node* n = t.get("plugin");
    if (n == nullptr || !n->is_string()) {
      diags_.add(Location::of(n != nullptr ? n->source() : t.source()), path + ".plugin",
                 n == nullptr ? "missing required key" : "expected a string");
      return std::nullopt;
    }
    return n->as_string()->get();
  }

  // What a trigger and a subscription share: their identity, in-flight limit, and the broker or channel they read.
  bool read_bus_reader(PipelineSpec& p, const toml::table& t, const eventhost::Config& cfg, bool channel,
                       const std::string& path) {
    const char* bus_key = channel ? "channel" : "broker";
    p.object_name = cfg.string("name");
    p.ns = cfg.string_or("namespace", config_.host.ns);
    p.name = std::string(channel ? "subscription/" : "trigger/") + p.ns + "/" + p.object_name;
    p.where = Location::of(t.source());
    p.max_in_flight = max_in_flight(cfg, t, path);
    p.intake_bus = require_bus(channel, p.ns, cfg.string(bus_key), Location::of(t.get(bus_key)->source()),
                               path + "." + bus_key);
    return !p.intake_bus.empty();
  }

  void read_trigger(const toml::table& t, const std::string& path) {
    auto cfg = host_table(t, vocab::trigger(), path);
    if (!cfg) return;
    PipelineSpec p;
    bool ok = read_bus_reader(p, t, *cfg, false, path);
    ok = ok && read_from_kafka_bus(p, t, *cfg, trigger_consumer_group(p.ns, p.object_name), path);
    if (const toml::node* filters = t.get("filters"); filters != nullptr && !is_empty_array(*filters)) {
      // Knative: a non-empty `filters` replaces `filter`.
      toml::table dialects;
      dialects.insert("filters", *filters);
      auto f = plugin_spec(vocab::kDialectsFilterPlugin, EH_KIND_FILTER, dialects, {}, path + ".filters", filters);
      if (f) p.filters.push_back(std::move(*f));
      else ok = false;
    } else if (const toml::node* filter = t.get("filter")) {
      const toml::table* ft = filter->as_table();
      if (ft == nullptr) {
        diags_.add(Location::of(filter->source()), path + ".filter", "expected a table { attributes = { ... } }");
        ok = false;
      } else if (!ft->empty()) {
        auto f = plugin_spec(vocab::kAttributesFilterPlugin, EH_KIND_FILTER, *ft, {}, path + ".filter", filter);
        if (f) p.filters.push_back(std::move(*f));
        else ok = false;
      }
    }
    auto sink = destination(t.get("subscriber"), path + ".subscriber", p.ns);
    p.delivery = delivery(t.get("delivery"), path + ".delivery", p.ns, ok, p.intake_bus);
    if (!sink || !ok) return;
    p.sink = std::move(*sink);
    p.reply = bus_destination(p.intake_bus, path + ".broker", t.get("broker"));  // replies go back into the broker
    if (!p.reply) return;
    if (p.source) p.intake_bus.clear();  // a Kafka-backed broker: the source reads it
    add_pipeline(std::move(p), path);
  }

  void read_subscription(const toml::table& t, const std::string& path) {
    auto cfg = host_table(t, vocab::subscription(), path);
    if (!cfg) return;
    PipelineSpec p;
    bool ok = read_bus_reader(p, t, *cfg, true, path);
    ok = ok && read_from_kafka_bus(p, t, *cfg, subscription_consumer_group(p.ns, cfg->string("channel"), p.object_name), path);
    auto sink = destination(t.get("subscriber"), path + ".subscriber", p.ns);
    if (const toml::node* reply = t.get("reply")) {
      p.reply = destination(reply, path + ".reply", p.ns);
      ok = ok && p.reply.has_value();
    }
    p.delivery = delivery(t.get("delivery"), path + ".delivery", p.ns, ok, p.intake_bus);
    if (!sink || !ok) return;
    p.sink = std::move(*sink);
    if (p.source) p.intake_bus.clear();  // a Kafka-backed channel: the source reads it
    add_pipeline(std::move(p), path);
  }

  void read_source(const toml::table& t, const std::string& path) {
    auto cfg = host_table(t, vocab::source(), path, keys_outside(t, vocab::source()));
    if (!cfg) return;
    PipelineSpec p;
    p.object_name = cfg->string("name");
    p.ns = cfg->string_or("namespace", config_.host.ns);
    p.name = "source/" + p.ns + "/" + p.object_name;
    p.where = Location::of(t.source());
    p.max_in_flight = max_in_flight(*cfg, t, path);
    p.inline_dispatch = cfg->string_or("dispatch", "pool") == "inline";
    p.source = plugin_spec(cfg->string("plugin"), EH_KIND_SOURCE, t, keys_of(vocab::source()), path, t.get("plugin"));
    auto sink = destination(t.get("sink"), path + ".sink", p.ns);
    if (!sink || !p.source) return;
    p.sink = std::move(*sink);
    add_pipeline(std::move(p), path);
  }

  host::PluginRegistry& registry_;
  const EnvLookup& env_;
  Diagnostics& diags_;
  WorkerConfig config_;
  std::set<std::string> bus_ids_;
  std::set<std::string> kafka_bus_ids_;                  // buses with backend = "kafka"
  std::map<std::string, KafkaBusSettings> kafka_buses_;  // their settings, when valid
  std::set<std::string> pipeline_names_;
  std::map<std::string, std::string> ingress_paths_;  // HTTP path -> bus id
  std::map<std::string, BusDelivery> bus_deliveries_;  // bus id -> its `delivery` table
};

}  // namespace

std::optional<WorkerConfig> load_worker_config(const std::vector<std::string>& args, const EnvLookup& env,
                                               host::PluginRegistry& registry, Diagnostics& diags) {
  auto paths = list_config_files(args, diags);
  auto files = read_config_files(paths, env, diags);
  if (!diags.empty()) return std::nullopt;
  return Expander(registry, env, diags).run(files);
}

}  // namespace eventhost::config
