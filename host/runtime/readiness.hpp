// What keeps this worker from being ready, beyond starting and draining: plugin instances whose dependency is
// unreachable (health_set). /readyz answers 503 and lists the reasons while any is held. Notes (a refused config
// reload) are listed too but do not hold readiness back: the worker still serves what it runs.
#pragma once

#include <map>
#include <mutex>
#include <string>

namespace eventhost::host {

class Readiness {
 public:
  // `owner` identifies the reporter (an instance's eh_host, the config reloader); `label` names it in /readyz.
  void set(const void* owner, std::string label, bool ready, std::string reason);
  // A detail shown in /readyz that does not make it fail; an empty reason removes it.
  void note(const void* owner, std::string label, std::string reason);
  void forget(const void* owner) { set(owner, {}, true, {}); }

  bool ready() const;
  // One line per reason, "label: reason\n", in a stable order; empty when ready and nothing is noted.
  std::string details() const;

 private:
  struct Entry {
    std::string label;
    std::string reason;
    bool blocks;
  };
  mutable std::mutex mutex_;
  std::map<const void*, Entry> entries_;
};

}  // namespace eventhost::host
