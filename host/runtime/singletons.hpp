// Sources that only one replica may run at a time (their plugin declares EH_PLUGIN_SINGLETON: a ping schedule, an
// API server watch). With an elector (the config's [election] table) they run only while this replica leads: started
// when the elector reports leadership, stopped when it reports the loss. Their pipelines stay built, so events
// already emitted still complete. Without an elector nothing is gated and they run like any source (one replica).
#pragma once

#include "runtime/pipeline.hpp"
#include "runtime/plugin_instance.hpp"

#include <eventhost/status.hpp>

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace eventhost::host {

class Singletons {
 public:
  // on_failure runs (on a worker thread, after the reason is logged) when a gated source refuses to start after
  // leadership was gained: the worker stops, and the lease goes to a replica that may do better.
  Singletons(boost::asio::io_context& io, std::function<void()> on_failure)
      : io_(io), on_failure_(std::move(on_failure)) {}
  ~Singletons();

  // The elector decides from now on; its leadership reports reach set_leading.
  void elect_with(std::unique_ptr<PluginInstance> elector);
  bool elects() const { return elector_ != nullptr; }
  // Starts campaigning. On a worker thread.
  Status start_elector();

  // Gates p's source when there is an elector and its plugin is a singleton; returns whether it did. Its source is
  // started at once when this replica leads. On a worker thread once the worker runs (a reload adding a pipeline).
  bool add(Pipeline& p);
  // Ungates p, stopping its source when it runs. On a worker thread, before p is destroyed (a reload removing it).
  void remove(Pipeline& p);
  bool gated(const Pipeline& p) const;

  // The elector's report, from any thread: gated sources are started or stopped on a worker thread.
  void set_leading(bool leading);
  // Shutdown, on a worker thread: stops the gated sources that run, then the elector, which gives the leadership
  // up so that another replica takes over at once. Leadership reports are ignored afterwards.
  void close();
  // A gated source failed to start.
  bool failed() const { return failed_.load(); }

 private:
  void reconcile();  // requires mutex_: every gated source runs exactly when leading and not closed

  boost::asio::io_context& io_;
  std::function<void()> on_failure_;
  std::unique_ptr<PluginInstance> elector_;
  bool elector_started_ = false;
  std::atomic<bool> failed_{false};

  mutable std::mutex mutex_;
  bool leading_ = false;
  bool closed_ = false;
  std::map<Pipeline*, bool> sources_;  // gated pipeline -> its source runs
};

}  // namespace eventhost::host
