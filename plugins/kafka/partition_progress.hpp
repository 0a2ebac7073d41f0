// Commit bookkeeping for one partition: which emitted records are finished, and how far the offset may be
// committed. The commit position is the offset after the last record of the longest finished prefix of what was
// emitted, so a restart may repeat records but never skips one. Pure and single-threaded: the consumer thread owns it.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>

namespace eventhost::kafka {

class PartitionProgress {
 public:
  enum class Outcome {
    done,  // delivered, dead-lettered or dropped by policy: may be committed past
    held,  // not done (the pipeline shut down under it): never committed past
  };

  // Records are emitted in offset order. Returns false (and records nothing) for an offset not above the last one.
  bool emitted(int64_t offset);
  // Returns false for an offset that is not in flight (never emitted, already finished).
  bool finished(int64_t offset, Outcome outcome);

  // The offset to commit when it moved past the last committed one.
  std::optional<int64_t> commit_position() const;
  void committed(int64_t position) { committed_ = position; }
  // An asynchronous commit of `position` failed: offer it again.
  void commit_failed(int64_t position) {
    if (committed_ == position) committed_.reset();
  }

  size_t in_flight() const { return in_flight_; }
  std::optional<int64_t> last_emitted() const { return last_emitted_; }

 private:
  enum class State { in_flight, done, held };
  struct Entry {
    int64_t offset;
    State state;
  };

  std::deque<Entry> window_;  // emitted records the commit position has not passed, in offset order
  std::optional<int64_t> last_emitted_;
  std::optional<int64_t> position_;   // offset after the finished prefix
  std::optional<int64_t> committed_;
  size_t in_flight_ = 0;
};

}  // namespace eventhost::kafka
