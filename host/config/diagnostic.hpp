// Config errors the way compilers report them: FILE:LINE:COL: key.path: reason.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace toml { inline namespace v3 { struct source_region; } }

namespace eventhost::config {

struct Location {
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;

  static Location of(const toml::source_region& region);
};

struct Diagnostic {
  Location where;
  std::string key_path;  // e.g. "triggers[0].subscriber.format"; empty for file-level problems
  std::string reason;

  std::string to_string() const;
};

class Diagnostics {
 public:
  void add(Location where, std::string key_path, std::string reason) {
    items_.push_back({std::move(where), std::move(key_path), std::move(reason)});
  }
  bool empty() const { return items_.empty(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  std::string to_string() const;  // one line per diagnostic

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace eventhost::config
