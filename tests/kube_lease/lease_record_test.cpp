// The Lease's JSON: read the spec, write it back keeping what the API server put there, and the MicroTime format.
#include "lease_record.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace eventhost::kubelease {
namespace {

TEST(LeaseRecord, ReadsTheSpec) {
  auto r = parse_lease_record(R"({"kind":"Lease","metadata":{"name":"l","resourceVersion":"7"},"spec":{
      "holderIdentity":"pod-1_ab","leaseDurationSeconds":15,"acquireTime":"2026-01-01T00:00:00.000000Z",
      "renewTime":"2026-01-01T00:00:05.000000Z","leaseTransitions":3}})");
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(*r, (LeaseRecord{"pod-1_ab", 15, "2026-01-01T00:00:00.000000Z", "2026-01-01T00:00:05.000000Z", 3}));
}

TEST(LeaseRecord, ALeaseWithoutSpecOrHolderIsFree) {
  auto r = parse_lease_record(R"({"kind":"Lease","metadata":{"name":"l"}})");
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, LeaseRecord{});
  EXPECT_FALSE(parse_lease_record("not json"));
}

TEST(LeaseRecord, AnUpdateKeepsMetadataAndResourceVersion) {
  std::string read = R"({"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"l","namespace":"ns",)"
                     R"("resourceVersion":"42","labels":{"app":"x"}},"spec":{"holderIdentity":"old","leaseTransitions":1}})";
  std::string sent = lease_with(read, "ignored", "ignored", LeaseRecord{"me", 3, "a", "r", 2});
  rapidjson::Document d;
  d.Parse(sent.c_str());
  ASSERT_TRUE(d.IsObject());
  EXPECT_STREQ(d["metadata"]["resourceVersion"].GetString(), "42");
  EXPECT_STREQ(d["metadata"]["labels"]["app"].GetString(), "x");
  EXPECT_STREQ(d["metadata"]["name"].GetString(), "l");
  EXPECT_EQ(*parse_lease_record(sent), (LeaseRecord{"me", 3, "a", "r", 2}));
}

TEST(LeaseRecord, ANewLeaseHasItsNameAndNamespace) {
  std::string sent = lease_with("", "singletons", "team-a", LeaseRecord{"me", 3, "a", "r", 0});
  rapidjson::Document d;
  d.Parse(sent.c_str());
  EXPECT_STREQ(d["apiVersion"].GetString(), "coordination.k8s.io/v1");
  EXPECT_STREQ(d["kind"].GetString(), "Lease");
  EXPECT_STREQ(d["metadata"]["name"].GetString(), "singletons");
  EXPECT_STREQ(d["metadata"]["namespace"].GetString(), "team-a");
  EXPECT_FALSE(d["metadata"].HasMember("resourceVersion"));
  EXPECT_EQ(*parse_lease_record(sent), (LeaseRecord{"me", 3, "a", "r", 0}));
}

TEST(LeaseRecord, MicroTimeIsUtcWithMicroseconds) {
  std::chrono::system_clock::time_point t{std::chrono::microseconds(1795416496123456)};
  EXPECT_EQ(micro_time(t), "2026-11-23T06:48:16.123456Z");
}

}  // namespace
}  // namespace eventhost::kubelease
