// A plugin whose constructor throws: the host must report the message and keep running.
#include <eventhost/plugin.hpp>

#include <stdexcept>

namespace {

class ThrowingFilter final : public eventhost::Filter {
 public:
  static constexpr eventhost::PluginInfo info{"throwing-ctor", "1.0.0", "Throws from its constructor"};
  ThrowingFilter(eventhost::Host, const eventhost::Config&) { throw std::runtime_error("boom in constructor"); }
  bool match(eventhost::EventRef) const { return true; }
};

}  // namespace

EVENTHOST_PLUGIN(ThrowingFilter)
