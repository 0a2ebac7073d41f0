// The ping source: emits dev.knative.sources.ping on a cron schedule, like Knative PingSource.
#include "cron.hpp"
#include "ping_event.hpp"

#include <eventhost/plugin.hpp>

#include <algorithm>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace eventhost::ping {
namespace {

using Clock = std::chrono::system_clock;

template <typename T>
T value_or_throw(Result<T> result, std::string_view context = {}) {
  if (!result) throw std::invalid_argument(std::string(context) + result.status().message());
  return std::move(result).value();
}

std::optional<std::string> optional_string(const Config& config, const char* key) {
  if (!config.has(key)) return std::nullopt;
  return config.string(key);
}

// The scheduling state. Timer callbacks hold it through a weak_ptr, so a tick racing stop() or the plugin's
// destruction either sees `running_ == false` or finds the state gone; it never touches freed memory.
class Ticker : public std::enable_shared_from_this<Ticker> {
 public:
  Ticker(Host host, CronExpression cron, const date::time_zone* zone, std::string source_uri, PingPayload payload)
      : host_(host), cron_(cron), zone_(zone), source_uri_(std::move(source_uri)), payload_(std::move(payload)) {}

  Status start() {
    std::lock_guard lock(mutex_);
    if (running_) return Status::ok();
    running_ = true;
    if (!arm_after(Clock::now())) {
      running_ = false;
      return Status(EH_ERR_SHUTDOWN, "ping: the host refused a timer (shutting down)");
    }
    return Status::ok();
  }

  void stop() {
    std::lock_guard lock(mutex_);
    running_ = false;
    timer_.cancel();
  }

 private:
  // Arms the timer for the first tick after `after`. Requires mutex_.
  bool arm_after(Clock::time_point after) {
    auto next = cron_.next_after(after, *zone_);
    if (!next) {
      host_.error("ping: the schedule has no fire time in the next ten years");
      return false;
    }
    auto delay = std::chrono::ceil<std::chrono::milliseconds>(*next - Clock::now());
    auto delay_ms = static_cast<uint64_t>(std::max<int64_t>(delay.count(), 0));
    std::weak_ptr<Ticker> weak = weak_from_this();
    return timer_.start(host_, delay_ms, [weak, tick = *next] {
      if (auto self = weak.lock()) self->fire(tick);
    });
  }

  void fire(std::chrono::sys_seconds tick) noexcept {
    std::lock_guard lock(mutex_);
    if (!running_) return;
    try {
      emit(tick);
      // Ticks missed while this one was late are skipped, not caught up, as in Knative.
      arm_after(std::max<Clock::time_point>(tick, Clock::now()));
    } catch (const std::exception& e) {
      host_.error(std::string("ping: tick at ") + format_rfc3339_utc(tick) + " failed: " + e.what());
    }
  }

  // Requires mutex_. emit never blocks, and the completion below takes no lock, so holding it here is safe.
  void emit(std::chrono::sys_seconds tick) {
    const CloudEvent event = make_ping_event(source_uri_, payload_, tick, random_uuid());
    OwnedEvent out = host_.new_event();
    event.for_each([&out](const AttributeView& attribute) {
      out.set(attribute.name, attribute.value, attribute.type);
      return true;
    });
    if (event.has_data()) out.set_data(event.data());

    std::string when = format_rfc3339_utc(tick);
    eh_status status = host_.emit(out, [host = host_, when](eh_status done) {
      if (done != EH_OK) host.warn("ping: event of the tick at " + when + " failed: " + status_name(done));
    });
    if (status == EH_ERR_OVERLOADED) {
      host_.count("overloaded");
      host_.warn("ping: pipeline overloaded, skipped the tick at " + when);
    } else if (status != EH_OK) {
      host_.warn("ping: tick at " + when + " not emitted: " + status_name(status));
    }
  }

  const Host host_;
  const CronExpression cron_;
  const date::time_zone* const zone_;
  const std::string source_uri_;
  const PingPayload payload_;

  std::mutex mutex_;
  bool running_ = false;
  Timer timer_;
};

std::shared_ptr<Ticker> make_ticker(Host host, const Config& config) {
  const std::string schedule = config.string("schedule");
  CronExpression cron = value_or_throw(CronExpression::parse(schedule), "schedule '" + schedule + "': ");
  const date::time_zone* zone = value_or_throw(find_time_zone(config.string("timezone")));
  PingPayload payload = value_or_throw(make_payload(optional_string(config, "data"),
                                                    optional_string(config, "data_base64"),
                                                    config.string("content_type")));
  std::string ns = host.context("namespace");
  std::string source_uri = ping_source_uri(ns.empty() ? "default" : ns, host.context("name"));
  return std::make_shared<Ticker>(host, cron, zone, std::move(source_uri), std::move(payload));
}

}  // namespace

class PingSource final : public Source {
 public:
  static constexpr PluginInfo info{"ping", "1.0.0",
                                   "Emits dev.knative.sources.ping events on a cron schedule, like Knative PingSource"};
  static constexpr uint32_t flags = EH_PLUGIN_SINGLETON;  // one replica at a time (see [election])
  static constexpr eh_config_key schema[] = {
      required_key("schedule", EH_CONFIG_STRING,
                   "Cron schedule: 5 fields, 6 with leading seconds, or a descriptor such as @hourly"),
      optional_key("timezone", EH_CONFIG_STRING, "\"UTC\"", "IANA time zone the schedule is read in, e.g. Europe/Berlin"),
      optional_key("data", EH_CONFIG_STRING, nullptr, "Event data as text; excludes data_base64"),
      optional_key("data_base64", EH_CONFIG_STRING, nullptr, "Event data as base64-encoded binary; excludes data"),
      optional_key("content_type", EH_CONFIG_STRING, "\"application/json\"",
                   "datacontenttype of the event when it carries data"),
  };

  PingSource(Host host, const Config& config) : ticker_(make_ticker(host, config)) {}
  PingSource(const PingSource&) = delete;
  PingSource& operator=(const PingSource&) = delete;
  ~PingSource() { ticker_->stop(); }

  Status start() { return ticker_->start(); }
  void stop() { ticker_->stop(); }

 private:
  std::shared_ptr<Ticker> ticker_;
};

}  // namespace eventhost::ping

EVENTHOST_PLUGIN(eventhost::ping::PingSource)
