#include "runtime/timers.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <bit>
#include <utility>

namespace eventhost::host {
namespace {

constexpr uint32_t kMask = TimerService::kWheelSlots - 1;
static_assert((TimerService::kWheelSlots & kMask) == 0, "the wheel's size is a power of two");
// About 35 years: keeps tick arithmetic far from overflow for plugins asking for UINT64_MAX.
constexpr int64_t kMaxDelayMs = int64_t{1} << 40;

}  // namespace

TimerService::TimerService(boost::asio::io_context& io)
    : io_(io), epoch_(std::chrono::steady_clock::now()), fired_through_(0) {
  buckets_.fill(kNone);
}

TimerService::~TimerService() { close(); }

int64_t TimerService::tick_now() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - epoch_).count();
}

uint64_t TimerService::start(std::chrono::milliseconds delay, std::function<void()> fn) {
  const int64_t delay_ms = std::clamp<int64_t>(delay.count(), 0, kMaxDelayMs);
  // +1: the current tick is partly over, so rounding up keeps the timer from firing early.
  const int64_t wanted = tick_now() + delay_ms + 1;
  std::lock_guard lock(mutex_);
  if (closed_) return 0;
  uint32_t index = free_;
  if (index != kNone) {
    free_ = slots_[index].next;
  } else {
    index = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
    fns_.emplace_back();
  }
  // A wake-up between reading the clock and taking the lock may already have passed `wanted`.
  slots_[index].deadline = std::max(wanted, fired_through_ + 1);
  fns_[index] = std::move(fn);
  link(index);
  if (armed_for_ == 0 || slots_[index].deadline < armed_for_) arm(slots_[index].deadline);
  return (uint64_t{slots_[index].generation} << 32) | (index + 1);
}

int TimerService::cancel(uint64_t id) {
  const uint32_t low = static_cast<uint32_t>(id);
  if (low == 0) return 0;
  const uint32_t index = low - 1;
  const auto generation = static_cast<uint32_t>(id >> 32);
  std::function<void()> dropped;  // destroyed after the lock is released
  std::lock_guard lock(mutex_);
  if (index >= slots_.size() || !slots_[index].pending || slots_[index].generation != generation) return 0;
  if (!closed_) unlink(index);  // close() emptied the wheel but left its timers pending for this answer
  dropped = release(index);
  return 1;
}

void TimerService::close() {
  std::vector<std::function<void()>> dropped;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
    // The callbacks go, but the slots stay pending: their callback will never run, so a later cancel must answer 1
    // and let its caller free what the callback would have (a plugin's timer_start argument, say).
    for (uint32_t i = 0; i < slots_.size(); ++i) {
      if (slots_[i].pending) dropped.push_back(std::exchange(fns_[i], nullptr));
    }
    buckets_.fill(kNone);
    occupied_.fill(0);
    armed_for_ = 0;
    if (driver_) driver_->cancel();
  }
}

void TimerService::link(uint32_t index) {
  Slot& slot = slots_[index];
  const uint32_t bucket = static_cast<uint32_t>(slot.deadline) & kMask;
  slot.pending = true;
  slot.prev = kNone;
  slot.next = buckets_[bucket];
  if (slot.next != kNone) slots_[slot.next].prev = index;
  buckets_[bucket] = index;
  occupied_[bucket / 64] |= uint64_t{1} << (bucket % 64);
}

void TimerService::unlink(uint32_t index) {
  Slot& slot = slots_[index];
  const uint32_t bucket = static_cast<uint32_t>(slot.deadline) & kMask;
  if (slot.prev != kNone) {
    slots_[slot.prev].next = slot.next;
  } else {
    buckets_[bucket] = slot.next;
  }
  if (slot.next != kNone) slots_[slot.next].prev = slot.prev;
  if (buckets_[bucket] == kNone) occupied_[bucket / 64] &= ~(uint64_t{1} << (bucket % 64));
}

std::function<void()> TimerService::release(uint32_t index) {
  Slot& slot = slots_[index];
  slot.pending = false;
  ++slot.generation;  // every id handed out for this slot is stale from now on
  slot.next = free_;
  free_ = index;
  return std::exchange(fns_[index], nullptr);
}

void TimerService::arm(int64_t tick) {
  armed_for_ = tick;
  // Re-arming cancels the previous wait; its handler sees operation_aborted and leaves everything alone.
  if (!driver_) driver_.emplace(io_);
  driver_->expires_at(epoch_ + std::chrono::milliseconds(tick));
  driver_->async_wait([this](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted) return;
    on_wake();
  });
}

void TimerService::on_wake() {
  std::vector<std::function<void()>> due;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    armed_for_ = 0;
    const int64_t now = tick_now();
    const int64_t passed = std::min<int64_t>(now - fired_through_, kWheelSlots);
    for (int64_t i = 1; i <= passed; ++i) {
      const uint32_t bucket = static_cast<uint32_t>(fired_through_ + i) & kMask;
      for (uint32_t index = buckets_[bucket]; index != kNone;) {
        const uint32_t next = slots_[index].next;
        if (slots_[index].deadline <= now) {
          unlink(index);
          due.push_back(release(index));
        }
        index = next;
      }
    }
    fired_through_ = std::max(fired_through_, now);
    if (int64_t next = next_pending_tick(); next != 0) arm(next);
  }
  // Each on its own handler, so slow callbacks run side by side on the pool as they did with one timer each.
  for (auto& fn : due) boost::asio::post(io_, std::move(fn));
}

int64_t TimerService::next_pending_tick() const {
  const uint32_t start = static_cast<uint32_t>(fired_through_ + 1) & kMask;
  for (uint32_t offset = 0; offset < kWheelSlots;) {
    const uint32_t bucket = (start + offset) & kMask;
    const uint64_t bits = occupied_[bucket / 64] >> (bucket % 64);
    if (bits != 0) return fired_through_ + 1 + offset + std::countr_zero(bits);
    offset += 64 - bucket % 64;
  }
  return 0;
}

}  // namespace eventhost::host
