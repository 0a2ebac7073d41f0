// One-shot timers on the worker's io_context with the cancel contract of the ABI: exactly one of "the callback ran"
// and "cancel returned 1" happens.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace eventhost::host {

class TimerService {
 public:
  explicit TimerService(boost::asio::io_context& io) : io_(io) {}

  // 0 when the service is closed (the callback will never run).
  uint64_t start(std::chrono::milliseconds delay, std::function<void()> fn);
  // 1 when the timer was stopped before it ran.
  int cancel(uint64_t id);
  // Cancels everything pending and refuses new timers.
  void close();

 private:
  enum State : int { kPending = 0, kRunning = 1, kCancelled = 2 };
  struct Entry {
    explicit Entry(boost::asio::io_context& io) : strand(io.get_executor()), timer(strand) {}
    boost::asio::strand<boost::asio::io_context::executor_type> strand;  // serialises arm and cancel
    boost::asio::steady_timer timer;
    std::atomic<int> state{kPending};
  };

  boost::asio::io_context& io_;
  std::mutex mutex_;
  std::unordered_map<uint64_t, std::shared_ptr<Entry>> entries_;
  uint64_t next_id_ = 1;
  bool closed_ = false;
};

}  // namespace eventhost::host
