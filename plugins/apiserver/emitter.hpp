// Hands change events to the pipeline in order, on the source's thread. When the pipeline answers "overloaded" the
// event waits at the head of a queue, and whoever produces events (list pages, watch streams) stops reading until
// the host's resume() has let the queue drain: the API server's data then waits in the kernel's socket buffers and
// on the server, not in memory here.
#pragma once

#include "change_event.hpp"

#include <eventhost/host.hpp>

#include <boost/uuid/random_generator.hpp>

#include <deque>
#include <functional>
#include <mutex>
#include <vector>

namespace eventhost::apiserver {

class Emitter {
 public:
  explicit Emitter(Host host) : host_(host) {}

  void push(ChangeEvent event);
  // True while events wait for room in the pipeline: producers pause and register with when_unblocked.
  bool blocked() const { return !queue_.empty(); }
  // Runs fn (once) as soon as the queue has drained; at once when it is not blocked.
  void when_unblocked(std::function<void()> fn);
  // The host has room again (the host's resume(), posted to the source's thread).
  void resume();
  // The pipeline stops: nothing is emitted any more, waiting events are dropped. shut() runs on the source's thread;
  // close() may be called from any thread and returns once no emit is under way, so that nothing is emitted after
  // the source's stop() has returned.
  void shut();
  void close();

 private:
  void drain();
  OwnedEvent build(const ChangeEvent& e);

  Host host_;
  std::deque<ChangeEvent> queue_;
  std::vector<std::function<void()>> waiting_;
  boost::uuids::random_generator uuids_;
  bool shut_ = false;
  std::mutex emit_mutex_;
  bool closed_ = false;  // guarded by emit_mutex_
};

}  // namespace eventhost::apiserver
