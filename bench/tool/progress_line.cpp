#include "progress_line.hpp"

#include <chrono>
#include <cstdio>

namespace eventhost::bench {

ProgressLine::ProgressLine(Progress& progress, bool terminal)
    : progress_(progress), terminal_(terminal), thread_([this] { run(); }) {}

ProgressLine::~ProgressLine() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  thread_.join();
  if (terminal_) std::fputs("\r\033[K", stderr);
}

void ProgressLine::run() {
  const auto period = terminal_ ? std::chrono::milliseconds(250) : std::chrono::milliseconds(1000);
  uint64_t last_done = progress_.done.load();
  auto last = std::chrono::steady_clock::now();
  std::unique_lock lock(mutex_);
  while (!stop_cv_.wait_for(lock, period, [&] { return stop_; })) {
    auto now = std::chrono::steady_clock::now();
    uint64_t done = progress_.done.load();
    double seconds = std::chrono::duration<double>(now - last).count();
    show(done >= last_done && seconds > 0 ? static_cast<double>(done - last_done) / seconds : 0);
    last_done = done;
    last = now;
  }
}

void ProgressLine::show(double rate) {
  uint64_t done = progress_.done.load();
  uint64_t total = progress_.total.load();
  double pct = total > 0 ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 0;
  std::fprintf(stderr, "%s%s %s %llu/%llu (%.0f%%) %.0f events/s%s", terminal_ ? "\r\033[K" : "",
               progress_.label.c_str(), progress_.warming_up ? "warm-up" : "measuring",
               static_cast<unsigned long long>(done), static_cast<unsigned long long>(total), pct, rate,
               terminal_ ? "" : "\n");
  std::fflush(stderr);
}

}  // namespace eventhost::bench
