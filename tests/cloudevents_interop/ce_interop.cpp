// ce-interop: puts the SDK's HTTP codecs behind stdin/stdout so another language's CloudEvents SDK can check them.
//
//   ce-interop decode-http             HTTP message in, event out (mode chosen from Content-Type, as a receiver does)
//   ce-interop encode-http-binary      event in, HTTP message out
//   ce-interop encode-http-structured  event in, HTTP message out
//
// Both shapes are JSON, so bytes travel as base64 and nothing depends on either side's encoder:
//   message: {"headers": [["name", "value"], ...], "body_base64": "..."}
//   event:   {"mode": "binary"|"structured", "attributes": {"name": {"type": "Integer", "value": "42"}, ...},
//             "data_base64": "..."}   (no data_base64 when the event has no data; no mode on input)
// A refused input prints {"error": "..."} and exits 1.
#include <eventhost/cloudevents/base64.hpp>
#include <eventhost/cloudevents/content_mode.hpp>
#include <eventhost/cloudevents/http.hpp>
#include <eventhost/cloudevents/types.hpp>

#include <rapidjson/document.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

namespace ce = eventhost::ce;
using eventhost::AttributeType;
using eventhost::CloudEvent;
using eventhost::Result;
using eventhost::Status;

namespace {

using Writer = rapidjson::Writer<ce::detail::StringOutput>;

void put_string(Writer& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

std::optional<AttributeType> type_from_name(std::string_view name) {
  for (AttributeType t : {EH_ATTR_STRING, EH_ATTR_BOOLEAN, EH_ATTR_INTEGER, EH_ATTR_BINARY, EH_ATTR_URI,
                          EH_ATTR_URI_REF, EH_ATTR_TIMESTAMP}) {
    if (name == ce::type_name(t)) return t;
  }
  return std::nullopt;
}

std::string_view string_of(const rapidjson::Value& v) { return {v.GetString(), v.GetStringLength()}; }

Result<rapidjson::Document> parse_input(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject()) return Status::invalid("input is not a JSON object");
  return doc;
}

Result<ce::HttpMessage> message_from(const rapidjson::Document& doc) {
  ce::HttpMessage message;
  if (!doc.HasMember("headers") || !doc["headers"].IsArray()) return Status::invalid("headers: expected an array");
  for (const auto& pair : doc["headers"].GetArray()) {
    if (!pair.IsArray() || pair.Size() != 2 || !pair[0].IsString() || !pair[1].IsString()) {
      return Status::invalid("headers: expected [name, value] string pairs");
    }
    message.headers.emplace_back(string_of(pair[0]), string_of(pair[1]));
  }
  if (doc.HasMember("body_base64")) {
    auto body = ce::base64_decode(string_of(doc["body_base64"]));
    if (!body) return Status::invalid("body_base64: not base64");
    message.body = std::move(*body);
  }
  return message;
}

Result<CloudEvent> event_from(const rapidjson::Document& doc) {
  CloudEvent event;
  if (!doc.HasMember("attributes") || !doc["attributes"].IsObject()) {
    return Status::invalid("attributes: expected an object");
  }
  for (const auto& member : doc["attributes"].GetObject()) {
    const auto& a = member.value;
    if (!a.IsObject() || !a.HasMember("type") || !a.HasMember("value") || !a["value"].IsString()) {
      return Status::invalid("attributes: expected {\"type\": ..., \"value\": ...}");
    }
    auto type = type_from_name(string_of(a["type"]));
    if (!type) return Status::invalid("unknown attribute type " + std::string(string_of(a["type"])));
    event.set(string_of(member.name), string_of(a["value"]), *type);
  }
  if (doc.HasMember("data_base64")) {
    auto data = ce::base64_decode(string_of(doc["data_base64"]));
    if (!data) return Status::invalid("data_base64: not base64");
    event.set_data(std::move(*data));
  }
  return event;
}

std::string event_json(const CloudEvent& event, ce::ContentMode mode) {
  std::string out;
  ce::detail::StringOutput stream{&out};
  Writer w(stream);
  w.StartObject();
  w.Key("mode");
  w.String(mode == ce::ContentMode::binary ? "binary" : "structured");
  w.Key("attributes");
  w.StartObject();
  event.for_each([&](const eventhost::AttributeView& a) {
    put_string(w, a.name);
    w.StartObject();
    w.Key("type");
    w.String(ce::type_name(a.type));
    w.Key("value");
    put_string(w, a.value);
    w.EndObject();
    return true;
  });
  w.EndObject();
  if (event.has_data()) {
    w.Key("data_base64");
    put_string(w, ce::base64_encode(event.data()));
  }
  w.EndObject();
  return out;
}

std::string message_json(const ce::HttpMessage& message) {
  std::string out;
  ce::detail::StringOutput stream{&out};
  Writer w(stream);
  w.StartObject();
  w.Key("headers");
  w.StartArray();
  for (const auto& [name, value] : message.headers) {
    w.StartArray();
    put_string(w, name);
    put_string(w, value);
    w.EndArray();
  }
  w.EndArray();
  w.Key("body_base64");
  put_string(w, ce::base64_encode(message.body));
  w.EndObject();
  return out;
}

Result<std::string> run(std::string_view command, const std::string& input) {
  auto doc = parse_input(input);
  if (!doc) return doc.status();
  if (command == "decode-http") {
    auto message = message_from(*doc);
    if (!message) return message.status();
    auto event = ce::from_http(*message);
    if (!event) return event.status();
    return event_json(*event, ce::content_mode(message->header("content-type")));
  }
  if (command == "encode-http-binary" || command == "encode-http-structured") {
    auto event = event_from(*doc);
    if (!event) return event.status();
    return message_json(command == "encode-http-binary" ? ce::to_http_binary(*event) : ce::to_http_structured(*event));
  }
  return Status::invalid("unknown command " + std::string(command) +
                         "; expected decode-http, encode-http-binary or encode-http-structured");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: ce-interop decode-http|encode-http-binary|encode-http-structured < input.json\n";
    return 2;
  }
  std::string input(std::istreambuf_iterator<char>(std::cin), {});
  auto output = run(argv[1], input);
  if (!output) {
    std::string error;
    ce::detail::StringOutput stream{&error};
    Writer w(stream);
    w.StartObject();
    w.Key("error");
    put_string(w, output.status().message());
    w.EndObject();
    std::cout << error << '\n';
    return 1;
  }
  std::cout << *output << '\n';
  return 0;
}
