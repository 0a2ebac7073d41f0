#include "change_event.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace eventhost::apiserver {
namespace {

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str());
  return d;
}

const char* kPod = R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","namespace":"shop","uid":"u-1",
  "resourceVersion":"42","ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web","controller":true}]},
  "spec":{"x":1}})";

TEST(ReadMeta, ReadsMetadataAndTheController) {
  auto m = read_meta(parse(kPod), "", "");
  ASSERT_TRUE(m) << m.status().message();
  EXPECT_EQ(m->api_version, "v1");
  EXPECT_EQ(m->kind, "Pod");
  EXPECT_EQ(m->name, "web-1");
  EXPECT_EQ(m->ns, "shop");
  EXPECT_EQ(m->uid, "u-1");
  EXPECT_EQ(m->resource_version, "42");
  ASSERT_TRUE(m->controller);
  EXPECT_EQ(m->controller->kind, "ReplicaSet");
  EXPECT_EQ(m->controller->api_version, "apps/v1");
}

TEST(ReadMeta, ListItemsGetApiVersionAndKindFromTheResource) {
  auto m = read_meta(parse(R"({"metadata":{"name":"n","uid":"u"}})"), "apps/v1", "Deployment");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->api_version, "apps/v1");
  EXPECT_EQ(m->kind, "Deployment");
  EXPECT_FALSE(m->controller);
}

TEST(ReadMeta, RefusesObjectsWithoutNameOrUid) {
  auto no_meta = read_meta(parse(R"({"kind":"Pod"})"), "v1", "Pod");
  ASSERT_FALSE(no_meta);
  EXPECT_EQ(no_meta.status().message(), "the object has no metadata");
  auto no_uid = read_meta(parse(R"({"metadata":{"name":"x"}})"), "v1", "Pod");
  ASSERT_FALSE(no_uid);
  EXPECT_EQ(no_uid.status().message(), "object 'x' has no metadata.uid");
  EXPECT_FALSE(read_meta(parse(R"({"metadata":{"uid":"u"}})"), "v1", "Pod"));
  EXPECT_FALSE(read_meta(parse("[1]"), "v1", "Pod"));
}

TEST(ObjectJson, PutsApiVersionAndKindFirst) {
  auto d = parse(R"({"metadata":{"name":"n"},"kind":"Old","data":{"k":"v"}})");
  EXPECT_EQ(object_json(d, "v1", "ConfigMap"),
            R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"n"},"data":{"k":"v"}})");
}

TEST(Subject, KnativeSelfLinkForm) {
  ObjectMeta m;
  m.api_version = "v1";
  m.name = "web-1";
  m.ns = "shop";
  EXPECT_EQ(subject_of(m, {"pods", true}), "/apis/v1/namespaces/shop/pods/web-1");
  m.api_version = "apps/v1";
  EXPECT_EQ(subject_of(m, {"deployments", true}), "/apis/apps/v1/namespaces/shop/deployments/web-1");
  m.api_version = "v1";
  m.ns.clear();
  EXPECT_EQ(subject_of(m, {"nodes", false}), "/apis/v1/nodes/web-1");
}

TEST(MakeChangeEvent, ReferenceModeCarriesTheObjectReference) {
  auto m = read_meta(parse(kPod), "", "");
  ObjectChange c{ChangeKind::update, *m, ""};
  auto e = make_change_event(c, EventMode::reference, {"pods", true}, "https://10.96.0.1:443");
  EXPECT_EQ(e.type, "dev.knative.apiserver.ref.update");
  EXPECT_EQ(e.source, "https://10.96.0.1:443");
  EXPECT_EQ(e.subject, "/apis/v1/namespaces/shop/pods/web-1");
  EXPECT_EQ(e.kind, "Pod");
  EXPECT_EQ(e.api_version, "v1");
  EXPECT_EQ(e.name, "web-1");
  EXPECT_EQ(e.ns, "shop");
  EXPECT_EQ(e.data, R"({"kind":"Pod","namespace":"shop","name":"web-1","apiVersion":"v1"})");
}

TEST(MakeChangeEvent, ResourceModeCarriesTheObject) {
  auto m = read_meta(parse(kPod), "", "");
  ObjectChange add{ChangeKind::add, *m, "{\"whole\":1}"};
  auto e = make_change_event(add, EventMode::resource, {"pods", true}, "https://k");
  EXPECT_EQ(e.type, "dev.knative.apiserver.resource.add");
  EXPECT_EQ(e.data, "{\"whole\":1}");
  ObjectChange del{ChangeKind::remove, *m, "{}"};
  EXPECT_EQ(make_change_event(del, EventMode::resource, {"pods", true}, "https://k").type,
            "dev.knative.apiserver.resource.delete");
  EXPECT_EQ(make_change_event(del, EventMode::reference, {"pods", true}, "https://k").type,
            "dev.knative.apiserver.ref.delete");
}

TEST(MakeChangeEvent, ClusterScopedReferenceHasNoNamespace) {
  ObjectMeta m;
  m.api_version = "v1";
  m.kind = "Node";
  m.name = "node-1";
  m.uid = "u";
  auto e = make_change_event({ChangeKind::add, m, ""}, EventMode::reference, {"nodes", false}, "https://k");
  EXPECT_EQ(e.data, R"({"kind":"Node","name":"node-1","apiVersion":"v1"})");
  EXPECT_EQ(e.ns, "");
  EXPECT_EQ(e.subject, "/apis/v1/nodes/node-1");
}

}  // namespace
}  // namespace eventhost::apiserver
