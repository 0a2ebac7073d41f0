// The ABI's timer contract: exactly one of "the callback ran" and "cancel returned 1".
#include "runtime/timers.hpp"

#include <gtest/gtest.h>

#include <atomic>
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

}  // namespace
}  // namespace eventhost::host
