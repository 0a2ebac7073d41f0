// One plugin shared object, loaded and checked. Instances hold a shared_ptr to it, so the library stays mapped for
// as long as anything it created is alive.
#pragma once

#include <eventhost/abi.h>

#include <boost/dll/shared_library.hpp>

#include <memory>
#include <string>

namespace eventhost::host {

struct LoadedPlugin {
  boost::dll::shared_library library;
  const eh_plugin* descriptor = nullptr;
  std::string path;

  std::string name() const { return descriptor->name; }
  eh_plugin_kind kind() const { return descriptor->kind; }
  // EH_PLUGIN_* bits; 0 for plugins built against ABI 1.0 or 1.1, whose descriptor ends before the field.
  uint32_t flags() const;
};

using PluginHandle = std::shared_ptr<const LoadedPlugin>;

struct LoadFailure {
  std::string path;
  std::string name;    // from the descriptor when it could be read, else guessed from the file name
  std::string reason;

  std::string to_string() const { return path + ": " + reason; }
};

// Loads `path` with local binding and checks the ABI handshake. Exactly one of the results is set.
struct LoadResult {
  PluginHandle plugin;
  LoadFailure failure;
};
LoadResult load_plugin(const std::string& path);

const char* kind_name(eh_plugin_kind kind);

}  // namespace eventhost::host
