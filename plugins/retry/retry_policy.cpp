// Knative's delivery spec as a delivery policy: `retry` attempts after the first, linear or exponential backoff,
// Retry-After honoured up to retry_after_max, then the dead-letter sink when there is one.
#include "retry_decision.hpp"

#include <eventhost/plugin.hpp>

namespace {

class RetryPolicy final : public eventhost::DeliveryPolicy {
 public:
  static constexpr eventhost::PluginInfo info{"retry", "1.0.0",
                                              "Knative delivery: retries with backoff, Retry-After, dead letters"};
  static constexpr eh_config_key schema[] = {
      eventhost::optional_key("retry", EH_CONFIG_INTEGER, "0", "Retries after the first attempt"),
      eventhost::enum_key("backoff_policy", "linear|exponential", "\"exponential\"",
                          "Retry n waits backoff_delay*n (linear) or backoff_delay*2^(n-1) (exponential)"),
      eventhost::optional_key("backoff_delay", EH_CONFIG_DURATION, "\"PT0.2S\"", "Base delay between attempts"),
      eventhost::optional_key("retry_after_max", EH_CONFIG_DURATION, "\"0s\"",
                              "Longest Retry-After honoured on 429/503; 0 ignores Retry-After"),
  };

  RetryPolicy(eventhost::Host, const eventhost::Config& config) {
    int64_t retry = config.integer("retry");
    if (retry < 0 || retry > 1000) throw std::invalid_argument("retry: must be between 0 and 1000");
    settings_.retry = static_cast<uint32_t>(retry);
    settings_.exponential = config.string("backoff_policy") == "exponential";
    settings_.backoff_delay = config.duration("backoff_delay");
    settings_.retry_after_max = config.duration("retry_after_max");
  }

  eh_delivery_decision decide(eventhost::EventRef, uint32_t attempt, const eh_delivery_result& result,
                              bool dead_letter_available) const {
    return eventhost::retry::decide(settings_, attempt, result, dead_letter_available);
  }

 private:
  eventhost::retry::Settings settings_;
};

}  // namespace

EVENTHOST_PLUGIN(RetryPolicy)
