// One-shot timers on the worker's io_context with the cancel contract of the ABI: exactly one of "the callback ran"
// and "cancel returned 1" happens.
//
// Design: a hashed timing wheel of kWheelSlots one-millisecond buckets, driven by a single steady_timer per service.
// Every delivery attempt with a `timeout` starts and, almost always, cancels a timer, so both are O(1) under one
// mutex and allocate nothing once the slot pool has grown to the number of timers pending at once:
// - a timer is a slot in a pool (a vector, recycled through a free list), linked into the bucket of its deadline
//   (deadline tick mod kWheelSlots) by index; its id is the slot's index and generation, so a stale id (the slot
//   was fired, cancelled or reused) is recognised without a lookup table;
// - cancel unlinks the slot and bumps its generation; fire does the same before posting the callback to the
//   io_context, so whichever takes the slot first decides, under the mutex, between "ran" and "cancel returned 1";
// - the steady_timer is re-armed only when a new deadline is earlier than the one it waits for. When it wakes it
//   fires every due timer of the buckets passed since the last wake, then waits for the next non-empty bucket
//   (found through a bitmap). A bucket may hold deadlines whole turns of the wheel ahead; they stay, and cost one
//   wake-up per turn (kWheelSlots ms) while nothing earlier is pending.
// Deadlines are rounded up to the next whole millisecond, so a timer never fires early and at most 1 ms late.
// The steady_timer is only touched under the mutex, which is what makes start and cancel safe from any thread. It
// is made by the first start: a steady_timer brings the io_context's reactor, whose poll is a system call.
// close() drops every pending timer without running it (a later cancel of one answers 1); the service must be closed before the io_context runs its
// last handlers if it is destroyed first (as Worker does: close, then stop the io_context).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

namespace eventhost::host {

class TimerService {
 public:
  static constexpr uint32_t kWheelSlots = 4096;

  explicit TimerService(boost::asio::io_context& io);
  ~TimerService();
  TimerService(const TimerService&) = delete;
  TimerService& operator=(const TimerService&) = delete;

  // 0 when the service is closed (the callback will never run).
  uint64_t start(std::chrono::milliseconds delay, std::function<void()> fn);
  // 1 when the timer was stopped before it ran.
  int cancel(uint64_t id);
  // Drops everything pending without running it (cancel still answers 1 for those) and refuses new timers.
  void close();

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  struct Slot {
    uint32_t generation = 1;
    bool pending = false;
    uint32_t prev = kNone;
    uint32_t next = kNone;  // also the free list's link
    int64_t deadline = 0;   // in ticks (ms) since epoch_
  };

  int64_t tick_now() const;
  void link(uint32_t index);
  void unlink(uint32_t index);
  std::function<void()> release(uint32_t index);
  void arm(int64_t tick);
  void on_wake();
  int64_t next_pending_tick() const;

  boost::asio::io_context& io_;
  const std::chrono::steady_clock::time_point epoch_;
  std::mutex mutex_;
  std::optional<boost::asio::steady_timer> driver_;
  std::vector<Slot> slots_;
  std::vector<std::function<void()>> fns_;  // by slot index; apart from Slot so moving a slot is cheap
  uint32_t free_ = kNone;
  std::array<uint32_t, kWheelSlots> buckets_;
  std::array<uint64_t, kWheelSlots / 64> occupied_{};
  int64_t fired_through_;  // every deadline up to this tick has fired
  int64_t armed_for_ = 0;  // the tick driver_ waits for; 0 when it waits for nothing
  bool closed_ = false;
};

}  // namespace eventhost::host
