// `eventhost cesql 'EXPR' [--event FILE] [--json]`: the value, its type and the errors of one expression against
// one event, so that a filter can be tried before it goes into a trigger.
#include "cli_filters.hpp"

#include <eventhost/cesql.hpp>
#include <eventhost/cloudevents/json.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>

namespace eventhost::host {
namespace {

namespace cesql = eventhost::cesql;

constexpr std::string_view kDefaultEvent =
    R"({"specversion": "1.0", "id": "1", "source": "/eventhost/cesql", "type": "com.example.event"})";

int fail(const std::string& message) {
  std::fprintf(stderr, "eventhost: %s\n", message.c_str());
  return 1;
}

std::optional<std::string> read_all(const std::string& path) {
  if (path == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// "position N: reason" -> N, 0 when the message carries no position.
size_t position_of(const std::string& message) {
  size_t n = 0;
  if (std::sscanf(message.c_str(), "position %zu:", &n) != 1) return 0;
  return n;
}

void write_error(rapidjson::Writer<rapidjson::StringBuffer>& w, std::string_view kind, const std::string& message) {
  w.StartObject();
  w.Key("kind");
  w.String(kind.data(), static_cast<rapidjson::SizeType>(kind.size()));
  w.Key("message");
  w.String(message.c_str(), static_cast<rapidjson::SizeType>(message.size()));
  w.EndObject();
}

void print_json(const cesql::EvalResult& result) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> w(out);
  w.StartObject();
  w.Key("value");
  switch (result.value.type()) {
    case cesql::Type::Boolean: w.Bool(result.value.as_bool()); break;
    case cesql::Type::Integer: w.Int(result.value.as_int()); break;
    case cesql::Type::String:
      w.String(result.value.as_string().c_str(), static_cast<rapidjson::SizeType>(result.value.as_string().size()));
      break;
  }
  w.Key("type");
  std::string_view type = cesql::type_name(result.value.type());
  w.String(type.data(), static_cast<rapidjson::SizeType>(type.size()));
  w.Key("errors");
  w.StartArray();
  for (const cesql::Error& e : result.errors) {
    write_error(w, cesql::kind_name(e.kind), "position " + std::to_string(e.position) + ": " + e.message);
  }
  w.EndArray();
  w.EndObject();
  std::printf("%s\n", out.GetString());
}

void print_parse_error_json(const std::string& message) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> w(out);
  w.StartObject();
  w.Key("value");
  w.Null();
  w.Key("type");
  w.Null();
  w.Key("errors");
  w.StartArray();
  write_error(w, cesql::kind_name(cesql::ErrorKind::Parse), message);
  w.EndArray();
  w.EndObject();
  std::printf("%s\n", out.GetString());
}

// The expression with a caret under the position the parser complained about.
void print_parse_error_text(const std::string& expression, const std::string& message) {
  std::fprintf(stderr, "eventhost: %s\n", message.c_str());
  size_t position = position_of(message);
  if (position == 0 || expression.find('\n') != std::string::npos) return;
  std::fprintf(stderr, "  %s\n  %s^\n", expression.c_str(), std::string(position - 1, ' ').c_str());
}

}  // namespace

int run_cesql_command(const CesqlCommand& command) {
  std::string event_text(kDefaultEvent);
  if (!command.event_file.empty()) {
    auto text = read_all(command.event_file);
    if (!text) return fail("cannot read event file " + command.event_file);
    event_text = std::move(*text);
  }
  auto event = ce::from_json(event_text);
  if (!event) {
    std::string from = command.event_file.empty() ? "the default event"
                       : command.event_file == "-" ? "standard input"
                                                   : command.event_file;
    return fail(from + " is not a valid CloudEvent in JSON format: " + event.status().message());
  }

  auto expression = cesql::parse(command.expression);
  if (!expression) {
    if (command.json) print_parse_error_json(expression.status().message());
    else print_parse_error_text(command.expression, expression.status().message());
    return 1;
  }
  cesql::EvalResult result = cesql::evaluate(*expression, cesql::lookup(*event));
  if (command.json) {
    print_json(result);
    return 0;
  }
  std::printf("%s\n", cesql::to_string(result.value).c_str());
  for (const cesql::Error& e : result.errors) std::printf("error: %s\n", cesql::to_string(e).c_str());
  return 0;
}

}  // namespace eventhost::host
