// What keeps this worker from being ready, beyond starting and draining: plugin instances whose dependency is
// unreachable (health_set), a refused config reload. /readyz answers 503 and lists the reasons while any is held.
#pragma once

#include <map>
#include <mutex>
#include <string>

namespace eventhost::host {

class Readiness {
 public:
  // `owner` identifies the reporter (an instance's eh_host, the config watcher); `label` names it in /readyz.
  void set(const void* owner, std::string label, bool ready, std::string reason);
  void forget(const void* owner) { set(owner, {}, true, {}); }

  bool ready() const;
  // One line per reason, "label: reason\n", in a stable order; empty when ready.
  std::string details() const;

 private:
  mutable std::mutex mutex_;
  std::map<const void*, std::pair<std::string, std::string>> blocked_;  // owner -> (label, reason)
};

}  // namespace eventhost::host
