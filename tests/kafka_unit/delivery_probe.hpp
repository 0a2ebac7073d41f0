// A sink delivery's answer, caught for a test: hand completion() to the engine, then wait() for what it said.
#pragma once

#include <eventhost/plugin.hpp>

#include <chrono>
#include <future>
#include <optional>
#include <string>

namespace eventhost::testing {

struct Outcome {
  eh_status status;
  std::string detail;
};

class DeliveryProbe {
 public:
  Completion completion(const eh_host_api* api) {
    api_ = api;
    return Completion(api, &DeliveryProbe::done, this);
  }
  std::optional<Outcome> wait(std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
    auto f = promise_.get_future();
    if (f.wait_for(timeout) != std::future_status::ready) return std::nullopt;
    return f.get();
  }

 private:
  static void done(void* arg, const eh_delivery_result* r, eh_event* reply) {
    auto* self = static_cast<DeliveryProbe*>(arg);
    if (reply != nullptr) self->api_->event_free(reply);  // the host's event: only the host can free it
    self->promise_.set_value({r->status, std::string(r->detail.ptr, r->detail.len)});
  }
  const eh_host_api* api_ = nullptr;
  std::promise<Outcome> promise_;
};

}  // namespace eventhost::testing
