// The `http` sink: POSTs each event to `url` (binary mode, or structured on request) with `Prefer: reply`, over
// pooled keep-alive connections. A 2xx answer is a success; a CloudEvent in it is the reply (for a trigger it goes
// back into the broker). Any other answer is reported with its status code, Retry-After and body, for the delivery
// policy and the dead letters; transport failures are EH_ERR_UNAVAILABLE, timeouts EH_ERR_TIMEOUT.
#include "client.hpp"
#include "event_bridge.hpp"

#include <eventhost/cloudevents/header_value.hpp>
#include <eventhost/cloudevents/http.hpp>
#include <eventhost/cloudevents/json.hpp>
#include <eventhost/plugin.hpp>

#include <memory>

namespace eventhost::http_plugin {

class HttpSink final : public Sink {
 public:
  static constexpr PluginInfo info{"http", "1.0.0",
                                   "Delivers events by HTTP POST (binary or structured); a CloudEvent answer is a reply"};
  static constexpr eh_config_key schema[] = {
      required_key("url", EH_CONFIG_STRING, "Subscriber URL, http:// or https://"),
      enum_key("format", "binary|structured", "\"binary\"", "CloudEvents HTTP content mode of the request"),
      optional_key("connect_timeout", EH_CONFIG_DURATION, "\"5s\"", "Time to connect (and finish TLS)"),
      optional_key("request_timeout", EH_CONFIG_DURATION, "\"30s\"", "Time to send the request and read the answer"),
      optional_key("max_idle_connections", EH_CONFIG_INTEGER, "64", "Keep-alive connections kept for reuse"),
      optional_key("max_response_bytes", EH_CONFIG_INTEGER, "4194304", "Largest answer body read"),
      optional_key("ca_file", EH_CONFIG_STRING, nullptr, "PEM file of CAs to trust instead of the system store"),
  };

  HttpSink(Host host, const Config& config) : host_(host), structured_(config.string("format") == "structured") {
    auto url = parse_url(config.string("url"));
    if (!url) throw std::invalid_argument(url.status().message());
    url_ = *url;
    ClientSettings settings;
    settings.connect_timeout = config.duration("connect_timeout");
    settings.request_timeout = config.duration("request_timeout");
    int64_t idle = config.integer("max_idle_connections");
    int64_t max_response = config.integer("max_response_bytes");
    if (idle < 0) throw std::invalid_argument("max_idle_connections must not be negative");
    if (max_response < 1) throw std::invalid_argument("max_response_bytes must be at least 1");
    settings.max_idle_connections = static_cast<size_t>(idle);
    settings.max_response_bytes = static_cast<uint64_t>(max_response);
    if (config.has("ca_file")) settings.ca_file = config.string("ca_file");
    auto client = Client::create(url_, settings);
    if (!client) throw std::invalid_argument(client.status().message());
    client_ = std::move(*client);
  }

  void deliver(EventRef event, Completion done) {
    Request request = structured_ ? structured(event) : binary(event);
    auto completion = std::make_shared<Completion>(std::move(done));
    const eh_host_api* api = host_.api();
    eh_host* host = host_.raw();
    client_->send(std::move(request), [completion, api, host](DeliveryOutcome outcome) {
      OwnedEvent reply;
      if (outcome.reply) reply = to_host_event(api, host, *outcome.reply);
      (*completion)(outcome.view(), std::move(reply));
    });
  }

 private:
  Request base_request() const {
    Request request{boost::beast::http::verb::post, url_.target, 11};
    request.set(boost::beast::http::field::host, url_.host_header);
    request.set(boost::beast::http::field::user_agent, "eventhost");
    request.set("Prefer", "reply");
    return request;
  }

  Request binary(EventRef event) const {
    Request request = base_request();
    std::string name;
    event.for_each([&](std::string_view attribute, std::string_view value, eh_attr_type) {
      if (attribute == "datacontenttype") {
        request.set(boost::beast::http::field::content_type, value);
      } else {
        name.assign(ce::kHttpPrefix).append(attribute);
        request.insert(name, ce::percent_encode(value));
      }
      return true;
    });
    if (auto data = event.data()) request.body().assign(*data);
    request.prepare_payload();
    return request;
  }

  Request structured(EventRef event) const {
    Request request = base_request();
    request.set(boost::beast::http::field::content_type, std::string(ce::kJsonFormat) + "; charset=UTF-8");
    request.body() = ce::to_json(from_host_event(event));
    request.prepare_payload();
    return request;
  }

  Host host_;
  bool structured_;
  Url url_;
  std::unique_ptr<Client> client_;
};

}  // namespace eventhost::http_plugin

EVENTHOST_PLUGIN(eventhost::http_plugin::HttpSink)
