#include "measurement.hpp"

#include "run.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

namespace eventhost::bench {
namespace {

double seconds(const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6; }

// VmHWM from /proc/self/status, in bytes; 0 when unreadable.
uint64_t peak_rss_from_proc() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  }
  return 0;
}

}  // namespace

void Measurement::start() {
  // "5" resets the peak resident set size to the current one (Linux >= 4.0).
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.flush();
  rss_reset_ = clear.good();
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  user_ = seconds(u.ru_utime);
  system_ = seconds(u.ru_stime);
  wall_ = std::chrono::steady_clock::now();
}

void Measurement::stop(RunResult& result) const {
  auto now = std::chrono::steady_clock::now();
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  result.seconds = std::chrono::duration<double>(now - wall_).count();
  result.cpu_user_seconds = seconds(u.ru_utime) - user_;
  result.cpu_system_seconds = seconds(u.ru_stime) - system_;
  uint64_t proc = peak_rss_from_proc();
  result.peak_rss_per_run = rss_reset_ && proc > 0;
  result.peak_rss_bytes = proc > 0 ? proc : static_cast<uint64_t>(u.ru_maxrss) * 1024;
}

uint64_t Measurement::timer_overhead_ns() {
  std::vector<uint64_t> samples(1001);
  for (auto& s : samples) {
    auto a = std::chrono::steady_clock::now();
    auto b = std::chrono::steady_clock::now();
    s = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count());
  }
  std::nth_element(samples.begin(), samples.begin() + 500, samples.end());
  return samples[500];
}

}  // namespace eventhost::bench
