// The ABI's timer contract: exactly one of "the callback ran" and "cancel returned 1", and the timing wheel's edges:
// re-arming for an earlier deadline, deadlines a whole turn of the wheel apart, stale ids, shutdown.
#include "runtime/timers.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>

namespace eventhost::host {
namespace {

class Timers : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  void TearDown() override {
    guard_.reset();
    timers_.close();
    io_.stop();
    for (auto& t : threads_) t.join();
  }
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_{io_.get_executor()};
  TimerService timers_{io_};
  std::vector<std::thread> threads_;
};

using Clock = std::chrono::steady_clock;

// Waits up to `limit` for `done`; true when it became true.
template <typename Pred>
bool wait_for(Pred done, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  auto deadline = Clock::now() + limit;
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

TEST_F(Timers, FiresOnceAfterTheDelay) {
  std::atomic<int> ran{0};
  auto start = std::chrono::steady_clock::now();
  ASSERT_NE(timers_.start(std::chrono::milliseconds(30), [&] { ran++; }), 0u);
  while (ran == 0 && std::chrono::steady_clock::now() - start < std::chrono::seconds(5)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(ran, 1);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(30));
}

TEST_F(Timers, CancelBeforeFiringMeansItNeverRuns) {
  std::atomic<int> ran{0};
  uint64_t id = timers_.start(std::chrono::milliseconds(200), [&] { ran++; });
  EXPECT_EQ(timers_.cancel(id), 1);
  EXPECT_EQ(timers_.cancel(id), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(ran, 0);
}

TEST_F(Timers, RacingCancelsNeverLoseOrDoubleACallback) {
  constexpr int kTimers = 2000;
  std::atomic<int> ran{0};
  std::atomic<int> cancelled{0};
  std::vector<uint64_t> ids;
  for (int i = 0; i < kTimers; ++i) ids.push_back(timers_.start(std::chrono::milliseconds(i % 3), [&] { ran++; }));
  for (uint64_t id : ids) cancelled += timers_.cancel(id);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (ran + cancelled < kTimers && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(ran + cancelled, kTimers);
}

TEST_F(Timers, ClosedServiceRefusesNewTimers) {
  timers_.close();
  EXPECT_EQ(timers_.start(std::chrono::milliseconds(1), [] {}), 0u);
}

TEST_F(Timers, CancelsFromManyThreadsRaceFiresExactlyOncePerTimer) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 3000;
  auto ran = std::make_unique<std::atomic<int>[]>(kThreads * kPerThread);
  auto cancelled = std::make_unique<std::atomic<int>[]>(kThreads * kPerThread);
  std::vector<std::thread> racers;
  for (int t = 0; t < kThreads; ++t) {
    racers.emplace_back([&, t] {
      std::vector<uint64_t> ids;
      for (int i = 0; i < kPerThread; ++i) {
        const int n = t * kPerThread + i;
        ids.push_back(timers_.start(std::chrono::milliseconds(i % 3), [&ran, n] { ran[n]++; }));
        if (i % 7 == 0) std::this_thread::yield();
      }
      // Cancel the later half first, so some cancels land before the fire and some after.
      for (int i = kPerThread - 1; i >= 0; --i) cancelled[t * kPerThread + i] += timers_.cancel(ids[i]);
    });
  }
  for (auto& r : racers) r.join();
  ASSERT_TRUE(wait_for([&] {
    for (int n = 0; n < kThreads * kPerThread; ++n) {
      if (ran[n] + cancelled[n] == 0) return false;
    }
    return true;
  }));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a late second fire would show here
  int fired = 0;
  for (int n = 0; n < kThreads * kPerThread; ++n) {
    ASSERT_EQ(ran[n] + cancelled[n], 1) << "timer " << n;
    fired += ran[n];
  }
  EXPECT_GT(fired, 0);
}

TEST_F(Timers, ManyTimersEachFireOnceAndNeverEarly) {
  constexpr int kTimers = 20000;
  std::atomic<int> ran{0};
  std::atomic<int> early{0};
  for (int i = 0; i < kTimers; ++i) {
    const auto delay = std::chrono::milliseconds(i % 50);
    const auto started = Clock::now();
    ASSERT_NE(timers_.start(delay, [&, delay, started] {
      if (Clock::now() - started < delay) early++;
      ran++;
    }), 0u);
  }
  ASSERT_TRUE(wait_for([&] { return ran == kTimers; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(ran, kTimers);
  EXPECT_EQ(early, 0);
}

TEST_F(Timers, AnEarlierTimerDoesNotWaitForALaterOne) {
  std::atomic<int> ran{0};
  uint64_t late = timers_.start(std::chrono::seconds(5), [&] { ran += 100; });
  auto started = Clock::now();
  timers_.start(std::chrono::milliseconds(20), [&] { ran++; });
  ASSERT_TRUE(wait_for([&] { return ran == 1; }, std::chrono::seconds(2)));
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(1));
  EXPECT_EQ(timers_.cancel(late), 1);
}

TEST_F(Timers, ADeadlineAWholeTurnLaterInTheSameBucketWaitsForItsTurn) {
  std::atomic<int> near{0};
  std::atomic<int> far{0};
  timers_.start(std::chrono::milliseconds(20), [&] { near++; });
  uint64_t far_id = timers_.start(std::chrono::milliseconds(20 + TimerService::kWheelSlots), [&] { far++; });
  ASSERT_TRUE(wait_for([&] { return near == 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(far, 0);
  EXPECT_EQ(timers_.cancel(far_id), 1);
}

TEST_F(Timers, ExtremeDelaysAreClamped) {
  std::atomic<int> ran{0};
  uint64_t forever = timers_.start(std::chrono::milliseconds::max(), [&] { ran += 100; });
  ASSERT_NE(forever, 0u);
  timers_.start(std::chrono::milliseconds(-5), [&] { ran++; });
  ASSERT_TRUE(wait_for([&] { return ran == 1; }));
  EXPECT_EQ(timers_.cancel(forever), 1);
}

TEST_F(Timers, StaleIdsNeverCancelATimerThatReusedTheSlot) {
  uint64_t first = timers_.start(std::chrono::seconds(5), [] {});
  EXPECT_EQ(timers_.cancel(first), 1);
  std::atomic<int> ran{0};
  uint64_t second = timers_.start(std::chrono::milliseconds(10), [&] { ran++; });
  EXPECT_NE(second, first);
  EXPECT_EQ(timers_.cancel(first), 0);
  ASSERT_TRUE(wait_for([&] { return ran == 1; }));
  EXPECT_EQ(timers_.cancel(second), 0);  // it ran
  EXPECT_EQ(timers_.cancel(0), 0);
}

// The ABI's rule holds through shutdown: a timer that close() dropped never runs, so its cancel answers 1 and the
// caller frees what the callback would have.
TEST_F(Timers, CloseDropsPendingTimersWithoutRunningThem) {
  std::atomic<int> ran{0};
  std::vector<uint64_t> ids;
  for (int i = 0; i < 1000; ++i) ids.push_back(timers_.start(std::chrono::milliseconds(300 + i % 10), [&] { ran++; }));
  timers_.close();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(ran, 0);
  for (uint64_t id : ids) EXPECT_EQ(timers_.cancel(id), 1);
  for (uint64_t id : ids) EXPECT_EQ(timers_.cancel(id), 0) << "answered once";
  EXPECT_EQ(timers_.start(std::chrono::milliseconds(0), [&] { ran++; }), 0u);
}

}  // namespace
}  // namespace eventhost::host
