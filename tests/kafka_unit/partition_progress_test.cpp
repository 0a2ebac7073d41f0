#include "partition_progress.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

namespace eventhost::kafka {
namespace {

using Outcome = PartitionProgress::Outcome;

TEST(PartitionProgress, NothingToCommitBeforeAnythingFinished) {
  PartitionProgress p;
  EXPECT_EQ(p.commit_position(), std::nullopt);
  ASSERT_TRUE(p.emitted(10));
  EXPECT_EQ(p.commit_position(), std::nullopt);
  EXPECT_EQ(p.in_flight(), 1u);
}

TEST(PartitionProgress, InOrderFinishMovesThePositionPastEachRecord) {
  PartitionProgress p;
  for (int64_t o = 0; o < 3; ++o) ASSERT_TRUE(p.emitted(o));
  ASSERT_TRUE(p.finished(0, Outcome::done));
  EXPECT_EQ(p.commit_position(), 1);
  ASSERT_TRUE(p.finished(1, Outcome::done));
  ASSERT_TRUE(p.finished(2, Outcome::done));
  EXPECT_EQ(p.commit_position(), 3);
  EXPECT_EQ(p.in_flight(), 0u);
}

TEST(PartitionProgress, AGapHoldsThePositionUntilItIsFilled) {
  PartitionProgress p;
  for (int64_t o = 0; o < 4; ++o) ASSERT_TRUE(p.emitted(o));
  ASSERT_TRUE(p.finished(1, Outcome::done));
  ASSERT_TRUE(p.finished(3, Outcome::done));
  EXPECT_EQ(p.commit_position(), std::nullopt) << "offset 0 is unfinished: nothing may be committed";
  ASSERT_TRUE(p.finished(0, Outcome::done));
  EXPECT_EQ(p.commit_position(), 2) << "2 is unfinished";
  ASSERT_TRUE(p.finished(2, Outcome::done));
  EXPECT_EQ(p.commit_position(), 4);
}

TEST(PartitionProgress, OffsetsNeedNotBeContiguous) {
  // Compacted topics and transaction markers leave holes in the offsets; contiguous means "in emission order".
  PartitionProgress p;
  for (int64_t o : {5, 7, 20}) ASSERT_TRUE(p.emitted(o));
  ASSERT_TRUE(p.finished(7, Outcome::done));
  ASSERT_TRUE(p.finished(5, Outcome::done));
  EXPECT_EQ(p.commit_position(), 8);
  ASSERT_TRUE(p.finished(20, Outcome::done));
  EXPECT_EQ(p.commit_position(), 21);
}

TEST(PartitionProgress, AHeldRecordIsNeverCommittedPast) {
  PartitionProgress p;
  for (int64_t o = 0; o < 4; ++o) ASSERT_TRUE(p.emitted(o));
  ASSERT_TRUE(p.finished(0, Outcome::done));
  ASSERT_TRUE(p.finished(1, Outcome::held));
  ASSERT_TRUE(p.finished(2, Outcome::done));
  ASSERT_TRUE(p.finished(3, Outcome::done));
  EXPECT_EQ(p.commit_position(), 1) << "record 1 was not done (shutdown): a restart must deliver it again";
  EXPECT_EQ(p.in_flight(), 0u);
  ASSERT_TRUE(p.emitted(4));
  ASSERT_TRUE(p.finished(4, Outcome::done));
  EXPECT_EQ(p.commit_position(), 1);
}

TEST(PartitionProgress, CommittedPositionIsNotOfferedAgain) {
  PartitionProgress p;
  ASSERT_TRUE(p.emitted(0));
  ASSERT_TRUE(p.finished(0, Outcome::done));
  ASSERT_EQ(p.commit_position(), 1);
  p.committed(1);
  EXPECT_EQ(p.commit_position(), std::nullopt);
  ASSERT_TRUE(p.emitted(1));
  ASSERT_TRUE(p.finished(1, Outcome::done));
  EXPECT_EQ(p.commit_position(), 2);
}

TEST(PartitionProgress, AFailedCommitIsOfferedAgain) {
  PartitionProgress p;
  ASSERT_TRUE(p.emitted(0));
  ASSERT_TRUE(p.finished(0, Outcome::done));
  p.committed(1);
  p.commit_failed(1);
  EXPECT_EQ(p.commit_position(), 1);
  p.committed(1);
  p.commit_failed(0);  // an older failure does not undo a newer commit
  EXPECT_EQ(p.commit_position(), std::nullopt);
}

TEST(PartitionProgress, RefusesOffsetsOutOfOrderAndUnknownCompletions) {
  PartitionProgress p;
  ASSERT_TRUE(p.emitted(5));
  EXPECT_FALSE(p.emitted(5));
  EXPECT_FALSE(p.emitted(4));
  EXPECT_FALSE(p.emitted(-1));
  EXPECT_FALSE(p.finished(6, Outcome::done)) << "never emitted";
  ASSERT_TRUE(p.finished(5, Outcome::done));
  EXPECT_FALSE(p.finished(5, Outcome::done)) << "finished twice";
  EXPECT_EQ(p.commit_position(), 6);
  EXPECT_EQ(p.in_flight(), 0u);
}

TEST(PartitionProgress, RandomCompletionOrderNeverCommitsAnUnfinishedRecord) {
  std::mt19937 rng(42);
  for (int round = 0; round < 50; ++round) {
    PartitionProgress p;
    std::vector<int64_t> offsets(200);
    std::iota(offsets.begin(), offsets.end(), 0);
    for (int64_t o : offsets) ASSERT_TRUE(p.emitted(o * 2));  // holes everywhere
    std::shuffle(offsets.begin(), offsets.end(), rng);
    std::vector<bool> done(200, false);
    size_t committed_prefix = 0;
    for (int64_t o : offsets) {
      ASSERT_TRUE(p.finished(o * 2, Outcome::done));
      done[o] = true;
      size_t prefix = 0;
      while (prefix < done.size() && done[prefix]) ++prefix;
      auto pos = p.commit_position();
      if (prefix == committed_prefix) {
        EXPECT_EQ(pos, std::nullopt) << "no progress, nothing new to commit";
      } else {
        ASSERT_TRUE(pos.has_value());
        EXPECT_EQ(*pos, static_cast<int64_t>(prefix - 1) * 2 + 1);
        p.committed(*pos);
        committed_prefix = prefix;
      }
    }
    EXPECT_EQ(p.in_flight(), 0u);
  }
}

}  // namespace
}  // namespace eventhost::kafka
