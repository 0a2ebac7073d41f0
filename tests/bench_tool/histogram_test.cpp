#include "histogram.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>
#include <algorithm>

namespace eventhost::bench {
namespace {

TEST(Histogram, EmptyAnswersZero) {
  Histogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.percentile(50), 0u);
  EXPECT_EQ(h.max(), 0u);
  EXPECT_EQ(h.min(), 0u);
}

TEST(Histogram, SmallValuesAreExact) {
  Histogram h;
  for (uint64_t v = 1; v <= 100; ++v) h.record(v);
  EXPECT_EQ(h.percentile(50), 50u);
  EXPECT_EQ(h.percentile(90), 90u);
  EXPECT_EQ(h.percentile(99), 99u);
  EXPECT_EQ(h.percentile(100), 100u);
  EXPECT_EQ(h.min(), 1u);
  EXPECT_DOUBLE_EQ(h.mean(), 50.5);
}

TEST(Histogram, BucketsCoverEveryValueWithinOnePart128) {
  for (uint64_t v : {uint64_t{255}, uint64_t{256}, uint64_t{257}, uint64_t{1000}, uint64_t{123456789},
                     uint64_t{1} << 40, (uint64_t{1} << 63) + 12345, UINT64_MAX}) {
    size_t b = Histogram::bucket_of(v);
    ASSERT_LT(b, Histogram::kBuckets) << v;
    uint64_t top = Histogram::highest_in_bucket(b);
    EXPECT_GE(top, v);
    EXPECT_LE(static_cast<double>(top - v), static_cast<double>(v) / 128.0) << v;
    if (b > 0) {
      EXPECT_LT(Histogram::highest_in_bucket(b - 1), v) << "value " << v << " belongs to the bucket below";
    }
  }
  EXPECT_EQ(Histogram::highest_in_bucket(Histogram::kBuckets - 1), UINT64_MAX);
}

TEST(Histogram, PercentilesMatchSortedSamplesWithinPrecision) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> latency(10.0, 1.5);  // around 22 µs with a long tail
  std::vector<uint64_t> samples(200000);
  Histogram h;
  for (auto& s : samples) {
    s = static_cast<uint64_t>(latency(rng)) + 1;
    h.record(s);
  }
  std::sort(samples.begin(), samples.end());
  for (double p : {50.0, 90.0, 99.0, 99.9}) {
    uint64_t exact = samples[static_cast<size_t>(std::ceil(p / 100.0 * samples.size())) - 1];
    uint64_t got = h.percentile(p);
    EXPECT_GE(got, exact) << "p" << p;
    EXPECT_LE(static_cast<double>(got - exact), static_cast<double>(exact) / 128.0) << "p" << p;
  }
  EXPECT_EQ(h.max(), samples.back());
  EXPECT_EQ(h.percentile(100), samples.back());
}

TEST(Histogram, MergeAddsCountsAndKeepsExtremes) {
  Histogram a, b;
  a.record(10, 3);
  b.record(5000);
  b.record(2);
  a.merge(b);
  EXPECT_EQ(a.count(), 5u);
  EXPECT_EQ(a.max(), 5000u);
  EXPECT_EQ(a.min(), 2u);
  EXPECT_EQ(a.percentile(50), 10u);
  EXPECT_GE(a.percentile(100), 5000u);
}

}  // namespace
}  // namespace eventhost::bench
