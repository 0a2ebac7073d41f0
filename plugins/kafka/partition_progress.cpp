#include "partition_progress.hpp"

#include <algorithm>

namespace eventhost::kafka {

bool PartitionProgress::emitted(int64_t offset) {
  if (offset < 0 || (last_emitted_ && offset <= *last_emitted_)) return false;
  last_emitted_ = offset;
  window_.push_back({offset, State::in_flight});
  ++in_flight_;
  return true;
}

bool PartitionProgress::finished(int64_t offset, Outcome outcome) {
  auto it = std::lower_bound(window_.begin(), window_.end(), offset,
                             [](const Entry& e, int64_t o) { return e.offset < o; });
  if (it == window_.end() || it->offset != offset || it->state != State::in_flight) return false;
  it->state = outcome == Outcome::done ? State::done : State::held;
  --in_flight_;
  while (!window_.empty() && window_.front().state == State::done) {
    position_ = window_.front().offset + 1;
    window_.pop_front();
  }
  return true;
}

std::optional<int64_t> PartitionProgress::commit_position() const {
  if (!position_ || (committed_ && *committed_ >= *position_)) return std::nullopt;
  return position_;
}

}  // namespace eventhost::kafka
