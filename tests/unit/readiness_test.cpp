#include "runtime/readiness.hpp"

#include <gtest/gtest.h>

namespace eventhost::host {
namespace {

TEST(Readiness, ReadyUntilSomeoneSaysOtherwise) {
  Readiness r;
  EXPECT_TRUE(r.ready());
  EXPECT_EQ(r.details(), "");
}

TEST(Readiness, ListsEveryReasonInAStableOrderUntilEachOwnerRecovers) {
  Readiness r;
  int kafka = 0, config = 0;
  r.set(&kafka, "pipeline/b source kafka", false, "all brokers down");
  r.set(&config, "config", false, "c.toml:3:1: pipelines: expected an array");
  EXPECT_FALSE(r.ready());
  EXPECT_EQ(r.details(), "config: c.toml:3:1: pipelines: expected an array\npipeline/b source kafka: all brokers down\n");

  r.set(&kafka, "pipeline/b source kafka", false, "authentication failed");  // the latest reason replaces the last
  r.set(&config, "config", true, "");
  EXPECT_EQ(r.details(), "pipeline/b source kafka: authentication failed\n");
  r.forget(&kafka);
  EXPECT_TRUE(r.ready());
}

}  // namespace
}  // namespace eventhost::host
