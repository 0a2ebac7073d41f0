#include "histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace eventhost::bench {

size_t Histogram::bucket_of(uint64_t value) {
  if (value < kExactBelow) return static_cast<size_t>(value);
  int msb = 63 - std::countl_zero(value);  // >= kSubBits + 1
  int shift = msb - kSubBits;              // >= 1
  uint64_t top = value >> shift;           // in [128, 256)
  return static_cast<size_t>(kExactBelow + (static_cast<uint64_t>(shift) - 1) * (uint64_t{1} << kSubBits) +
                             (top - (uint64_t{1} << kSubBits)));
}

uint64_t Histogram::highest_in_bucket(size_t bucket) {
  if (bucket < kExactBelow) return bucket;
  uint64_t rest = bucket - kExactBelow;
  int shift = static_cast<int>(rest >> kSubBits) + 1;
  uint64_t top = (rest & ((uint64_t{1} << kSubBits) - 1)) + (uint64_t{1} << kSubBits);
  return ((top + 1) << shift) - 1;  // the last bucket wraps to 0 - 1 == UINT64_MAX, which is its true top
}

void Histogram::record(uint64_t value, uint64_t count) {
  if (count == 0) return;
  counts_[bucket_of(value)] += count;
  count_ += count;
  sum_ += static_cast<double>(value) * static_cast<double>(count);
  max_ = std::max(max_, value);
  min_ = std::min(min_, value);
}

void Histogram::merge(const Histogram& other) {
  for (size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  max_ = std::max(max_, other.max_);
  min_ = std::min(min_, other.min_);
}

uint64_t Histogram::percentile(double percentile) const {
  if (count_ == 0) return 0;
  double p = std::clamp(percentile, 0.0, 100.0);
  auto wanted = static_cast<uint64_t>(std::ceil(p / 100.0 * static_cast<double>(count_)));
  wanted = std::max<uint64_t>(wanted, 1);
  uint64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= wanted) return std::min(highest_in_bucket(i), max_);
  }
  return max_;
}

}  // namespace eventhost::bench
