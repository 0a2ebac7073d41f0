#include "plugins/registry.hpp"

#include "config/suggest.hpp"

#include <boost/dll/runtime_symbol_info.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#ifndef EVENTHOST_PLUGINDIR
#error "EVENTHOST_PLUGINDIR must be defined by the build"
#endif

namespace eventhost::host {
namespace fs = std::filesystem;

std::vector<std::string> plugin_search_path(const std::vector<std::string>& configured) {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("EVENTHOST_PLUGIN_PATH"); env != nullptr) {
    std::string_view s = env;
    while (!s.empty()) {
      size_t colon = s.find(':');
      if (colon != 0) dirs.emplace_back(s.substr(0, colon));
      if (colon == std::string_view::npos) break;
      s.remove_prefix(colon + 1);
    }
  }
  dirs.insert(dirs.end(), configured.begin(), configured.end());
  // A meson build tree has meson-private/ at its root; the worker sits in <build>/host/, plugins in <build>/plugins/.
  fs::path build_root = boost::dll::program_location().parent_path().parent_path().native();
  std::error_code ec;
  if (fs::is_directory(build_root / "meson-private", ec)) dirs.push_back((build_root / "plugins").string());
  dirs.emplace_back(EVENTHOST_PLUGINDIR);
  return dirs;
}

void PluginRegistry::scan(const std::vector<std::string>& dirs) {
  for (const auto& dir : dirs) {
    searched_.push_back(dir);
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    std::vector<std::string> files;
    auto collect = [&](const fs::path& d) {
      for (const auto& entry : fs::directory_iterator(d, ec)) {
        if (entry.path().extension() == ".so" && entry.is_regular_file(ec)) files.push_back(entry.path().string());
      }
    };
    collect(dir);
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.is_directory(ec)) collect(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) consider(f);
  }
}

void PluginRegistry::consider(const std::string& path) {
  std::string canonical = fs::weakly_canonical(path).string();
  if (by_path_.count(canonical) != 0) return;
  LoadResult r = load_plugin(canonical);
  if (!r.plugin) {
    failures_.push_back(r.failure);
    return;
  }
  by_path_[canonical] = r.plugin;
  plugins_.try_emplace(std::make_pair(r.plugin->name(), r.plugin->kind()), r.plugin);  // earlier directories win
}

PluginHandle PluginRegistry::find(const std::string& name_or_path, eh_plugin_kind kind, std::string* error) {
  auto a_kind = [](eh_plugin_kind k) { return std::string(k == EH_KIND_ELECTOR ? "an " : "a ") + kind_name(k); };
  auto wrong_kind = [&](const PluginHandle& p) {
    *error = "plugin '" + p->name() + "' (" + p->path + ") is " + a_kind(p->kind()) + ", expected " + a_kind(kind);
    return nullptr;
  };
  if (name_or_path.find('/') != std::string::npos) {
    std::string canonical = fs::weakly_canonical(name_or_path).string();
    PluginHandle p;
    if (auto it = by_path_.find(canonical); it != by_path_.end()) {
      p = it->second;
    } else {
      LoadResult r = load_plugin(canonical);
      if (!r.plugin) {
        *error = "cannot load plugin " + r.failure.to_string();
        return nullptr;
      }
      p = by_path_[canonical] = r.plugin;
    }
    return p->kind() == kind ? p : wrong_kind(p);
  }
  if (auto it = plugins_.find({name_or_path, kind}); it != plugins_.end()) return it->second;
  if (auto others = find_all(name_or_path); !others.empty()) return wrong_kind(others.front());
  for (const auto& f : failures_) {
    if (f.name == name_or_path) {
      *error = "plugin '" + name_or_path + "' was refused: " + f.to_string();
      return nullptr;
    }
  }
  std::vector<std::string> names;
  for (const auto& [key, _] : plugins_) {
    if (key.second == kind) names.push_back(key.first);
  }
  *error = "unknown " + std::string(kind_name(kind)) + " plugin '" + name_or_path + "'" +
           config::did_you_mean(name_or_path, names);
  if (plugins_.empty()) *error += " (no plugins found; set EVENTHOST_PLUGIN_PATH)";
  return nullptr;
}

std::vector<PluginHandle> PluginRegistry::find_all(const std::string& name) const {
  std::vector<PluginHandle> out;
  for (const auto& [key, p] : plugins_) {
    if (key.first == name) out.push_back(p);
  }
  return out;
}

}  // namespace eventhost::host
