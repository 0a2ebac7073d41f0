// The progress line on standard error: rewritten in place on a terminal, one line per second otherwise
// (--progress in a CI log). Runs on its own thread while it lives.
#pragma once

#include "run.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>

namespace eventhost::bench {

class ProgressLine {
 public:
  ProgressLine(Progress& progress, bool terminal);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

 private:
  void run();
  void show(double rate);

  Progress& progress_;
  bool terminal_;
  std::mutex mutex_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace eventhost::bench
