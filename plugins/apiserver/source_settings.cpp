#include "source_settings.hpp"

#include <algorithm>
#include <set>

namespace eventhost::apiserver {
namespace {

bool is_dns_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

// "v1", or "<group>/<version>" with a DNS-like group; versions are lower-case alphanumerics.
bool is_api_version(std::string_view v) {
  auto version_ok = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
             return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
           });
  };
  size_t slash = v.find('/');
  if (slash == std::string_view::npos) return version_ok(v);
  std::string_view group = v.substr(0, slash);
  return !group.empty() && std::all_of(group.begin(), group.end(), is_dns_char) && version_ok(v.substr(slash + 1));
}

bool is_kind(std::string_view k) {
  return !k.empty() && std::all_of(k.begin(), k.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
         });
}

// Reads the string members `allowed` of a table; anything else, or a non-string, is refused.
Result<std::vector<std::string>> string_fields(const rapidjson::Value& table, const std::string& where,
                                               std::initializer_list<const char*> allowed) {
  if (!table.IsObject()) return Status::invalid(where + ": must be a table");
  std::vector<std::string> out(allowed.size());
  for (const auto& m : table.GetObject()) {
    std::string name(m.name.GetString(), m.name.GetStringLength());
    auto it = std::find_if(allowed.begin(), allowed.end(), [&](const char* a) { return name == a; });
    if (it == allowed.end()) {
      std::string list;
      for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
      return Status::invalid(where + ": unknown key '" + name + "' (allowed: " + list + ")");
    }
    if (!m.value.IsString()) return Status::invalid(where + "." + name + ": must be a string");
    out[static_cast<size_t>(it - allowed.begin())] = std::string(m.value.GetString(), m.value.GetStringLength());
  }
  return out;
}

}  // namespace

bool OwnerFilter::passes(const ObjectMeta& meta) const {
  if (!meta.controller) return false;
  return (api_version.empty() || api_version == meta.controller->api_version) &&
         (kind.empty() || kind == meta.controller->kind);
}

bool is_namespace_name(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  if (name.front() == '-' || name.back() == '-') return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

Result<std::vector<ResourceSpec>> parse_resources(const rapidjson::Value& value) {
  if (!value.IsArray() || value.Empty()) {
    return Status::invalid("resources: must be a non-empty array of tables, e.g. [{ apiVersion = \"v1\", kind = \"Event\" }]");
  }
  std::vector<ResourceSpec> out;
  std::set<std::pair<std::string, std::string>> seen;
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    std::string where = "resources[" + std::to_string(i) + "]";
    auto fields = string_fields(value[i], where, {"apiVersion", "kind", "labelSelector"});
    if (!fields) return fields.status();
    ResourceSpec r{(*fields)[0], (*fields)[1], (*fields)[2]};
    if (r.api_version.empty()) return Status::invalid(where + ".apiVersion: required (\"v1\" or \"<group>/<version>\")");
    if (!is_api_version(r.api_version)) {
      return Status::invalid(where + ".apiVersion: '" + r.api_version + "' is not \"v1\" or \"<group>/<version>\"");
    }
    if (r.kind.empty()) return Status::invalid(where + ".kind: required (e.g. \"Event\")");
    if (!is_kind(r.kind)) return Status::invalid(where + ".kind: '" + r.kind + "' is not a kind name");
    if (!seen.emplace(r.api_version, r.kind + "\n" + r.label_selector).second) {
      return Status::invalid(where + ": " + r.api_version + " " + r.kind + " is listed twice");
    }
    out.push_back(std::move(r));
  }
  return out;
}

Result<OwnerFilter> parse_owner(const rapidjson::Value& value) {
  auto fields = string_fields(value, "owner", {"apiVersion", "kind"});
  if (!fields) return fields.status();
  OwnerFilter f{(*fields)[0], (*fields)[1]};
  if (f.api_version.empty() && f.kind.empty()) return Status::invalid("owner: give apiVersion, kind or both");
  if (!f.api_version.empty() && !is_api_version(f.api_version)) {
    return Status::invalid("owner.apiVersion: '" + f.api_version + "' is not \"v1\" or \"<group>/<version>\"");
  }
  if (!f.kind.empty() && !is_kind(f.kind)) return Status::invalid("owner.kind: '" + f.kind + "' is not a kind name");
  return f;
}

Result<SourceSettings> read_settings(const Config& config) {
  SourceSettings s;
  auto resources = parse_resources(config.raw("resources"));
  if (!resources) return resources.status();
  s.resources = std::move(resources).value();

  s.namespaces = config.strings("namespaces");
  std::set<std::string> unique;
  for (const auto& ns : s.namespaces) {
    if (!is_namespace_name(ns)) return Status::invalid("namespaces: '" + ns + "' is not a namespace name");
    if (!unique.insert(ns).second) return Status::invalid("namespaces: '" + ns + "' is listed twice");
  }
  if (config.has("owner")) {
    auto owner = parse_owner(config.raw("owner"));
    if (!owner) return owner.status();
    s.owner = std::move(owner).value();
  }
  s.mode = config.string("mode") == "Resource" ? EventMode::resource : EventMode::reference;
  auto credentials = read_credentials(config);
  if (!credentials) return credentials.status();
  s.credentials = std::move(credentials).value();
  s.reconnect_delay = config.duration("reconnect_delay");
  s.reconnect_delay_max = config.duration("reconnect_delay_max");
  if (s.reconnect_delay.count() < 1) return Status::invalid("reconnect_delay: must be at least 1ms");
  if (s.reconnect_delay_max < s.reconnect_delay) {
    return Status::invalid("reconnect_delay_max: must not be less than reconnect_delay");
  }
  auto watch_timeout = config.duration("watch_timeout");
  if (watch_timeout < std::chrono::seconds(1)) return Status::invalid("watch_timeout: must be at least 1s");
  s.watch_timeout = std::chrono::duration_cast<std::chrono::seconds>(watch_timeout);
  return s;
}

}  // namespace eventhost::apiserver
