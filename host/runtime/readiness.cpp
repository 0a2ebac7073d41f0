#include "runtime/readiness.hpp"

#include <algorithm>
#include <vector>

namespace eventhost::host {

void Readiness::set(const void* owner, std::string label, bool ready, std::string reason) {
  std::lock_guard lock(mutex_);
  if (ready) {
    entries_.erase(owner);
  } else {
    entries_[owner] = {std::move(label), std::move(reason), true};
  }
}

void Readiness::note(const void* owner, std::string label, std::string reason) {
  std::lock_guard lock(mutex_);
  if (reason.empty()) {
    entries_.erase(owner);
  } else {
    entries_[owner] = {std::move(label), std::move(reason), false};
  }
}

bool Readiness::ready() const {
  std::lock_guard lock(mutex_);
  return std::none_of(entries_.begin(), entries_.end(), [](const auto& e) { return e.second.blocks; });
}

std::string Readiness::details() const {
  std::vector<std::string> lines;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [owner, e] : entries_) lines.push_back(e.label + ": " + e.reason + "\n");
  }
  std::sort(lines.begin(), lines.end());  // owners are addresses; people want the same order every time
  std::string out;
  for (const auto& l : lines) out += l;
  return out;
}

}  // namespace eventhost::host
