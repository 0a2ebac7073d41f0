// The CloudEvents Subscriptions API filter dialects as Knative names them (exact, prefix, suffix, all, any, not,
// cesql). The host expands a trigger's non-empty `filters` array into this plugin; every entry must pass.
#include "compile.hpp"

#include <eventhost/plugin.hpp>

namespace {

namespace dialects = eventhost::dialects;

class DialectsFilter final : public eventhost::Filter {
 public:
  static constexpr eventhost::PluginInfo info{
      "dialects", "1.0.0", "Subscriptions API filters: exact, prefix, suffix, all, any, not, cesql; all must pass"};
  static constexpr eh_config_key schema[] = {eventhost::required_key(
      "filters", EH_CONFIG_TABLE,
      "Array of filters, one dialect each: [{ exact = { type = \"x\" } }, { cesql = \"source LIKE '/a/%'\" }]")};

  DialectsFilter(eventhost::Host host, const eventhost::Config& config)
      : host_(host), root_(dialects::compile(config.raw("filters"))) {}

  bool match(eventhost::EventRef event) const {
    dialects::MatchNotes notes;
    bool pass = dialects::matches(root_, event, notes);
    // A CESQL error fails the event as the spec says; the counter makes a filter that keeps failing visible.
    if (notes.evaluation_errors != 0) host_.count("evaluation_errors", notes.evaluation_errors);
    return pass;
  }

 private:
  eventhost::Host host_;
  dialects::Node root_;
};

}  // namespace

EVENTHOST_PLUGIN(DialectsFilter)
