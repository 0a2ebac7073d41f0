#include "compile.hpp"

#include "suggest.hpp"

#include <eventhost/cloudevents/types.hpp>

#include <array>
#include <stdexcept>
#include <string>
#include <string_view>

namespace eventhost::dialects {
namespace {

constexpr std::array<std::string_view, 7> kDialects = {"exact", "prefix", "suffix", "all", "any", "not", "cesql"};
// Deeper nesting is certainly a mistake, and the limit keeps compiling and matching off the end of the stack.
constexpr int kMaxDepth = 64;

[[noreturn]] void refuse(const std::string& path, const std::string& reason) {
  throw std::invalid_argument(path + ": " + reason);
}

// JSON types named as the TOML the user wrote (the host converts TOML to JSON).
std::string type_of(const rapidjson::Value& v) {
  if (v.IsString()) return "a string";
  if (v.IsBool()) return "a boolean";
  if (v.IsInt64()) return "an integer";
  if (v.IsNumber()) return "a float";
  if (v.IsObject()) return "a table";
  if (v.IsArray()) return "an array";
  return "nothing";
}

std::string_view view(const rapidjson::Value& s) { return {s.GetString(), s.GetStringLength()}; }

Node compile_filter(const rapidjson::Value& filter, const std::string& path, int depth);

// exact, prefix, suffix: { attribute = "value", ... }, names and values non-empty (spec 3.2.4.1.1).
Node compile_attribute_tests(Node::Kind kind, std::string_view dialect, const rapidjson::Value& body,
                             const std::string& path) {
  if (!body.IsObject()) {
    refuse(path, "expected a table of attribute = \"value\", got " + type_of(body) + ", e.g. { " +
                     std::string(dialect) + " = { type = \"com.example.order\" } }");
  }
  if (body.MemberCount() == 0) refuse(path, "names no attribute: give at least one attribute = \"value\"");
  Node all{Node::Kind::All, {}, {}, {}, {}};
  for (const auto& member : body.GetObject()) {
    std::string name(view(member.name));
    std::string at = path + "." + name;
    if (name.empty()) refuse(path, "attribute name must not be empty");
    if (!ce::is_attribute_name(name)) {
      refuse(at, "'" + name + "' is not a CloudEvents attribute name (lower-case letters and digits only), so no "
                 "event could have it");
    }
    const rapidjson::Value& value = member.value;
    if (!value.IsString()) {
      std::string hint;
      if (value.IsInt64()) hint = " (attributes compare by their string form: write \"" + std::to_string(value.GetInt64()) + "\")";
      if (value.IsBool()) hint = std::string(" (attributes compare by their string form: write \"") +
                                 (value.GetBool() ? "true" : "false") + "\")";
      refuse(at, "expected a string, got " + type_of(value) + hint);
    }
    if (value.GetStringLength() == 0) {
      refuse(at, "value must not be empty (spec 3.2.4.1.1); to require only that the attribute exists, use "
                 "{ cesql = \"EXISTS " + name + "\" }");
    }
    all.children.push_back(Node{kind, name, std::string(view(value)), {}, {}});
  }
  if (all.children.size() == 1) return std::move(all.children.front());
  return all;
}

// all, any: a non-empty array of filters (spec 3.2.4.1.1).
Node compile_group(Node::Kind kind, std::string_view dialect, const rapidjson::Value& body, const std::string& path,
                   int depth) {
  if (!body.IsArray()) {
    refuse(path, "expected an array of filters, got " + type_of(body) + ", e.g. " + std::string(dialect) +
                     " = [{ exact = { type = \"a\" } }, { prefix = { source = \"/b\" } }]");
  }
  if (body.Empty()) refuse(path, "needs at least one filter (spec 3.2.4.1.1)");
  Node group{kind, {}, {}, {}, {}};
  group.children.reserve(body.Size());
  for (rapidjson::SizeType i = 0; i < body.Size(); ++i) {
    group.children.push_back(compile_filter(body[i], path + "[" + std::to_string(i) + "]", depth + 1));
  }
  return group;
}

Node compile_not(const rapidjson::Value& body, const std::string& path, int depth) {
  if (!body.IsObject()) {
    refuse(path, "expected one filter table, got " + type_of(body) +
                     (body.IsArray() ? " (to negate several filters, write not = { any = [...] } or "
                                       "not = { all = [...] })"
                                     : std::string()));
  }
  Node negation{Node::Kind::Not, {}, {}, {}, {}};
  negation.children.push_back(compile_filter(body, path, depth + 1));
  return negation;
}

Node compile_cesql(const rapidjson::Value& body, const std::string& path) {
  if (!body.IsString()) refuse(path, "expected a CESQL expression string, got " + type_of(body));
  if (body.GetStringLength() == 0) refuse(path, "expression must not be empty");
  auto expression = cesql::parse(view(body));
  if (!expression) refuse(path, expression.status().message());
  if (!expression->diagnostics().empty()) {
    // It parses but can never pass (an unknown function): refuse it now rather than drop every event.
    const cesql::Error& first = expression->diagnostics().front();
    refuse(path, "position " + std::to_string(first.position) + ": " + first.message);
  }
  return Node{Node::Kind::Cesql, {}, {}, {}, std::move(expression).value()};
}

// One filter: a table with exactly one dialect key.
Node compile_filter(const rapidjson::Value& filter, const std::string& path, int depth) {
  if (depth > kMaxDepth) refuse(path, "filters nest deeper than " + std::to_string(kMaxDepth) + " levels");
  if (!filter.IsObject()) {
    refuse(path, "expected a table naming one dialect, e.g. { exact = { type = \"com.example.order\" } }, got " +
                     type_of(filter));
  }
  if (filter.MemberCount() == 0) {
    refuse(path, "names no dialect: give one of exact, prefix, suffix, all, any, not, cesql");
  }
  if (filter.MemberCount() > 1) {
    auto it = filter.MemberBegin();
    std::string first(view(it->name));
    std::string second(view((++it)->name));
    refuse(path, "names more than one dialect ('" + first + "' and '" + second +
                     "'): one dialect per entry; combine them with all = [...]");
  }
  const auto& member = *filter.MemberBegin();
  std::string_view dialect = view(member.name);
  std::string at = path + "." + std::string(dialect);
  const rapidjson::Value& body = member.value;
  if (dialect == "exact") return compile_attribute_tests(Node::Kind::Exact, dialect, body, at);
  if (dialect == "prefix") return compile_attribute_tests(Node::Kind::Prefix, dialect, body, at);
  if (dialect == "suffix") return compile_attribute_tests(Node::Kind::Suffix, dialect, body, at);
  if (dialect == "all") return compile_group(Node::Kind::All, dialect, body, at, depth);
  if (dialect == "any") return compile_group(Node::Kind::Any, dialect, body, at, depth);
  if (dialect == "not") return compile_not(body, at, depth);
  if (dialect == "cesql") return compile_cesql(body, at);
  if (dialect == "sql") {
    refuse(path, "unknown dialect 'sql': the Subscriptions API's CESQL dialect is named 'cesql' here, as in Knative");
  }
  refuse(path, "unknown dialect '" + std::string(dialect) + "'" + did_you_mean(dialect, kDialects));
}

}  // namespace

Node compile(const rapidjson::Value& filters) {
  if (!filters.IsArray()) {
    refuse("filters", "expected an array of filters, e.g. [{ exact = { type = \"com.example.order\" } }], got " +
                          type_of(filters));
  }
  Node all{Node::Kind::All, {}, {}, {}, {}};
  all.children.reserve(filters.Size());
  for (rapidjson::SizeType i = 0; i < filters.Size(); ++i) {
    all.children.push_back(compile_filter(filters[i], "filters[" + std::to_string(i) + "]", 1));
  }
  if (all.children.size() == 1) return std::move(all.children.front());
  return all;
}

}  // namespace eventhost::dialects
