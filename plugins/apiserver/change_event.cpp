#include "change_event.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace eventhost::apiserver {
namespace {

std::string string_member(const rapidjson::Value& v, const char* name) {
  auto it = v.FindMember(name);
  if (it == v.MemberEnd() || !it->value.IsString()) return {};
  return {it->value.GetString(), it->value.GetStringLength()};
}

std::optional<OwnerRef> controller_of(const rapidjson::Value& metadata) {
  auto refs = metadata.FindMember("ownerReferences");
  if (refs == metadata.MemberEnd() || !refs->value.IsArray()) return std::nullopt;
  for (const auto& ref : refs->value.GetArray()) {
    if (!ref.IsObject()) continue;
    auto controller = ref.FindMember("controller");
    if (controller == ref.MemberEnd() || !controller->value.IsBool() || !controller->value.GetBool()) continue;
    return OwnerRef{string_member(ref, "apiVersion"), string_member(ref, "kind"), string_member(ref, "name")};
  }
  return std::nullopt;
}

void write_string(rapidjson::Writer<rapidjson::StringBuffer>& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

// Knative's Reference payload: a corev1.ObjectReference with these four fields, in its JSON field order.
std::string reference_json(const ObjectMeta& meta) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("kind");
  write_string(w, meta.kind);
  if (!meta.ns.empty()) {
    w.Key("namespace");
    write_string(w, meta.ns);
  }
  w.Key("name");
  write_string(w, meta.name);
  w.Key("apiVersion");
  write_string(w, meta.api_version);
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace

Result<ObjectMeta> read_meta(const rapidjson::Value& object, std::string_view fallback_api_version,
                             std::string_view fallback_kind) {
  if (!object.IsObject()) return Status::invalid("the object is not a JSON object");
  auto metadata = object.FindMember("metadata");
  if (metadata == object.MemberEnd() || !metadata->value.IsObject()) {
    return Status::invalid("the object has no metadata");
  }
  const auto& md = metadata->value;
  ObjectMeta meta;
  meta.api_version = string_member(object, "apiVersion");
  if (meta.api_version.empty()) meta.api_version = fallback_api_version;
  meta.kind = string_member(object, "kind");
  if (meta.kind.empty()) meta.kind = fallback_kind;
  meta.name = string_member(md, "name");
  meta.ns = string_member(md, "namespace");
  meta.uid = string_member(md, "uid");
  meta.resource_version = string_member(md, "resourceVersion");
  if (meta.name.empty()) return Status::invalid("the object has no metadata.name");
  if (meta.uid.empty()) return Status::invalid("object '" + meta.name + "' has no metadata.uid");
  meta.controller = controller_of(md);
  return meta;
}

std::string object_json(const rapidjson::Value& object, std::string_view api_version, std::string_view kind) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("apiVersion");
  write_string(w, api_version);
  w.Key("kind");
  write_string(w, kind);
  for (const auto& m : object.GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (name == "apiVersion" || name == "kind") continue;
    w.Key(m.name.GetString(), m.name.GetStringLength());
    m.value.Accept(w);
  }
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

std::string subject_of(const ObjectMeta& meta, const ResourceName& resource) {
  std::string s = "/apis/" + meta.api_version;
  if (resource.namespaced && !meta.ns.empty()) s += "/namespaces/" + meta.ns;
  return s + "/" + resource.plural + "/" + meta.name;
}

ChangeEvent make_change_event(const ObjectChange& change, EventMode mode, const ResourceName& resource,
                              std::string_view source_url) {
  ChangeEvent e;
  e.type = std::string(mode == EventMode::resource ? "dev.knative.apiserver.resource." : "dev.knative.apiserver.ref.") +
           change_name(change.kind);
  e.source = source_url;
  e.subject = subject_of(change.meta, resource);
  e.kind = change.meta.kind;
  e.api_version = change.meta.api_version;
  e.name = change.meta.name;
  e.ns = change.meta.ns;
  e.data = mode == EventMode::resource ? change.object_json : reference_json(change.meta);
  return e;
}

}  // namespace eventhost::apiserver
