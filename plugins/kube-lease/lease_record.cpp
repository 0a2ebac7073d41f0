#include "lease_record.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <ctime>

namespace eventhost::kubelease {
namespace {

std::string string_member(const rapidjson::Value& object, const char* key) {
  auto m = object.FindMember(key);
  return m != object.MemberEnd() && m->value.IsString() ? std::string(m->value.GetString(), m->value.GetStringLength())
                                                        : std::string();
}

int64_t integer_member(const rapidjson::Value& object, const char* key) {
  auto m = object.FindMember(key);
  return m != object.MemberEnd() && m->value.IsInt64() ? m->value.GetInt64() : 0;
}

void set_member(rapidjson::Value& object, const char* key, rapidjson::Value value,
                rapidjson::Document::AllocatorType& alloc) {
  auto m = object.FindMember(key);
  if (m != object.MemberEnd()) {
    m->value = std::move(value);
  } else {
    object.AddMember(rapidjson::Value(key, alloc), std::move(value), alloc);
  }
}

rapidjson::Value string_value(const std::string& s, rapidjson::Document::AllocatorType& alloc) {
  return rapidjson::Value(s.c_str(), static_cast<rapidjson::SizeType>(s.size()), alloc);
}

}  // namespace

Result<LeaseRecord> parse_lease_record(std::string_view lease_json) {
  rapidjson::Document d;
  d.Parse(lease_json.data(), lease_json.size());
  if (d.HasParseError() || !d.IsObject()) return Status::invalid("the Lease is not a JSON object");
  LeaseRecord r;
  auto spec = d.FindMember("spec");
  if (spec == d.MemberEnd() || !spec->value.IsObject()) return r;  // a Lease nobody has written to yet
  r.holder = string_member(spec->value, "holderIdentity");
  r.lease_duration_seconds = integer_member(spec->value, "leaseDurationSeconds");
  r.acquire_time = string_member(spec->value, "acquireTime");
  r.renew_time = string_member(spec->value, "renewTime");
  r.transitions = integer_member(spec->value, "leaseTransitions");
  return r;
}

std::string lease_with(std::string_view lease_json, const std::string& name, const std::string& ns,
                       const LeaseRecord& record) {
  rapidjson::Document d;
  auto& alloc = d.GetAllocator();
  if (!lease_json.empty()) d.Parse(lease_json.data(), lease_json.size());
  if (lease_json.empty() || d.HasParseError() || !d.IsObject()) {
    d.SetObject();
    d.AddMember("apiVersion", "coordination.k8s.io/v1", alloc);
    d.AddMember("kind", "Lease", alloc);
    rapidjson::Value meta(rapidjson::kObjectType);
    meta.AddMember("name", string_value(name, alloc), alloc);
    meta.AddMember("namespace", string_value(ns, alloc), alloc);
    d.AddMember("metadata", meta, alloc);
  }
  auto spec = d.FindMember("spec");
  if (spec == d.MemberEnd() || !spec->value.IsObject()) {
    set_member(d, "spec", rapidjson::Value(rapidjson::kObjectType), alloc);
    spec = d.FindMember("spec");
  }
  rapidjson::Value& s = spec->value;
  set_member(s, "holderIdentity", string_value(record.holder, alloc), alloc);
  set_member(s, "leaseDurationSeconds", rapidjson::Value(record.lease_duration_seconds), alloc);
  set_member(s, "acquireTime", string_value(record.acquire_time, alloc), alloc);
  set_member(s, "renewTime", string_value(record.renew_time, alloc), alloc);
  set_member(s, "leaseTransitions", rapidjson::Value(record.transitions), alloc);
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  d.Accept(writer);
  return std::string(out.GetString(), out.GetSize());
}

std::string micro_time(std::chrono::system_clock::time_point t) {
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<long long>(micros % 1000000));
  return buf;
}

}  // namespace eventhost::kubelease
