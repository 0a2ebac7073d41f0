// The sink's topic name template: literal text with placeholders that take values from the event.
//
//   {name}            the event attribute `name` (any context attribute or extension), e.g. "events-{namespace}"
//   {data:/pointer}   an RFC 6901 JSON pointer into the event's data, read as JSON,
//                     e.g. "k8s-{data:/involvedObject/namespace}"
//   {{ and }}         a literal brace
//
// A placeholder's value must be a string or a number (booleans too, as true/false); the whole result must be a
// legal Kafka topic name (1-249 characters of [a-zA-Z0-9._-], not "." or ".."). Anything else is an error naming
// the placeholder, never a silently mangled topic.
#pragma once

#include <eventhost/host.hpp>
#include <eventhost/status.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace eventhost::kafka {

class TopicTemplate {
 public:
  static Result<TopicTemplate> parse(std::string_view text);

  Result<std::string> resolve(const EventRef& event) const;

  bool is_literal() const { return parts_.size() <= 1 && (parts_.empty() || parts_[0].kind == Part::literal); }
  // The topic of a template without placeholders (parse made sure it is a legal name), else null.
  const std::string* literal() const { return is_literal() && !parts_.empty() ? &parts_[0].value : nullptr; }
  const std::string& text() const { return text_; }

 private:
  struct Part {
    enum Kind { literal, attribute, data_pointer } kind;
    std::string value;  // literal text, attribute name or JSON pointer
  };

  std::string text_;
  std::vector<Part> parts_;
  bool needs_data_ = false;
};

// Why `name` is not a legal Kafka topic name, or an empty string when it is.
std::string topic_name_violation(std::string_view name);

}  // namespace eventhost::kafka
