// Test sink: answers each delivery after `delay_ms` (on a host timer), failing the first `fail_first` attempts with
// `fail_code`, or always when `fail_first` is -1; records every attempt as a JSON line in `record`, and on destroy the
// highest number of deliveries it held at once. `throw_in_deliver` makes deliver throw instead. With
// `unready_while_failing` it reports itself not ready from a failed attempt until the next success; the number of
// deliveries it holds is the gauge scripted.in_flight. Each line also names the thread deliver ran on. With
// `answer_from_own_thread` the answers come in batches from a thread the sink owns (named scripted-sink), as a Kafka
// producer's delivery reports do.
#include <eventhost/plugin.hpp>

#include <pthread.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

class ScriptedSink final : public eventhost::Sink {
 public:
  static constexpr eventhost::PluginInfo info{"scripted", "1.0.0", "Test sink that fails on a script"};
  static constexpr eh_config_key schema[] = {
      eventhost::required_key("record", EH_CONFIG_STRING, "File each attempt is appended to"),
      eventhost::optional_key("fail_first", EH_CONFIG_INTEGER, "0", "Attempts that fail first; -1: all"),
      eventhost::optional_key("fail_code", EH_CONFIG_INTEGER, "500", "HTTP-like code of a failure"),
      eventhost::optional_key("delay_ms", EH_CONFIG_INTEGER, "0", "Time each delivery takes"),
      eventhost::optional_key("throw_in_deliver", EH_CONFIG_BOOLEAN, "false", "Throw from deliver"),
      eventhost::optional_key("unready_while_failing", EH_CONFIG_BOOLEAN, "false", "Report not ready after a failure"),
      eventhost::optional_key("answer_from_own_thread", EH_CONFIG_BOOLEAN, "false",
                              "Answer from a thread of the sink's own, in batches"),
  };

  ScriptedSink(eventhost::Host host, const eventhost::Config& config)
      : host_(host),
        out_(config.string("record"), std::ios::app),
        record_(config.string("record")),
        fail_first_(config.integer("fail_first")),
        fail_code_(static_cast<int32_t>(config.integer("fail_code"))),
        delay_ms_(static_cast<uint64_t>(config.integer("delay_ms"))),
        throw_(config.boolean("throw_in_deliver")),
        unready_while_failing_(config.boolean("unready_while_failing")) {
    if (config.boolean("answer_from_own_thread")) {
      answerer_ = std::thread([this] {
        pthread_setname_np(pthread_self(), "scripted-sink");
        answer_batches();
      });
    }
  }

  ~ScriptedSink() {
    if (answerer_.joinable()) {
      {
        std::lock_guard lock(answers_mutex_);
        stopping_ = true;
      }
      answers_cv_.notify_all();
      answerer_.join();
    }
    std::ofstream(record_ + ".summary") << "{\"max_in_flight\":" << max_in_flight_ << "}\n";
  }

  void deliver(eventhost::EventRef event, eventhost::Completion done) {
    if (throw_) throw std::runtime_error("sink exploded");
    int64_t attempt = attempts_.fetch_add(1);
    host_.count("scripted.attempts");
    bool fail = fail_first_ < 0 || attempt < fail_first_;
    {
      std::lock_guard lock(mutex_);
      out_ << "{\"id\":\"" << event.get("id").value_or("") << "\",\"ok\":" << (fail ? "false" : "true");
      event.for_each([&](std::string_view name, std::string_view value, eh_attr_type) {
        if (name.starts_with("knativeerror")) out_ << ",\"" << name << "\":\"" << value << "\"";
        return true;
      });
      char thread[16] = {0};
      pthread_getname_np(pthread_self(), thread, sizeof thread);
      out_ << ",\"thread\":\"" << thread << "\"}\n" << std::flush;
      max_in_flight_ = std::max(max_in_flight_, ++in_flight_);
      host_.gauge("scripted.in_flight", in_flight_);
    }
    auto finish = [this, fail, done = std::make_shared<eventhost::Completion>(std::move(done))] {
      {
        std::lock_guard lock(mutex_);
        host_.gauge("scripted.in_flight", --in_flight_);
      }
      if (unready_while_failing_) {
        host_.set_health(!fail, fail ? "scripted failure " + std::to_string(fail_code_) : "");
      }
      if (fail) {
        std::string body = "scripted failure";
        (*done)(eh_delivery_result{EH_ERR_REJECTED, fail_code_, 0, {"scripted", 8}, {body.data(), body.size()}});
      } else {
        done->ok();
      }
    };
    if (answerer_.joinable()) {
      {
        std::lock_guard lock(answers_mutex_);
        answers_.push_back(std::move(finish));
      }
      answers_cv_.notify_all();
      return;
    }
    if (delay_ms_ == 0) {
      finish();
      return;
    }
    auto* timer = new eventhost::Timer;  // freed by its own callback
    timer->start(host_, delay_ms_, [timer, finish] {
      finish();
      delete timer;
    });
  }

 private:
  // Every delay_ms (at least 1 ms), all answers gathered meanwhile at once.
  void answer_batches() {
    std::unique_lock lock(answers_mutex_);
    while (!stopping_) {
      answers_cv_.wait_for(lock, std::chrono::milliseconds(std::max<uint64_t>(1, delay_ms_)));
      auto batch = std::exchange(answers_, {});
      lock.unlock();
      for (auto& answer : batch) answer();
      lock.lock();
    }
  }

  eventhost::Host host_;
  std::ofstream out_;
  std::string record_;
  int64_t fail_first_;
  int32_t fail_code_;
  uint64_t delay_ms_;
  bool throw_;
  bool unready_while_failing_;
  std::atomic<int64_t> attempts_{0};
  std::mutex mutex_;
  int64_t in_flight_ = 0;
  int64_t max_in_flight_ = 0;
  std::mutex answers_mutex_;
  std::condition_variable answers_cv_;
  std::vector<std::function<void()>> answers_;
  bool stopping_ = false;
  std::thread answerer_;  // last: started once everything it uses exists
};

}  // namespace

EVENTHOST_PLUGIN(ScriptedSink)
