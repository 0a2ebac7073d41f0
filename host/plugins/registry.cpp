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
  plugins_.try_emplace(r.plugin->name(), r.plugin);  // earlier directories win
}

PluginHandle PluginRegistry::find(const std::string& name_or_path, std::string* error) {
  if (name_or_path.find('/') != std::string::npos) {
    std::string canonical = fs::weakly_canonical(name_or_path).string();
    if (auto it = by_path_.find(canonical); it != by_path_.end()) return it->second;
    LoadResult r = load_plugin(canonical);
    if (!r.plugin) {
      *error = "cannot load plugin " + r.failure.to_string();
      return nullptr;
    }
    by_path_[canonical] = r.plugin;
    return r.plugin;
  }
  if (auto it = plugins_.find(name_or_path); it != plugins_.end()) return it->second;
  for (const auto& f : failures_) {
    if (f.name == name_or_path) {
      *error = "plugin '" + name_or_path + "' was refused: " + f.to_string();
      return nullptr;
    }
  }
  std::vector<std::string> names;
  for (const auto& [n, _] : plugins_) names.push_back(n);
  *error = "unknown plugin '" + name_or_path + "'" + config::did_you_mean(name_or_path, names);
  if (names.empty()) *error += " (no plugins found; set EVENTHOST_PLUGIN_PATH)";
  return nullptr;
}

}  // namespace eventhost::host
