#include "runtime/timers.hpp"

namespace eventhost::host {

uint64_t TimerService::start(std::chrono::milliseconds delay, std::function<void()> fn) {
  auto entry = std::make_shared<Entry>(io_);
  uint64_t id = 0;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return 0;
    id = next_id_++;
    entries_.emplace(id, entry);
  }
  // Arm on the entry's strand: steady_timer is not thread-safe, and start may run on a plugin's own thread.
  boost::asio::post(entry->strand, [this, id, entry, delay, fn = std::move(fn)]() mutable {
    entry->timer.expires_after(delay);
    entry->timer.async_wait([this, id, entry, fn = std::move(fn)](const boost::system::error_code&) {
      int expected = kPending;
      if (!entry->state.compare_exchange_strong(expected, kRunning)) return;  // cancelled
      {
        std::lock_guard lock(mutex_);
        entries_.erase(id);
      }
      fn();
    });
  });
  return id;
}

int TimerService::cancel(uint64_t id) {
  std::shared_ptr<Entry> entry;
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(id);
    if (it == entries_.end()) return 0;
    entry = it->second;
  }
  int expected = kPending;
  if (!entry->state.compare_exchange_strong(expected, kCancelled)) return 0;
  {
    std::lock_guard lock(mutex_);
    entries_.erase(id);
  }
  boost::asio::post(entry->strand, [entry] { entry->timer.cancel(); });
  return 1;
}

void TimerService::close() {
  std::unordered_map<uint64_t, std::shared_ptr<Entry>> pending;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    pending.swap(entries_);
  }
  for (auto& [id, entry] : pending) {
    int expected = kPending;
    if (entry->state.compare_exchange_strong(expected, kCancelled)) {
      boost::asio::post(entry->strand, [entry] { entry->timer.cancel(); });
    }
  }
}

}  // namespace eventhost::host
