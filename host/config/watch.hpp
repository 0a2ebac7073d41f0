// Watches the config paths with inotify and reports a change once they have been quiet for a moment. A directory
// (a mounted ConfigMap) is watched for any entry created, deleted, moved in or written: the kubelet swaps its
// `..data` symlink with a rename. A file is watched through its directory, for its own name and for `..*` entries,
// so that editors that write a new file and rename it over the old one, and a file inside a ConfigMap mount, are
// both seen.
#pragma once

#include <eventhost/status.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace eventhost::config {

class ConfigWatcher {
 public:
  // on_change runs on the watcher's own thread, once per burst of changes, `quiet` after the last one.
  static Result<std::unique_ptr<ConfigWatcher>> start(const std::vector<std::string>& paths,
                                                      std::chrono::milliseconds quiet, std::function<void()> on_change);
  ~ConfigWatcher();
  ConfigWatcher(const ConfigWatcher&) = delete;
  ConfigWatcher& operator=(const ConfigWatcher&) = delete;

 private:
  struct Watch {
    int descriptor;
    std::string only;  // a watched file's name; empty: any entry of the directory
  };
  ConfigWatcher(int inotify, int wake, std::vector<Watch> watches, std::chrono::milliseconds quiet,
                std::function<void()> on_change);
  void run();
  bool drain_events();  // reads what is pending; true when one of them concerns the config

  int inotify_;
  int wake_;  // an eventfd: the destructor ends the thread through it
  std::vector<Watch> watches_;
  std::chrono::milliseconds quiet_;
  std::function<void()> on_change_;
  std::thread thread_;
};

}  // namespace eventhost::config
