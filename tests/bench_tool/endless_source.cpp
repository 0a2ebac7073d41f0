// Test source for eventhost-bench: emits events from its own thread until stopped, as fast as emit takes them,
// waiting for resume() whenever it is told EH_ERR_OVERLOADED.
#include <eventhost/plugin.hpp>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace {

class EndlessSource final : public eventhost::Source {
 public:
  static constexpr eventhost::PluginInfo info{"endless", "1.0.0", "Test source: emits until stopped"};

  EndlessSource(eventhost::Host host, const eventhost::Config&) : host_(host) {}
  ~EndlessSource() { stop(); }

  eventhost::Status start() {
    thread_ = std::thread([this] { run(); });
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
      room_ = true;
    }
    cv_.notify_all();
  }

 private:
  void run() {
    for (uint64_t seq = 0;; ++seq) {
      auto event = host_.new_event();
      event.set("id", "endless-" + std::to_string(seq)).set("source", "/test/endless").set("type", "test.endless");
      for (;;) {
        {
          std::unique_lock lock(mutex_);
          if (stopping_) return;
        }
        eh_status s = host_.emit(event, [](eh_status) {});
        if (s == EH_OK) break;
        if (s != EH_ERR_OVERLOADED) return;  // shut down: the host takes no more
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return room_ || stopping_; });
        room_ = false;
      }
    }
  }

  eventhost::Host host_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool room_ = false;
  std::thread thread_;
};

}  // namespace

EVENTHOST_PLUGIN(EndlessSource)
