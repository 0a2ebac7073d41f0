#include "config/watch.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace eventhost::config {
namespace fs = std::filesystem;
namespace {

constexpr uint32_t kEvents = IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM | IN_CLOSE_WRITE;

}  // namespace

Result<std::unique_ptr<ConfigWatcher>> ConfigWatcher::start(const std::vector<std::string>& paths,
                                                            std::chrono::milliseconds quiet,
                                                            std::function<void()> on_change) {
  int inotify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify < 0) return Status::unavailable(std::string("inotify: ") + std::strerror(errno));
  int wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake < 0) {
    ::close(inotify);
    return Status::unavailable(std::string("eventfd: ") + std::strerror(errno));
  }
  std::vector<Watch> watches;
  for (const auto& p : paths) {
    std::error_code ec;
    bool directory = fs::is_directory(p, ec);
    fs::path dir = directory ? fs::path(p) : fs::absolute(p, ec).parent_path();
    int wd = inotify_add_watch(inotify, dir.c_str(), kEvents);
    if (wd < 0) {
      std::string why = std::strerror(errno);
      ::close(inotify);
      ::close(wake);
      return Status::unavailable("cannot watch " + dir.string() + " for config changes: " + why);
    }
    watches.push_back({wd, directory ? std::string() : fs::path(p).filename().string()});
  }
  return std::unique_ptr<ConfigWatcher>(new ConfigWatcher(inotify, wake, std::move(watches), quiet, std::move(on_change)));
}

ConfigWatcher::ConfigWatcher(int inotify, int wake, std::vector<Watch> watches, std::chrono::milliseconds quiet,
                             std::function<void()> on_change)
    : inotify_(inotify), wake_(wake), watches_(std::move(watches)), quiet_(quiet), on_change_(std::move(on_change)) {
  thread_ = std::thread([this] { run(); });
}

ConfigWatcher::~ConfigWatcher() {
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(wake_, &one, sizeof one);
  thread_.join();
  ::close(inotify_);
  ::close(wake_);
}

void ConfigWatcher::run() {
  bool pending = false;  // a change seen, waiting for quiet
  for (;;) {
    pollfd fds[2] = {{inotify_, POLLIN, 0}, {wake_, POLLIN, 0}};
    int n = ::poll(fds, 2, pending ? static_cast<int>(quiet_.count()) : -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || (fds[1].revents & POLLIN) != 0) return;
    if (n == 0) {  // quiet since the last change
      pending = false;
      on_change_();
      continue;
    }
    if (drain_events()) pending = true;
  }
}

bool ConfigWatcher::drain_events() {
  alignas(inotify_event) char buf[16384];
  bool relevant = false;
  for (;;) {
    ssize_t len = ::read(inotify_, buf, sizeof buf);
    if (len <= 0) return relevant;  // EAGAIN: all read
    for (ssize_t at = 0; at < len;) {
      const auto* e = reinterpret_cast<const inotify_event*>(buf + at);
      at += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
      if ((e->mask & IN_Q_OVERFLOW) != 0) relevant = true;  // events were lost: one of them may have mattered
      std::string name = e->len > 0 ? std::string(e->name) : std::string();
      for (const auto& w : watches_) {
        if (w.descriptor != e->wd) continue;
        if (w.only.empty() || name == w.only || name.starts_with("..")) relevant = true;
      }
    }
  }
}

}  // namespace eventhost::config
