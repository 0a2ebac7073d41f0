// The `log` sink: shows every event on standard output, like Knative's event-display, or as one structured
// CloudEvent JSON object per line. Writes are whole events under a lock, so concurrent deliveries never interleave.
#include "event_display.hpp"

#include <eventhost/cloudevents/json.hpp>
#include <eventhost/plugin.hpp>

#include <cstdio>
#include <mutex>

namespace {

eventhost::CloudEvent copy_event(eventhost::EventRef ref) {
  eventhost::CloudEvent ev;
  ref.for_each([&](std::string_view name, std::string_view value, eh_attr_type type) {
    ev.set(name, value, type);
    return true;
  });
  if (auto data = ref.data()) ev.set_data(*data);
  return ev;
}

class LogSink final : public eventhost::Sink {
 public:
  static constexpr eventhost::PluginInfo info{"log", "1.0.0",
                                              "Prints events to standard output, like Knative's event-display"};
  static constexpr eh_config_key schema[] = {
      eventhost::enum_key("format", "text|json", "\"text\"",
                          "text: event-display layout; json: one structured CloudEvent per line"),
  };

  LogSink(eventhost::Host, const eventhost::Config& config) : json_(config.string("format") == "json") {}

  void deliver(eventhost::EventRef event, eventhost::Completion done) {
    eventhost::CloudEvent copy = copy_event(event);
    std::string text = json_ ? eventhost::ce::to_json(copy) + "\n" : eventhost::log_sink::display(copy);
    {
      std::lock_guard lock(mutex_);
      std::fwrite(text.data(), 1, text.size(), stdout);
      std::fflush(stdout);
    }
    done.ok();
  }

 private:
  bool json_;
  std::mutex mutex_;
};

}  // namespace

EVENTHOST_PLUGIN(LogSink)
