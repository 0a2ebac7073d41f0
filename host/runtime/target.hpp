// Where a pipeline delivers: a sink plugin (with an optional per-attempt timeout) or a broker/channel of this worker.
#pragma once

#include "runtime/event_impl.hpp"
#include "runtime/inlet.hpp"
#include "runtime/plugin_instance.hpp"
#include "runtime/timers.hpp"

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace eventhost::host {

// How one attempt ended, with the borrowed strings of eh_delivery_result copied out.
struct AttemptResult {
  eh_status status = EH_OK;
  int32_t code = 0;
  uint64_t retry_after_ms = 0;
  std::string detail;
  std::string body;
  EventPtr reply;

  bool ok() const { return status == EH_OK; }
  eh_delivery_result view() const {
    return {status, code, retry_after_ms, {detail.data(), detail.size()}, {body.data(), body.size()}};
  }
};

using TargetDone = std::function<void(AttemptResult)>;

class Target {
 public:
  virtual ~Target() = default;
  // done runs exactly once, on a worker thread. The event is only read during the call and until done.
  virtual void send(const eh_event& event, std::chrono::milliseconds timeout, TargetDone done) = 0;
  virtual const std::string& display() const = 0;
  // The sink plugin behind this destination, if it is one.
  virtual PluginInstance* plugin() { return nullptr; }
};

class PluginTarget final : public Target {
 public:
  PluginTarget(std::unique_ptr<PluginInstance> sink, std::string display, boost::asio::io_context& io,
               TimerService& timers)
      : sink_(std::move(sink)), display_(std::move(display)), io_(io), timers_(timers) {}
  void send(const eh_event& event, std::chrono::milliseconds timeout, TargetDone done) override;
  const std::string& display() const override { return display_; }
  PluginInstance* plugin() override { return sink_.get(); }

  // An attempt ended (on the sink's thread, or the timeout's): its done runs on a worker thread.
  void report(TargetDone done, AttemptResult result);
  TimerService& timers() { return timers_; }

 private:
  struct Ended {
    TargetDone done;
    AttemptResult result;
  };
  void run_ended();

  std::unique_ptr<PluginInstance> sink_;
  std::string display_;
  boost::asio::io_context& io_;
  TimerService& timers_;
  // Attempts that ended and wait for a worker thread. A sink reports many at once from its own thread (a Kafka
  // producer's batch of delivery reports); one post per batch spares the pool a wake-up per attempt.
  std::mutex ended_mutex_;
  std::vector<Ended> ended_;
};

// Offers a copy of the event to a broker or channel; while it has no room, tries again shortly (which holds the
// sending pipeline's slot, and so slows its source down), unless `fail_when_full`: then the attempt ends at once
// with EH_ERR_OVERLOADED (the HTTP ingress answers 429 rather than holding the request).
class BusTarget final : public Target {
 public:
  BusTarget(Inlet& bus, std::string display, TimerService& timers, const std::atomic<bool>& stopping, bool force,
            bool fail_when_full = false)
      : bus_(bus), display_(std::move(display)), timers_(timers), stopping_(stopping), force_(force),
        fail_when_full_(fail_when_full) {}
  void send(const eh_event& event, std::chrono::milliseconds timeout, TargetDone done) override;
  const std::string& display() const override { return display_; }

 private:
  void offer(EventPtr event, TargetDone done, std::chrono::milliseconds backoff);

  Inlet& bus_;
  std::string display_;
  TimerService& timers_;
  const std::atomic<bool>& stopping_;
  bool force_;
  bool fail_when_full_;
};

}  // namespace eventhost::host
