// A host for the Kafka plugin engines in unit tests: events are CloudEvents, emit hands each event to the test with
// its completion, and the pipeline is "full" (EH_ERR_OVERLOADED) once `capacity` events are unfinished.
#pragma once

#include <eventhost/abi.h>
#include <eventhost/host.hpp>
#include <eventhost/event.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

struct eh_event {
  eventhost::CloudEvent event;
};

namespace eventhost::testing {

class FakeHost {
 public:
  struct Emitted {
    CloudEvent event;
    eh_emit_done done;
    void* arg;
    bool finished = false;
  };

  FakeHost(std::string name = "src", std::string ns = "ns1");
  Host host() { return Host(&api_, reinterpret_cast<eh_host*>(this)); }

  // The pipeline answers EH_ERR_OVERLOADED while this many events are unfinished (0: never).
  void set_capacity(size_t capacity);
  // Emit answers this status instead of taking events (EH_OK: take them).
  void set_refusal(eh_status status);

  // Waits until at least n events were emitted in total.
  bool wait_emitted(size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  size_t emitted_count();
  size_t unfinished_count();
  size_t overloaded_answers();
  // Copies of every event emitted so far, in emission order.
  std::vector<CloudEvent> events();
  // Finishes the i-th emitted event (emission order) with `status`.
  void finish(size_t index, eh_status status = EH_OK);
  // Finishes every unfinished event with `status`; returns how many.
  size_t finish_all(eh_status status = EH_OK);
  // The greatest number of unfinished events seen at once.
  size_t max_unfinished();

  std::vector<std::string> logs();

  // The latest health_set: ready (instances start ready) and its reason.
  bool ready();
  std::string health_reason();
  bool wait_ready(bool ready, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // The latest value of a gauge, once set.
  std::optional<int64_t> gauge(const std::string& name);
  bool wait_gauge(const std::string& name, int64_t value, std::chrono::milliseconds timeout = std::chrono::seconds(20));

 private:
  static FakeHost& self(eh_host* h) { return *reinterpret_cast<FakeHost*>(h); }
  static eh_status emit(eh_host* h, eh_event* ev, eh_emit_done done, void* arg);
  static void log(eh_host* h, eh_log_level level, eh_str message);
  static eh_status context_get(eh_host* h, eh_str key, eh_str* value);
  static void metric_add(eh_host* h, eh_str name, uint64_t delta);
  static void health_set(eh_host* h, int ready, eh_str reason);
  static void gauge_set(eh_host* h, eh_str name, int64_t value);

  eh_host_api api_{};
  std::string name_;
  std::string ns_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Emitted> emitted_;
  size_t unfinished_ = 0;
  size_t max_unfinished_ = 0;
  size_t capacity_ = 0;
  size_t overloaded_ = 0;
  eh_status refusal_ = EH_OK;
  std::vector<std::string> logs_;
  std::map<std::string, uint64_t> metrics_;
  bool ready_ = true;
  std::string health_reason_;
  std::map<std::string, int64_t> gauges_;
};

}  // namespace eventhost::testing
