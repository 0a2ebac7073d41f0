// The Dockerfile's two stages install what the built worker and plugins need: every shared library they load comes
// from a package the runtime stage installs (or the base image has), and the build stage has the development package
// of each. No container engine runs here, so this is what can be checked of the image; it catches the failure that
// matters most: a plugin whose optional dependency is missing is silently not built, or not loadable, in the image.
#include "subprocess.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace eventhost::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

// What debian:bookworm-slim already holds of the libraries a C++ program loads (apt itself needs libstdc++).
const std::set<std::string> kInBaseImage = {"libc6", "libgcc-s1", "libstdc++6"};

// The packages each `apt-get install` of each stage names, stage by stage.
std::vector<std::set<std::string>> apt_packages_per_stage(const std::string& dockerfile) {
  std::ifstream in(dockerfile);
  std::stringstream text;
  text << in.rdbuf();
  std::vector<std::set<std::string>> stages;
  std::istringstream words(text.str());
  std::string word;
  bool installing = false;
  while (words >> word) {
    if (word == "FROM") stages.emplace_back();
    if (word == "install" && !stages.empty()) {
      installing = true;
    } else if (installing && (word == "&&" || word == "RUN")) {
      installing = false;
    } else if (installing && word != "\\" && !word.starts_with("-")) {
      stages.back().insert(word);
    }
  }
  return stages;
}

std::set<std::string> needed_libraries(const std::string& elf) {
  std::set<std::string> libs;
  std::istringstream out(run({"/usr/bin/readelf", "-d", elf}, seconds(30)).out);
  for (std::string line; std::getline(out, line);) {
    auto open = line.find("Shared library: [");
    if (open != std::string::npos) libs.insert(line.substr(open + 17, line.find(']', open) - open - 17));
  }
  return libs;
}

std::string package_of(const std::string& library) {
  std::istringstream out(run({"/usr/bin/dpkg", "-S", library}, seconds(30)).out);
  for (std::string line; std::getline(out, line);) {  // "libssl3:amd64: /usr/lib/x86_64-linux-gnu/libssl.so.3"
    if (line.ends_with("/" + library)) return line.substr(0, line.find_first_of(":"));
  }
  return {};
}

std::string source_of(const std::string& package) {
  return run({"/usr/bin/dpkg-query", "-W", "-f=${source:Package}", package}, seconds(30)).out;
}

TEST(Dockerfile, ImageStagesInstallWhatTheWorkerAndEveryPluginLoad) {
  auto stages = apt_packages_per_stage(env_path("EVENTHOST_DOCKERFILE"));
  ASSERT_EQ(stages.size(), 2u) << "expected a build stage and a runtime stage";
  const auto& build = stages[0];
  const auto& runtime = stages[1];

  std::vector<std::string> artifacts{env_path("EVENTHOST_BINARY")};
  for (const auto& entry : fs::recursive_directory_iterator(env_path("EVENTHOST_BUILD_PLUGIN_DIR"))) {
    std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.starts_with("eh-") && name.ends_with(".so")) {
      artifacts.push_back(entry.path().string());
    }
  }
  ASSERT_GT(artifacts.size(), 10u) << "the worker and the shipped plugins";

  std::set<std::string> build_sources;
  for (const auto& p : build) build_sources.insert(source_of(p));
  for (const auto& artifact : artifacts) {
    for (const auto& library : needed_libraries(artifact)) {
      std::string package = package_of(library);
      ASSERT_FALSE(package.empty()) << library << " (needed by " << artifact << ") belongs to no installed package";
      if (kInBaseImage.count(package)) continue;
      EXPECT_TRUE(runtime.count(package)) << fs::path(artifact).filename() << " loads " << library
                                          << ": the runtime stage must install " << package;
      EXPECT_TRUE(build_sources.count(source_of(package)))
          << fs::path(artifact).filename() << " links " << library << ": the build stage must install the -dev "
          << "package of source " << source_of(package);
    }
  }
}

}  // namespace
}  // namespace eventhost::testing
