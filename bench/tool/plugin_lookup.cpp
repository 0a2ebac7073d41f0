#include "plugin_lookup.hpp"

#include "config/suggest.hpp"
#include "plugins/registry.hpp"

#include <boost/dll/runtime_symbol_info.hpp>

#include <filesystem>
#include <vector>

namespace eventhost::bench {
namespace fs = std::filesystem;
namespace {

// The host's search path, plus the build tree's plugins when this binary runs from <build>/bench/tool/.
std::vector<std::string> search_path() {
  std::vector<std::string> dirs = host::plugin_search_path({});
  fs::path build_root = boost::dll::program_location().parent_path().parent_path().parent_path().native();
  std::error_code ec;
  if (fs::is_directory(build_root / "meson-private", ec)) dirs.push_back((build_root / "plugins").string());
  return dirs;
}

}  // namespace

std::optional<eh_plugin_kind> parse_kind(const std::string& word) {
  for (eh_plugin_kind k : {EH_KIND_SOURCE, EH_KIND_SINK, EH_KIND_FILTER, EH_KIND_DELIVERY_POLICY}) {
    if (word == host::kind_name(k)) return k;
  }
  return std::nullopt;
}

Result<host::PluginHandle> find_plugin(const std::string& name_or_path, std::optional<eh_plugin_kind> kind) {
  if (name_or_path.find('/') != std::string::npos) {
    std::error_code ec;
    if (!fs::exists(name_or_path, ec)) return Status::invalid(name_or_path + ": no such file");
    host::LoadResult r = host::load_plugin(fs::weakly_canonical(name_or_path).string());
    if (!r.plugin) return Status::invalid("cannot load plugin " + r.failure.to_string());
    if (kind && r.plugin->kind() != *kind) {
      return Status::invalid(name_or_path + ": plugin '" + r.plugin->name() + "' is a " +
                             host::kind_name(r.plugin->kind()) + ", not a " + host::kind_name(*kind));
    }
    return r.plugin;
  }
  host::PluginRegistry registry;
  registry.scan(search_path());
  if (kind) {
    std::string error;
    host::PluginHandle p = registry.find(name_or_path, *kind, &error);
    if (!p) return Status::invalid(error);
    return p;
  }
  std::vector<host::PluginHandle> found = registry.find_all(name_or_path);
  if (found.size() == 1) return found.front();
  if (found.size() > 1) {
    std::string kinds;
    for (const auto& p : found) kinds += std::string(kinds.empty() ? "" : " and ") + host::kind_name(p->kind());
    return Status::invalid("plugin '" + name_or_path + "' exists as " + kinds + ": pass --kind");
  }
  for (const auto& f : registry.failures()) {
    if (f.name == name_or_path) return Status::invalid("plugin '" + name_or_path + "' was refused: " + f.to_string());
  }
  std::vector<std::string> names;
  for (const auto& [key, _] : registry.plugins()) names.push_back(key.first);
  std::string searched;
  for (const auto& d : registry.searched()) searched += (searched.empty() ? "" : ":") + d;
  return Status::invalid("unknown plugin '" + name_or_path + "'" + config::did_you_mean(name_or_path, names) +
                         " (searched " + searched + "; give a path to a .so, or set EVENTHOST_PLUGIN_PATH)");
}

}  // namespace eventhost::bench
