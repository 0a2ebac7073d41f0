// Bench-only sink: completes every delivery at once, inside deliver, so what is measured is the host's side of a
// delivery (pipeline, target, completion hand-off) and nothing of a real sink.
#include <eventhost/plugin.hpp>

namespace {

class InstantSink final : public eventhost::Sink {
 public:
  static constexpr eventhost::PluginInfo info{"instant", "1.0.0", "Bench sink: every delivery succeeds at once"};
  InstantSink(eventhost::Host, const eventhost::Config&) {}

  void deliver(eventhost::EventRef, eventhost::Completion done) { done.ok(); }
};

}  // namespace

EVENTHOST_PLUGIN(InstantSink)
