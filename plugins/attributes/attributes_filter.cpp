// Knative trigger filter.attributes: every listed attribute must be present on the event; an empty value matches
// any value of a present attribute; otherwise the match is exact and case-sensitive.
#include <eventhost/cloudevents/types.hpp>
#include <eventhost/plugin.hpp>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

class AttributesFilter final : public eventhost::Filter {
 public:
  static constexpr eventhost::PluginInfo info{"attributes", "1.0.0",
                                              "Knative filter.attributes: exact match on CloudEvent attributes"};
  static constexpr eh_config_key schema[] = {
      eventhost::required_key("attributes", EH_CONFIG_STRING_MAP,
                              "Attribute name to required value; \"\" requires only that the attribute is present"),
  };

  AttributesFilter(eventhost::Host, const eventhost::Config& config) : wanted_(config.string_map("attributes")) {
    for (const auto& [name, value] : wanted_) {
      if (name.empty()) throw std::invalid_argument("attributes: empty attribute name");
      // A name no event can carry (Knative rejects these too) would silently drop every event.
      if (!eventhost::ce::is_attribute_name(name)) {
        throw std::invalid_argument("attributes." + name + ": '" + name +
                                    "' is not a CloudEvents attribute name (lower-case letters and digits only), "
                                    "so no event could have it");
      }
    }
  }

  bool match(eventhost::EventRef event) const {
    for (const auto& [name, value] : wanted_) {
      auto actual = event.get(name);
      if (!actual || (!value.empty() && *actual != value)) return false;
    }
    return true;
  }

 private:
  std::vector<std::pair<std::string, std::string>> wanted_;
};

}  // namespace

EVENTHOST_PLUGIN(AttributesFilter)
