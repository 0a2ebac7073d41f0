#include "config/diagnostic.hpp"

#include <toml++/toml.h>

namespace eventhost::config {

Location Location::of(const toml::source_region& region) {
  Location loc;
  if (region.path) loc.file = *region.path;
  loc.line = region.begin.line;
  loc.column = region.begin.column;
  return loc;
}

std::string Diagnostic::to_string() const {
  std::string out = where.file.empty() ? std::string("<config>") : where.file;
  if (where.line > 0) out += ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
  out += ": ";
  if (!key_path.empty()) out += key_path + ": ";
  out += reason;
  return out;
}

std::string Diagnostics::to_string() const {
  std::string out;
  for (const auto& d : items_) {
    if (!out.empty()) out += '\n';
    out += d.to_string();
  }
  return out;
}

}  // namespace eventhost::config
