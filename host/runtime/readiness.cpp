#include "runtime/readiness.hpp"

#include <algorithm>
#include <vector>

namespace eventhost::host {

void Readiness::set(const void* owner, std::string label, bool ready, std::string reason) {
  std::lock_guard lock(mutex_);
  if (ready) {
    blocked_.erase(owner);
  } else {
    blocked_[owner] = {std::move(label), std::move(reason)};
  }
}

bool Readiness::ready() const {
  std::lock_guard lock(mutex_);
  return blocked_.empty();
}

std::string Readiness::details() const {
  std::vector<std::string> lines;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [owner, why] : blocked_) lines.push_back(why.first + ": " + why.second + "\n");
  }
  std::sort(lines.begin(), lines.end());  // owners are addresses; people want the same order every time
  std::string out;
  for (const auto& l : lines) out += l;
  return out;
}

}  // namespace eventhost::host
