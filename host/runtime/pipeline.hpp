// A running pipeline: intake (a source plugin or a broker/channel), filters, delivery (policy around a sink, with
// dead letters and replies), and the completion that goes back to whoever handed the event in.
//
// Bounded: at most max_in_flight events are inside at once (filtering, delivering, waiting for a retry). A full
// pipeline answers EH_ERR_OVERLOADED and tells its source to resume when a slot frees.
#pragma once

#include "config/model.hpp"
#include "runtime/inlet.hpp"
#include "runtime/pipeline_metrics.hpp"
#include "runtime/plugin_instance.hpp"
#include "runtime/target.hpp"
#include "runtime/timers.hpp"

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_set>
#include <vector>

namespace eventhost::host {

struct PipelineParts {
  std::unique_ptr<PluginInstance> source;            // null when the intake is a broker/channel
  std::vector<std::unique_ptr<PluginInstance>> filters;
  std::unique_ptr<PluginInstance> policy;            // null: a failed attempt is final
  std::unique_ptr<Target> sink;
  std::unique_ptr<Target> dead_letter;
  std::unique_ptr<Target> reply;
};

class Pipeline final : public Inlet {
 public:
  Pipeline(const config::PipelineSpec& spec, PipelineParts parts, boost::asio::io_context& io, TimerService& timers,
           const std::atomic<bool>& stopping);
  ~Pipeline() override;

  const std::string& name() const { return name_; }
  bool has_source() const { return parts_.source != nullptr; }
  // Its source may run on one replica at a time only (EH_PLUGIN_SINGLETON).
  bool source_is_singleton() const { return parts_.source && (parts_.source->flags() & EH_PLUGIN_SINGLETON) != 0; }
  const PipelineMetrics& metrics() const { return metrics_; }
  // Every plugin instance of this pipeline (source, filters, policy, sinks), e.g. for their metric_add counters.
  template <typename Fn>
  void for_each_plugin(Fn&& fn) const {
    if (parts_.source) fn(*parts_.source);
    for (const auto& f : parts_.filters) fn(*f);
    if (parts_.policy) fn(*parts_.policy);
    for (Target* t : {parts_.sink.get(), parts_.dead_letter.get(), parts_.reply.get()}) {
      if (t != nullptr && t->plugin() != nullptr) fn(*t->plugin());
    }
  }
  uint64_t in_flight() const { return in_flight_.load(); }

  eh_status offer(EventPtr& event, Completion done, bool force = false) override;
  // The two halves of offer, for a broker that must find room in every trigger before it takes an event.
  bool try_reserve(bool force);
  void release_reservation();
  void accept(EventPtr event, Completion done);  // after a successful try_reserve

  Status start_source();   // on a worker thread
  void stop_source();      // on a worker thread
  // After the shutdown grace: events waiting for a retry are handed back to their source with EH_ERR_SHUTDOWN.
  void abandon_waiting();

 private:
  struct Delivery;

  void process(Delivery* d);
  void attempt(Delivery* d);
  void on_attempt(Delivery* d, AttemptResult r);
  void on_reply_sent(Delivery* d, AttemptResult r);
  void decide(Delivery* d, const AttemptResult& r);
  void dead_letter(Delivery* d, const AttemptResult& r);
  void wait_then(Delivery* d, std::chrono::milliseconds delay, void (Pipeline::*next)(Delivery*));
  void send_dead_letter(Delivery* d);
  void finish(Delivery* d, eh_status status);

  std::string name_;
  PipelineParts parts_;
  boost::asio::io_context& io_;
  TimerService& timers_;
  const std::atomic<bool>& stopping_;
  std::chrono::milliseconds timeout_;
  uint64_t max_in_flight_;
  bool inline_dispatch_;  // `dispatch = "inline"`: accept processes on the caller's thread instead of posting

  std::atomic<uint64_t> in_flight_{0};
  std::atomic<bool> want_room_{false};
  PipelineMetrics metrics_;

  std::mutex waiting_mutex_;
  std::unordered_map<Delivery*, uint64_t> waiting_;  // deliveries sleeping on a timer, by timer id
};

}  // namespace eventhost::host
