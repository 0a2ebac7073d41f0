#include "runtime/singletons.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

namespace eventhost::host {

Singletons::~Singletons() = default;

void Singletons::elect_with(std::unique_ptr<PluginInstance> elector) {
  elector->context().on_leadership = [this](bool leading) { set_leading(leading); };
  elector_ = std::move(elector);
}

Status Singletons::start_elector() {
  if (!elector_) return Status::ok();
  char err[512] = {0};
  eh_status s = elector_->plugin().start(elector_->instance(), err, sizeof err);
  if (s != EH_OK) return Status(s, std::string("election: the elector failed to start: ") + (err[0] ? err : status_name(s)));
  elector_started_ = true;
  return Status::ok();
}

bool Singletons::add(Pipeline& p) {
  if (!elector_ || !p.source_is_singleton()) return false;
  std::lock_guard lock(mutex_);
  sources_.emplace(&p, false);
  reconcile();
  return true;
}

void Singletons::remove(Pipeline& p) {
  std::lock_guard lock(mutex_);
  auto it = sources_.find(&p);
  if (it == sources_.end()) return;
  if (it->second) p.stop_source();
  sources_.erase(it);
}

bool Singletons::gated(const Pipeline& p) const {
  std::lock_guard lock(mutex_);
  return sources_.count(const_cast<Pipeline*>(&p)) != 0;
}

void Singletons::set_leading(bool leading) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    leading_ = leading;
  }
  // Reports may be reordered on the pool; each task applies the latest state, so the last one always wins.
  boost::asio::post(io_, [this] {
    std::lock_guard lock(mutex_);
    reconcile();
  });
}

void Singletons::reconcile() {
  bool run = leading_ && !closed_;
  size_t started = 0, stopped = 0;
  for (auto& [pipeline, running] : sources_) {
    if (run && !running) {
      if (Status s = pipeline->start_source(); !s.is_ok()) {
        spdlog::error("{}", s.message());
        failed_.store(true);
        on_failure_();
        continue;
      }
      running = true;
      ++started;
    } else if (!run && running) {
      pipeline->stop_source();
      running = false;
      ++stopped;
    }
  }
  if (started > 0) spdlog::info("this replica leads: started {} singleton source(s)", started);
  if (stopped > 0) spdlog::info("this replica does not lead: stopped {} singleton source(s)", stopped);
}

void Singletons::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    reconcile();
  }
  if (elector_ && elector_started_) elector_->plugin().stop(elector_->instance());
  elector_started_ = false;
}

}  // namespace eventhost::host
