// The election rules on made-up time points: who may take the lease when, and when the leader must let go.
#include "lease_election.hpp"

#include <gtest/gtest.h>

namespace eventhost::kubelease {
namespace {

using namespace std::chrono_literals;

const LeaseTiming kTiming{3000ms, 2000ms, 500ms};
const SteadyClock::time_point t0{};

LeaseRecord held_by(const std::string& holder, const std::string& renewed = "r1", int64_t transitions = 0) {
  return LeaseRecord{holder, 3, "a1", renewed, transitions};
}

TEST(LeaseElection, CreatesAMissingLeaseAndLeadsOnceTheWriteIsAccepted) {
  LeaseElection e("me", kTiming);
  auto next = e.next_record(std::nullopt, t0, "w0");
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, (LeaseRecord{"me", 3, "w0", "w0", 0}));
  EXPECT_FALSE(e.leading(t0));
  e.accepted(*next, t0);
  EXPECT_TRUE(e.leading(t0 + 1999ms));
  EXPECT_FALSE(e.leading(t0 + 2000ms)) << "not renewed within the renew deadline";
  EXPECT_EQ(e.leading_until(), t0 + 2000ms);
}

TEST(LeaseElection, AFollowerWaitsTheLeaseDurationFromWhenItLastSawTheRecordChange) {
  LeaseElection e("me", kTiming);
  EXPECT_FALSE(e.next_record(held_by("other", "r1"), t0, "w"));
  EXPECT_FALSE(e.next_record(held_by("other", "r1"), t0 + 2999ms, "w"));
  // Renewed: the wait starts again from now, whatever renewTime says (other machines' clocks are never compared).
  EXPECT_FALSE(e.next_record(held_by("other", "r2"), t0 + 2999ms, "w"));
  EXPECT_FALSE(e.next_record(held_by("other", "r2"), t0 + 5998ms, "w"));
  auto next = e.next_record(held_by("other", "r2", 4), t0 + 5999ms, "w");
  EXPECT_FALSE(next) << "a different transition count is a change too";
  next = e.next_record(held_by("other", "r2", 4), t0 + 5999ms + 3000ms, "w9");
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, (LeaseRecord{"me", 3, "w9", "w9", 5}));
}

TEST(LeaseElection, TheRecordsOwnDurationDecidesExpiry) {
  LeaseElection e("me", kTiming);
  LeaseRecord r{"other", 10, "a", "r", 0};
  EXPECT_FALSE(e.next_record(r, t0, "w"));
  EXPECT_FALSE(e.next_record(r, t0 + 9999ms, "w"));
  EXPECT_TRUE(e.next_record(r, t0 + 10000ms, "w"));
}

TEST(LeaseElection, AReleasedLeaseIsTakenAtOnce) {
  LeaseElection e("me", kTiming);
  auto next = e.next_record(LeaseRecord{"", 1, "a", "r", 7}, t0, "w");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->holder, "me");
  EXPECT_EQ(next->transitions, 8);
}

TEST(LeaseElection, TheLeaderRenewsKeepingItsAcquireTimeAndTransitions) {
  LeaseElection e("me", kTiming);
  auto first = e.next_record(LeaseRecord{"", 1, "a", "r", 2}, t0, "w0");
  e.accepted(*first, t0);
  auto renewal = e.next_record(*first, t0 + 500ms, "w1");
  ASSERT_TRUE(renewal);
  EXPECT_EQ(*renewal, (LeaseRecord{"me", 3, "w0", "w1", 3}));
  e.accepted(*renewal, t0 + 500ms);
  EXPECT_TRUE(e.leading(t0 + 2499ms));
  EXPECT_FALSE(e.leading(t0 + 2500ms));
}

TEST(LeaseElection, SeeingAnotherHolderEndsLeadershipAtOnce) {
  LeaseElection e("me", kTiming);
  e.accepted(*e.next_record(std::nullopt, t0, "w"), t0);
  EXPECT_FALSE(e.next_record(held_by("other"), t0 + 100ms, "w"));
  EXPECT_FALSE(e.leading(t0 + 100ms));
  EXPECT_FALSE(e.release("w")) << "only the holder gives the lease up";
}

TEST(LeaseElection, ReleaseClearsTheHolderAndShortensTheDuration) {
  LeaseElection e("me", kTiming);
  auto held = e.next_record(LeaseRecord{"", 3, "a", "r", 4}, t0, "w0");
  e.accepted(*held, t0);
  auto released = e.release("w1");
  ASSERT_TRUE(released);
  EXPECT_EQ(*released, (LeaseRecord{"", 1, "w1", "w1", 5}));
  e.accepted(*released, t0 + 10ms);
  EXPECT_FALSE(e.leading(t0 + 10ms));
}

TEST(LeaseElection, TheLeaseStoresWholeSecondsRoundedUp) {
  LeaseElection e("me", LeaseTiming{1500ms, 1000ms, 100ms});
  EXPECT_EQ(e.next_record(std::nullopt, t0, "w")->lease_duration_seconds, 2);
}

}  // namespace
}  // namespace eventhost::kubelease
