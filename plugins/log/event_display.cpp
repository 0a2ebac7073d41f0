#include "event_display.hpp"

#include <eventhost/cloudevents/media_type.hpp>

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace eventhost::log_sink {
namespace {

constexpr std::array<std::string_view, 8> kContextOrder = {"specversion", "type", "source", "subject",
                                                           "id", "time", "dataschema", "datacontenttype"};

std::string indent(std::string_view text) {
  std::string out = "  ";
  for (char c : text) {
    out += c;
    if (c == '\n') out += "  ";
  }
  return out;
}

std::string render_data(const CloudEvent& event) {
  std::string_view data = event.data();
  if (ce::is_json_content_type(event.get("datacontenttype"))) {
    rapidjson::Document doc;
    doc.Parse(data.data(), data.size());
    if (!doc.HasParseError()) {
      rapidjson::StringBuffer buf;
      rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buf);
      writer.SetIndent(' ', 2);
      doc.Accept(writer);
      return indent({buf.GetString(), buf.GetSize()});
    }
  }
  return indent(data);
}

}  // namespace

std::string display(const CloudEvent& event) {
  std::string out = "☁️  cloudevents.Event\nContext Attributes,\n";
  for (auto name : kContextOrder) {
    if (auto v = event.get(name)) out += "  " + std::string(name) + ": " + std::string(*v) + "\n";
  }
  std::string extensions;
  event.for_each([&](const AttributeView& a) {
    if (std::find(kContextOrder.begin(), kContextOrder.end(), a.name) == kContextOrder.end()) {
      extensions += "  " + std::string(a.name) + ": " + std::string(a.value) + "\n";
    }
    return true;
  });
  if (!extensions.empty()) out += "Extensions,\n" + extensions;
  if (event.has_data()) out += "Data,\n" + render_data(event) + "\n";
  return out;
}

}  // namespace eventhost::log_sink
