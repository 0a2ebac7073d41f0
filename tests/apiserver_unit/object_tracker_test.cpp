#include "object_tracker.hpp"

#include <gtest/gtest.h>

namespace eventhost::apiserver {
namespace {

ObjectMeta meta(const std::string& uid, const std::string& rv) {
  ObjectMeta m;
  m.api_version = "v1";
  m.kind = "ConfigMap";
  m.name = "cm-" + uid;
  m.ns = "ns1";
  m.uid = uid;
  m.resource_version = rv;
  return m;
}

TEST(ObjectTracker, NewUidIsAddNewVersionIsUpdateSameVersionIsNothing) {
  ObjectTracker t(false);
  auto a = t.upsert(meta("u1", "1"), "{}");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind, ChangeKind::add);
  EXPECT_FALSE(t.upsert(meta("u1", "1"), "{}")) << "a version already reported is not reported again";
  auto u = t.upsert(meta("u1", "2"), "{}");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->kind, ChangeKind::update);
  EXPECT_EQ(u->meta.resource_version, "2");
  EXPECT_EQ(t.size(), 1u);
}

TEST(ObjectTracker, DeleteIsReportedAndForgotten) {
  ObjectTracker t(false);
  t.upsert(meta("u1", "1"), "{}");
  auto d = t.remove(meta("u1", "3"), "{\"last\":true}");
  EXPECT_EQ(d.kind, ChangeKind::remove);
  EXPECT_EQ(d.object_json, "{\"last\":true}");
  EXPECT_EQ(t.size(), 0u);
  EXPECT_EQ(t.remove(meta("never-seen", "4"), "{}").kind, ChangeKind::remove)
      << "a delete for an object never seen is still reported";
}

TEST(ObjectTracker, RelistReportsOnlyRealChangesAndTheObjectsThatAreGone) {
  ObjectTracker t(true);
  t.begin_relist();
  t.upsert(meta("a", "1"), "{\"a\":1}");
  t.upsert(meta("b", "2"), "{\"b\":2}");
  t.upsert(meta("c", "3"), "{\"c\":3}");
  EXPECT_TRUE(t.end_relist().empty());

  t.begin_relist();
  EXPECT_FALSE(t.upsert(meta("a", "1"), "{\"a\":1}")) << "unchanged: no duplicate";
  auto b = t.upsert(meta("b", "20"), "{\"b\":20}");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->kind, ChangeKind::update);
  auto d = t.upsert(meta("d", "21"), "{\"d\":21}");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->kind, ChangeKind::add);
  auto gone = t.end_relist();
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0].kind, ChangeKind::remove);
  EXPECT_EQ(gone[0].meta.uid, "c");
  EXPECT_EQ(gone[0].object_json, "{\"c\":3}") << "Resource mode keeps the last content for this delete";
  EXPECT_EQ(t.size(), 3u);
}

TEST(ObjectTracker, ReferenceModeKeepsNoObjects) {
  ObjectTracker t(false);
  t.begin_relist();
  t.upsert(meta("a", "1"), "{\"big\":\"object\"}");
  t.end_relist();
  t.begin_relist();
  auto gone = t.end_relist();
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0].object_json, "");
  EXPECT_EQ(gone[0].meta.name, "cm-a");
}

TEST(ObjectTracker, ForgetDropsWithoutReporting) {
  ObjectTracker t(false);
  t.upsert(meta("a", "1"), "{}");
  t.forget("a");
  t.begin_relist();
  EXPECT_TRUE(t.end_relist().empty());
}

}  // namespace
}  // namespace eventhost::apiserver
