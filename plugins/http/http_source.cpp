// The `http` source: CloudEvents POSTed to one path of the worker's HTTP server (binary, structured or batched
// mode). It answers 202 only when every event of the request has been accepted by the pipeline's sink (for a
// broker or channel: the bus), 400 with the decoder's reason, 415 for an event format it cannot read, 405 for
// anything but POST, and 429/503 with Retry-After when the pipeline or its backend has no room.
#include "event_bridge.hpp"
#include "ingress_answer.hpp"

#include <eventhost/cloudevents/http.hpp>
#include <eventhost/plugin.hpp>

#include <atomic>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace eventhost::http_plugin {
namespace {

void answer(const eh_host_api* api, eh_http_responder* r, int status, std::string_view body,
            std::string_view retry_after = {}, std::string_view allow = {}) {
  eh_http_header headers[3];
  size_t n = 0;
  if (!body.empty()) headers[n++] = {to_eh("Content-Type"), to_eh("text/plain; charset=utf-8")};
  if (!retry_after.empty()) headers[n++] = {to_eh("Retry-After"), to_eh(retry_after)};
  if (!allow.empty()) headers[n++] = {to_eh("Allow"), to_eh(allow)};
  api->http_respond(r, status, headers, n, to_eh(body));
}

// What a server thread keeps between requests: up to this size, so that one large request does not pin its memory.
constexpr size_t kKeptBytes = 64 * 1024;

void release_if_large(ce::HttpMessage& message) {
  if (message.body.size() > kKeptBytes) message = ce::HttpMessage();
}

void release_if_large(CloudEvent& event) {
  if (event.data().size() > kKeptBytes) event = CloudEvent();
}

// One request whose events are in the pipeline: the last completion answers.
struct PendingRequest {
  const eh_host_api* api;
  eh_http_responder* responder;
  std::string retry_after;
  std::atomic<int> remaining{1};  // one for the request itself until every event has been emitted
  std::atomic<int> worst{EH_OK};

  void fail(eh_status s) {
    int ok = EH_OK;
    worst.compare_exchange_strong(ok, s);
  }
  void release() {
    if (remaining.fetch_sub(1) != 1) return;
    std::unique_ptr<PendingRequest> self(this);
    IngressAnswer a = ingress_answer(static_cast<eh_status>(worst.load()));
    std::string body = a.status == 202 ? "" : std::string(a.reason) + "\n";
    answer(api, responder, a.status, body, a.retry_after ? std::string_view(retry_after) : std::string_view{});
  }
};

}  // namespace

class HttpIngress final : public Source {
 public:
  static constexpr PluginInfo info{"http", "1.0.0",
                                   "HTTP ingress: CloudEvents POSTed to one path (binary, structured, batched)"};
  static constexpr eh_config_key schema[] = {
      required_key("path", EH_CONFIG_STRING, "Request path to serve, e.g. /default/my-broker"),
      optional_key("max_body_bytes", EH_CONFIG_INTEGER, "4194304", "Largest request body; larger ones get 413"),
      optional_key("retry_after", EH_CONFIG_DURATION, "\"1s\"", "Retry-After of 429 and 503 answers (whole seconds)"),
  };

  HttpIngress(Host host, const Config& config)
      : host_(host),
        path_(config.string("path")),
        max_body_bytes_(config.integer("max_body_bytes")),
        retry_after_(std::to_string(std::max<int64_t>(1, (config.duration("retry_after").count() + 999) / 1000))) {
    if (path_.empty() || path_[0] != '/') throw std::invalid_argument("path must start with /: '" + path_ + "'");
    if (max_body_bytes_ < 1) throw std::invalid_argument("max_body_bytes must be at least 1");
    if (host.api()->struct_size < offsetof(eh_host_api, http_respond) + sizeof(eh_host_api::http_respond)) {
      throw std::invalid_argument("the worker is too old for HTTP routes (needs plugin ABI 1.1)");
    }
  }

  Status start() {
    char err[256] = {0};
    eh_status s = host_.api()->http_route_add(host_.raw(), to_eh(path_), static_cast<uint64_t>(max_body_bytes_),
                                              &HttpIngress::on_request, this, err, sizeof err);
    if (s != EH_OK) return Status(s, err);
    host_.info("receiving CloudEvents on POST " + path_);
    return Status::ok();
  }

  void stop() { host_.api()->http_route_remove(host_.raw(), to_eh(path_)); }

 private:
  static void on_request(void* arg, const eh_http_request* request, eh_http_responder* responder) {
    static_cast<HttpIngress*>(arg)->serve(*request, responder);
  }

  void serve(const eh_http_request& request, eh_http_responder* responder) {
    const eh_host_api* api = host_.api();
    if (from_eh(request.method) != "POST") {
      return answer(api, responder, 405, "only POST is allowed here\n", {}, "POST");
    }
    // The request is copied and decoded into storage this server thread keeps, so that decoding a binary-mode
    // request allocates nothing once that storage fits. The event is copied into the host's before it is emitted,
    // so the storage is free again for the thread's next request.
    thread_local ce::HttpMessage message;
    thread_local CloudEvent single;
    message.headers.resize(request.header_count);
    for (size_t i = 0; i < request.header_count; ++i) {
      message.headers[i].first.assign(from_eh(request.headers[i].name));
      message.headers[i].second.assign(from_eh(request.headers[i].value));
    }
    message.body.assign(from_eh(request.body));

    std::vector<CloudEvent> batch;
    bool is_batch = ce::content_mode(message.header("content-type")) == ce::ContentMode::batched;
    Status decoded;
    if (is_batch) {
      auto events = ce::events_from_http(message);
      if (events) batch = std::move(*events);
      decoded = events ? Status::ok() : events.status();
    } else {
      decoded = ce::from_http(message, single);
    }
    release_if_large(message);
    if (!decoded) {
      release_if_large(single);
      int status = ce::is_unsupported_format(decoded) ? 415 : 400;
      return answer(api, responder, status, decoded.message() + "\n");
    }

    auto* pending = new PendingRequest{api, responder, retry_after_};
    auto events = is_batch ? std::span<const CloudEvent>(batch) : std::span<const CloudEvent>(&single, 1);
    for (const CloudEvent& event : events) {
      OwnedEvent owned = to_host_event(api, host_.raw(), event);
      pending->remaining.fetch_add(1);
      eh_status s = host_.emit(owned, [pending](eh_status done) {
        if (done != EH_OK) pending->fail(done);
        pending->release();
      });
      if (s != EH_OK) {
        // Not taken: the events after it are not sent either; those already taken still finish first.
        pending->fail(s);
        pending->release();
        break;
      }
    }
    release_if_large(single);
    pending->release();
  }

  Host host_;
  std::string path_;
  int64_t max_body_bytes_;
  std::string retry_after_;
};

}  // namespace eventhost::http_plugin

EVENTHOST_PLUGIN(eventhost::http_plugin::HttpIngress)
