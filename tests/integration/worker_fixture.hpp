// Runs the real eventhost binary on a config written by the test.
#pragma once

#include "subprocess.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <string>
#include <thread>

namespace eventhost::testing {

class WorkerTest : public ::testing::Test {
 protected:
  static std::string binary() { return env_path("EVENTHOST_BINARY"); }
  static std::string test_plugins() { return env_path("EVENTHOST_TEST_PLUGIN_DIR"); }
  // Port 0: tests run in parallel, and any config with a broker opens the HTTP server.
  std::vector<std::string> env() const {
    return {"EVENTHOST_PLUGIN_PATH=" + test_plugins(), "EVENTHOST_LISTEN=127.0.0.1:0"};
  }

  ProcessResult eventhost(const std::vector<std::string>& args) {
    std::vector<std::string> argv{binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, std::chrono::seconds(30), env());
  }

  std::unique_ptr<Process> start(const std::string& config_path) {
    return std::make_unique<Process>(std::vector<std::string>{binary(), "run", config_path}, dir_.path().string(), env());
  }

  static size_t line_count(const std::string& path) {
    std::ifstream in(path);
    return static_cast<size_t>(std::count(std::istreambuf_iterator<char>(in), {}, '\n'));
  }
  static bool wait_for_lines(const std::string& path, size_t n, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (line_count(path) < n) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  }
  static size_t occurrences(const std::string& text, const std::string& needle) {
    size_t n = 0;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
  }

  TempDir dir_;
};

}  // namespace eventhost::testing
