#include "config/files.hpp"

#include <algorithm>
#include <filesystem>

namespace eventhost::config {
namespace fs = std::filesystem;
namespace {

void expand_strings(toml::node& node, const std::string& path, const EnvLookup& env, Diagnostics& diags) {
  if (auto* s = node.as_string()) {
    std::string error;
    if (auto v = expand_env(s->get(), env, &error)) {
      s->get() = std::move(*v);
    } else {
      diags.add(Location::of(node.source()), path, error);
    }
  } else if (auto* t = node.as_table()) {
    for (auto&& [k, v] : *t) expand_strings(v, path.empty() ? std::string(k.str()) : path + "." + std::string(k.str()), env, diags);
  } else if (auto* a = node.as_array()) {
    for (size_t i = 0; i < a->size(); ++i) expand_strings(*a->get(i), path + "[" + std::to_string(i) + "]", env, diags);
  }
}

}  // namespace

std::vector<std::string> list_config_files(const std::vector<std::string>& args, Diagnostics& diags) {
  std::vector<std::string> out;
  for (const auto& arg : args) {
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::directory_iterator(arg, ec)) {
        auto name = entry.path().filename().string();
        if (name.starts_with(".") || entry.path().extension() != ".toml") continue;
        if (!fs::is_regular_file(entry.path(), ec)) continue;  // follows the ConfigMap's symlinks
        found.push_back(entry.path().string());
      }
      std::sort(found.begin(), found.end());
      if (found.empty()) diags.add(Location{arg, 0, 0}, "", "directory has no *.toml files");
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(arg, ec)) {
      out.push_back(arg);
    } else {
      diags.add(Location{arg, 0, 0}, "", "no such file or directory");
    }
  }
  return out;
}

std::vector<ConfigFile> read_config_files(const std::vector<std::string>& paths, const EnvLookup& env,
                                          Diagnostics& diags) {
  std::vector<ConfigFile> out;
  for (const auto& path : paths) {
    ConfigFile file{path, {}};
    try {
      file.table = toml::parse_file(path);
    } catch (const toml::parse_error& err) {
      Location loc = Location::of(err.source());
      loc.file = path;
      diags.add(loc, "", "invalid TOML: " + std::string(err.description()));
      continue;
    }
    expand_strings(file.table, "", env, diags);
    out.push_back(std::move(file));
  }
  return out;
}

}  // namespace eventhost::config
