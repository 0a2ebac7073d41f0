#include "plugins/loaded_plugin.hpp"

#include <boost/dll/import.hpp>

#include <cstddef>
#include <filesystem>

namespace eventhost::host {
namespace {

// The descriptor fields that ABI 1.0 defines; a plugin's struct_size must cover them.
constexpr size_t kMinDescriptorSize = offsetof(eh_plugin, decide) + sizeof(eh_plugin::decide);

std::string guess_name(const std::string& path) {
  std::string stem = std::filesystem::path(path).stem().string();
  for (const char* prefix : {"eh-", "libeh-", "lib"}) {
    if (stem.starts_with(prefix)) return stem.substr(std::char_traits<char>::length(prefix));
  }
  return stem;
}

bool valid_name(const char* name) {
  if (name == nullptr || *name == '\0') return false;
  for (const char* c = name; *c != '\0'; ++c) {
    if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_')) return false;
  }
  return true;
}

// Why this descriptor cannot be used, or "".
std::string check_descriptor(const eh_plugin* d) {
  if (d == nullptr) return "the entry point returned no descriptor";
  if (d->abi_major != EH_ABI_MAJOR) {
    return "plugin ABI " + std::to_string(d->abi_major) + "." + std::to_string(d->abi_minor) +
           " is incompatible with the host's ABI " + std::to_string(EH_ABI_MAJOR) + "." +
           std::to_string(EH_ABI_MINOR) + " (major versions differ)";
  }
  if (d->abi_minor > EH_ABI_MINOR) {
    return "plugin ABI " + std::to_string(d->abi_major) + "." + std::to_string(d->abi_minor) +
           " is newer than the host's ABI " + std::to_string(EH_ABI_MAJOR) + "." + std::to_string(EH_ABI_MINOR) +
           " (upgrade eventhost)";
  }
  if (d->struct_size < kMinDescriptorSize) {
    return "descriptor is " + std::to_string(d->struct_size) + " bytes, ABI 1.0 needs at least " +
           std::to_string(kMinDescriptorSize);
  }
  if (!valid_name(d->name)) return "plugin name must be non-empty [a-z0-9_-]";
  if (d->version == nullptr) return "plugin has no version";
  if (d->create == nullptr || d->destroy == nullptr) return "descriptor lacks create or destroy";
  switch (d->kind) {
    case EH_KIND_SOURCE:
      if (d->start == nullptr || d->stop == nullptr) return "source lacks start or stop";
      break;
    case EH_KIND_SINK:
      if (d->deliver == nullptr) return "sink lacks deliver";
      break;
    case EH_KIND_FILTER:
      if (d->match == nullptr) return "filter lacks match";
      break;
    case EH_KIND_DELIVERY_POLICY:
      if (d->decide == nullptr) return "delivery policy lacks decide";
      break;
    case EH_KIND_ELECTOR:
      if (d->start == nullptr || d->stop == nullptr) return "elector lacks start or stop";
      break;
    default:
      return "unknown plugin kind " + std::to_string(static_cast<int>(d->kind));
  }
  if (d->schema_len > 0 && d->schema == nullptr) return "schema_len is set but schema is null";
  for (size_t i = 0; i < d->schema_len; ++i) {
    const eh_config_key& k = d->schema[i];
    if (k.key == nullptr || *k.key == '\0') return "schema key " + std::to_string(i) + " has no name";
    if (k.type < EH_CONFIG_STRING || k.type > EH_CONFIG_ENUM) return "schema key '" + std::string(k.key) + "' has an unknown type";
    if (k.type == EH_CONFIG_ENUM && k.choices == nullptr) return "enum key '" + std::string(k.key) + "' has no choices";
  }
  return {};
}

}  // namespace

const char* kind_name(eh_plugin_kind kind) {
  switch (kind) {
    case EH_KIND_SOURCE: return "source";
    case EH_KIND_SINK: return "sink";
    case EH_KIND_FILTER: return "filter";
    case EH_KIND_DELIVERY_POLICY: return "delivery-policy";
    case EH_KIND_ELECTOR: return "elector";
  }
  return "unknown";
}

uint32_t LoadedPlugin::flags() const {
  return descriptor->struct_size >= offsetof(eh_plugin, flags) + sizeof(eh_plugin::flags) ? descriptor->flags : 0;
}

LoadResult load_plugin(const std::string& path) {
  LoadResult result;
  result.failure.path = path;
  result.failure.name = guess_name(path);
  auto plugin = std::make_shared<LoadedPlugin>();
  plugin->path = path;
  try {
    // Local binding keeps each plugin's symbols (and the libraries it links) out of every other plugin's way.
    plugin->library.load(path, boost::dll::load_mode::rtld_local | boost::dll::load_mode::rtld_now);
  } catch (const std::exception& e) {
    result.failure.reason = std::string("not a loadable shared object: ") + e.what();
    return result;
  }
  if (!plugin->library.has(EH_PLUGIN_ENTRY_SYMBOL)) {
    result.failure.reason = "not an eventhost plugin: no '" EH_PLUGIN_ENTRY_SYMBOL "' entry point";
    return result;
  }
  auto entry = plugin->library.get<const eh_plugin*()>(EH_PLUGIN_ENTRY_SYMBOL);
  const eh_plugin* descriptor = nullptr;
  try {
    descriptor = entry();
  } catch (...) {
    result.failure.reason = "the entry point threw an exception";
    return result;
  }
  // The first five fields are stable across ABI versions: name the plugin even when refusing it.
  if (descriptor != nullptr && valid_name(descriptor->name)) result.failure.name = descriptor->name;
  if (std::string why = check_descriptor(descriptor); !why.empty()) {
    result.failure.reason = why;
    return result;
  }
  plugin->descriptor = descriptor;
  result.plugin = std::move(plugin);
  return result;
}

}  // namespace eventhost::host
