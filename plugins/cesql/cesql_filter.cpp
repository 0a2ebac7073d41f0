// The `cesql` filter: events pass when a CESQL v1 expression evaluates to true without error (Subscriptions API,
// filter dialect `cesql`). The expression is compiled once, when the pipeline is configured.
#include <eventhost/cesql.hpp>
#include <eventhost/cesql_eventref.hpp>
#include <eventhost/plugin.hpp>

#include <stdexcept>
#include <string>

namespace {

namespace cesql = eventhost::cesql;

// Refuses, with "position N: reason", an expression that does not parse or calls a function that does not exist
// (it could never pass), so that a bad filter fails the config load instead of silently dropping every event.
cesql::Expression compile(const std::string& text) {
  auto expression = cesql::parse(text);
  if (!expression) throw std::invalid_argument(expression.status().message());
  if (!expression->diagnostics().empty()) {
    const cesql::Error& first = expression->diagnostics().front();
    throw std::invalid_argument("position " + std::to_string(first.position) + ": " + first.message);
  }
  return std::move(expression).value();
}

class CesqlFilter final : public eventhost::Filter {
 public:
  static constexpr eventhost::PluginInfo info{
      "cesql", "1.0.0", "Passes events for which a CESQL v1 expression is true without error"};
  static constexpr eh_config_key schema[] = {eventhost::required_key(
      "expression", EH_CONFIG_STRING,
      "CESQL v1 expression, e.g. \"type LIKE 'com.example.%' AND EXISTS subject\"")};

  CesqlFilter(eventhost::Host host, const eventhost::Config& config)
      : host_(host), expression_(compile(config.string("expression"))) {}

  bool match(eventhost::EventRef event) {
    cesql::Verdict verdict = cesql::judge(expression_, cesql::lookup(event));
    // Errors (a missing attribute, a failed cast) fail the event as the spec says; the counter makes a filter
    // that keeps failing this way visible on /metrics.
    if (verdict == cesql::Verdict::Error) host_.count("evaluation_errors");
    return verdict == cesql::Verdict::Pass;
  }

 private:
  eventhost::Host host_;
  cesql::Expression expression_;
};

}  // namespace

EVENTHOST_PLUGIN(CesqlFilter)
