// The plugin registry: every plugin found on the search path, looked up by name and kind (first found wins; a source
// and a sink may share a name, like Knative's HTTP source and sink), plus the files that were refused and why, so
// that a config naming a refused plugin gets the real reason.
#pragma once

#include "plugins/loaded_plugin.hpp"

#include <map>
#include <string>
#include <vector>

namespace eventhost::host {

class PluginRegistry {
 public:
  // Scans each directory (and its direct subdirectories, which is how the build tree lays plugins out) for *.so.
  void scan(const std::vector<std::string>& dirs);

  // A plugin of `kind` by name, or by file path when `name_or_path` contains '/'. Sets *error when it cannot be had.
  PluginHandle find(const std::string& name_or_path, eh_plugin_kind kind, std::string* error);
  // Every kind registered under `name`.
  std::vector<PluginHandle> find_all(const std::string& name) const;

  const std::map<std::pair<std::string, eh_plugin_kind>, PluginHandle>& plugins() const { return plugins_; }
  const std::vector<LoadFailure>& failures() const { return failures_; }
  const std::vector<std::string>& searched() const { return searched_; }

 private:
  void consider(const std::string& path);

  std::map<std::pair<std::string, eh_plugin_kind>, PluginHandle> plugins_;
  std::map<std::string, PluginHandle> by_path_;
  std::vector<LoadFailure> failures_;
  std::vector<std::string> searched_;
};

// The search path: EVENTHOST_PLUGIN_PATH, then the config's [host] plugin_path, then the build tree's plugins
// when the binary runs from a meson build tree, then the installed plugin directory.
std::vector<std::string> plugin_search_path(const std::vector<std::string>& configured);

}  // namespace eventhost::host
