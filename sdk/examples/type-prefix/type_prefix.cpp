// An out-of-tree plugin: a filter that passes events whose type starts with a prefix. It is built with nothing but
// the installed SDK (see Makefile), which is all a plugin author needs.
#include <eventhost/plugin.hpp>

#include <string>

class TypePrefixFilter final : public eventhost::Filter {
 public:
  static constexpr eventhost::PluginInfo info{"type-prefix", "0.1.0", "Passes events whose type starts with a prefix"};
  static constexpr eh_config_key schema[] = {
      eventhost::required_key("prefix", EH_CONFIG_STRING, "Prefix the event type must start with"),
  };

  TypePrefixFilter(eventhost::Host, const eventhost::Config& config) : prefix_(config.string("prefix")) {}

  bool match(eventhost::EventRef event) const {
    auto type = event.get("type");
    return type && type->starts_with(prefix_);
  }

 private:
  std::string prefix_;
};

EVENTHOST_PLUGIN(TypePrefixFilter)
