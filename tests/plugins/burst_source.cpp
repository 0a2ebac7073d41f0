// Test source: emits `count` events as fast as the pipeline takes them, from its own thread (named burst-source),
// waiting for resume() whenever it is told EH_ERR_OVERLOADED. On destroy it writes what happened to `report` as JSON,
// including how many completions arrived while emit had not returned yet on the emitting thread (the host promises
// none: a source may hold what its callback needs until emit returns) and how many arrived on a thread other than the
// host's workers.
#include <eventhost/plugin.hpp>

#include <pthread.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace {

class BurstSource final : public eventhost::Source {
 public:
  static constexpr eventhost::PluginInfo info{"burst", "1.0.0", "Test source: emits a burst of events"};
  static constexpr eh_config_key schema[] = {
      eventhost::required_key("count", EH_CONFIG_INTEGER, "Events to emit"),
      eventhost::required_key("report", EH_CONFIG_STRING, "File the outcome is written to on destroy"),
      eventhost::optional_key("type", EH_CONFIG_STRING, "\"test.burst\"", "Event type"),
  };

  BurstSource(eventhost::Host host, const eventhost::Config& config)
      : host_(host), count_(config.integer("count")), report_(config.string("report")), type_(config.string("type")) {}

  ~BurstSource() {
    stop();
    std::lock_guard lock(mutex_);
    std::ofstream out(report_);
    out << "{\"emitted\":" << emitted_ << ",\"overloaded\":" << overloaded_ << ",\"resumed\":" << resumed_
        << ",\"completed\":" << completed_ << ",\"completed_inside_emit\":" << completed_inside_emit_
        << ",\"completed_off_pool\":" << completed_off_pool_;
    for (const auto& [status, n] : by_status_) out << ",\"status_" << status << "\":" << n;
    out << "}\n";
  }

  eventhost::Status start() {
    thread_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "burst-source");
      run();
    });
    return eventhost::Status::ok();
  }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  void resume() {
    {
      std::lock_guard lock(mutex_);
      ++resumed_;
      room_ = true;
    }
    cv_.notify_all();
  }

 private:
  void run() {
    for (int64_t i = 0; i < count_;) {
      auto ev = host_.new_event();
      ev.set("id", std::to_string(i)).set("source", "/test/burst").set("type", type_);
      inside_emit = true;
      eh_status s = host_.emit(ev, [this](eh_status st) {
        std::lock_guard lock(mutex_);
        ++completed_;
        if (inside_emit) ++completed_inside_emit_;
        char thread[16] = {0};
        pthread_getname_np(pthread_self(), thread, sizeof thread);
        if (std::string_view(thread) != "eh-worker") ++completed_off_pool_;
        ++by_status_[eventhost::status_name(st)];
      });
      inside_emit = false;
      std::unique_lock lock(mutex_);
      if (s == EH_OK) {
        ++emitted_;
        ++i;
      } else if (s == EH_ERR_OVERLOADED) {
        ++overloaded_;
        room_ = false;
        cv_.wait(lock, [this] { return room_ || stopping_; });
      } else {
        return;
      }
      if (stopping_) return;
    }
  }

  eventhost::Host host_;
  int64_t count_;
  std::string report_;
  std::string type_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool room_ = true;
  int64_t emitted_ = 0, overloaded_ = 0, resumed_ = 0, completed_ = 0;
  int64_t completed_inside_emit_ = 0, completed_off_pool_ = 0;
  static thread_local bool inside_emit;
  std::map<std::string, int64_t> by_status_;
};

thread_local bool BurstSource::inside_emit = false;

}  // namespace

EVENTHOST_PLUGIN(BurstSource)
