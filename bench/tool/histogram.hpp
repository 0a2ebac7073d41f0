// A latency histogram in the HdrHistogram style: log-linear buckets (128 per power of two) over 1 ns .. 2^63 ns, so
// every recorded value is kept to within 1/128 (< 0.8 %) of itself, at a fixed 58 KiB and O(1) per record.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace eventhost::bench {

class Histogram {
 public:
  static constexpr int kSubBits = 7;                                       // 128 linear steps per power of two
  static constexpr uint64_t kExactBelow = uint64_t{1} << (kSubBits + 1);  // values under 256 get their own bucket
  static constexpr size_t kBuckets = kExactBelow + (63 - kSubBits) * (uint64_t{1} << kSubBits);

  void record(uint64_t value, uint64_t count = 1);
  void merge(const Histogram& other);

  uint64_t count() const { return count_; }
  uint64_t max() const { return max_; }
  uint64_t min() const { return count_ == 0 ? 0 : min_; }
  double mean() const { return count_ == 0 ? 0.0 : sum_ / static_cast<double>(count_); }
  // The smallest recorded value v such that `percentile` % of the values are <= v, reported as the highest value
  // of v's bucket (never above max()). 0 when empty.
  uint64_t percentile(double percentile) const;

  static size_t bucket_of(uint64_t value);
  static uint64_t highest_in_bucket(size_t bucket);

 private:
  std::array<uint64_t, kBuckets> counts_{};
  uint64_t count_ = 0;
  uint64_t max_ = 0;
  uint64_t min_ = UINT64_MAX;
  double sum_ = 0;
};

}  // namespace eventhost::bench
