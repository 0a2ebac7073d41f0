#include "topic_template.hpp"

#include <eventhost/cloudevents/types.hpp>

#include <rapidjson/document.h>
#include <rapidjson/pointer.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace eventhost::kafka {
namespace {

constexpr size_t kMaxTopicLength = 249;
constexpr std::string_view kDataPrefix = "data:";

bool is_topic_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

// The scalar at `pointer` as text, or why there is none.
Result<std::string> scalar_at(const rapidjson::Document& doc, const std::string& pointer) {
  rapidjson::Pointer p(pointer.c_str(), pointer.size());
  if (!p.IsValid()) return Status::invalid("\"" + pointer + "\" is not a JSON pointer");
  const rapidjson::Value* v = p.Get(doc);
  if (v == nullptr) return Status(EH_ERR_NOT_FOUND, "event data has no value at " + pointer);
  if (v->IsString()) return std::string(v->GetString(), v->GetStringLength());
  if (v->IsNumber() || v->IsBool()) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    v->Accept(w);
    return std::string(buf.GetString(), buf.GetSize());
  }
  return Status::invalid("event data at " + pointer + " is " + (v->IsNull() ? "null" : v->IsObject() ? "an object" : "an array") +
                         ", not a string or number");
}

}  // namespace

std::string topic_name_violation(std::string_view name) {
  if (name.empty()) return "is empty";
  if (name.size() > kMaxTopicLength) return "is longer than 249 characters";
  if (name == "." || name == "..") return "may not be \".\" or \"..\"";
  for (char c : name) {
    if (!is_topic_char(c)) return "contains '" + std::string(1, c) + "' (allowed: a-z A-Z 0-9 . _ -)";
  }
  return {};
}

Result<TopicTemplate> TopicTemplate::parse(std::string_view text) {
  TopicTemplate t;
  t.text_ = std::string(text);
  std::string literal;
  auto flush = [&] {
    if (!literal.empty()) t.parts_.push_back({Part::literal, std::move(literal)});
    literal.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '}') {
      if (i + 1 < text.size() && text[i + 1] == '}') {
        literal += '}';
        ++i;
        continue;
      }
      return Status::invalid("'}' at position " + std::to_string(i) + " closes nothing (write }} for a literal brace)");
    }
    if (c != '{') {
      literal += c;
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '{') {
      literal += '{';
      ++i;
      continue;
    }
    size_t close = text.find('}', i);
    if (close == std::string_view::npos) {
      return Status::invalid("'{' at position " + std::to_string(i) + " is not closed");
    }
    std::string_view inner = text.substr(i + 1, close - i - 1);
    flush();
    if (inner.substr(0, kDataPrefix.size()) == kDataPrefix) {
      std::string pointer(inner.substr(kDataPrefix.size()));
      if (pointer.empty() || pointer[0] != '/' || !rapidjson::Pointer(pointer.c_str(), pointer.size()).IsValid()) {
        return Status::invalid("{" + std::string(inner) + "}: expected a JSON pointer such as {data:/metadata/namespace}");
      }
      t.parts_.push_back({Part::data_pointer, std::move(pointer)});
      t.needs_data_ = true;
    } else if (ce::is_attribute_name(inner)) {
      t.parts_.push_back({Part::attribute, std::string(inner)});
    } else {
      return Status::invalid("{" + std::string(inner) +
                             "}: expected an attribute name ([a-z0-9]+) or data:/json/pointer");
    }
    i = close;
  }
  flush();
  if (t.is_literal()) {
    std::string name = t.parts_.empty() ? std::string() : t.parts_[0].value;
    if (auto why = topic_name_violation(name); !why.empty()) {
      return Status::invalid("topic \"" + name + "\" " + why);
    }
  }
  return t;
}

Result<std::string> TopicTemplate::resolve(const EventRef& event) const {
  if (is_literal()) return parts_.empty() ? std::string() : parts_[0].value;
  rapidjson::Document data;
  if (needs_data_) {
    auto bytes = event.data();
    if (!bytes) return Status(EH_ERR_NOT_FOUND, "topic template \"" + text_ + "\": the event has no data");
    data.Parse(bytes->data(), bytes->size());
    if (data.HasParseError()) return Status::invalid("topic template \"" + text_ + "\": the event data is not JSON");
  }
  std::string topic;
  for (const Part& part : parts_) {
    switch (part.kind) {
      case Part::literal:
        topic += part.value;
        break;
      case Part::attribute: {
        auto value = event.get(part.value);
        if (!value) {
          return Status(EH_ERR_NOT_FOUND,
                        "topic template \"" + text_ + "\": the event has no attribute '" + part.value + "'");
        }
        topic += *value;
        break;
      }
      case Part::data_pointer: {
        auto value = scalar_at(data, part.value);
        if (!value) return Status(value.status().code(), "topic template \"" + text_ + "\": " + value.status().message());
        topic += *value;
        break;
      }
    }
  }
  if (auto why = topic_name_violation(topic); !why.empty()) {
    return Status::invalid("topic template \"" + text_ + "\" gave \"" + topic + "\", which " + why);
  }
  return topic;
}

}  // namespace eventhost::kafka
