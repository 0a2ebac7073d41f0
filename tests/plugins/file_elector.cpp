// An elector for the tests: this replica leads while the file `path` holds "lead". Its own thread reads the file
// every 20 ms and reports changes; stop reports the loss at once and logs "file-elector: resigned".
#include <eventhost/plugin.hpp>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

class FileElector final : public eventhost::Elector {
 public:
  static constexpr eventhost::PluginInfo info{"file-elector", "1.0.0", "Test elector: leads while a file says so"};
  static constexpr eh_config_key schema[] = {
      eventhost::required_key("path", EH_CONFIG_STRING, "A file whose content \"lead\" means this replica leads")};

  FileElector(eventhost::Host host, const eventhost::Config& config) : host_(host), path_(config.string("path")) {}
  ~FileElector() {
    halt();
    if (thread_.joinable()) thread_.join();
  }

  eventhost::Status start() {
    thread_ = std::thread([this] { run(); });
    return eventhost::Status::ok();
  }
  void stop() {
    halt();
    host_.info("file-elector: resigned");
  }

 private:
  void halt() {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    if (leading_) host_.set_leading(false);
    leading_ = false;
    cv_.notify_all();
  }

  void run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      std::string content;
      std::ifstream(path_) >> content;
      lock.lock();
      bool lead = content == "lead";
      if (!stopping_ && lead != leading_) {
        leading_ = lead;
        host_.set_leading(lead);
      }
      cv_.wait_for(lock, std::chrono::milliseconds(20), [this] { return stopping_; });
    }
  }

  eventhost::Host host_;
  std::string path_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool leading_ = false;
  std::thread thread_;
};

EVENTHOST_PLUGIN(FileElector)
