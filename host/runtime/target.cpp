#include "runtime/target.hpp"

#include <boost/asio/post.hpp>

namespace eventhost::host {
namespace {

// Shared by the sink's completion and the timeout: whichever comes first reports, and the last of the two frees it.
struct PendingAttempt {
  std::atomic<bool> finished{false};
  std::atomic<int> owners{1};  // the sink's completion, plus the timeout while it may still run
  TargetDone done;
  uint64_t timer = 0;  // set before deliver is called, never changed after; read by the sink's completion only
  PluginTarget* target = nullptr;

  void finish(AttemptResult r, bool by_sink) {
    if (finished.exchange(true)) return;
    // A timeout cancelled before it ran never will: its share goes now.
    if (by_sink && timer != 0 && target->timers().cancel(timer) == 1) release();
    target->report(std::move(done), std::move(r));
  }
  void release() {
    if (owners.fetch_sub(1) == 1) delete this;
  }
};

void on_sink_done(void* arg, const eh_delivery_result* result, eh_event* reply) {
  auto* pending = static_cast<PendingAttempt*>(arg);
  AttemptResult r;
  r.status = result != nullptr ? result->status : EH_ERR_INTERNAL;
  if (result != nullptr) {
    r.code = result->code;
    r.retry_after_ms = result->retry_after_ms;
    r.detail.assign(result->detail.ptr != nullptr ? result->detail.ptr : "", result->detail.len);
    r.body.assign(result->response_body.ptr != nullptr ? result->response_body.ptr : "", result->response_body.len);
  }
  r.reply.reset(reply);
  pending->finish(std::move(r), true);
  pending->release();
}

}  // namespace

void PluginTarget::send(const eh_event& event, std::chrono::milliseconds timeout, TargetDone done) {
  auto* pending = new PendingAttempt;
  pending->done = std::move(done);
  pending->target = this;
  if (timeout.count() > 0) {
    pending->owners.fetch_add(1);
    pending->timer = timers_.start(timeout, [pending, timeout] {
      AttemptResult r;
      r.status = EH_ERR_TIMEOUT;
      r.detail = "no answer within " + std::to_string(timeout.count()) + "ms";
      pending->finish(std::move(r), false);
      pending->release();
    });
    if (pending->timer == 0) pending->owners.fetch_sub(1);  // shutting down: the timeout never runs
  }
  try {
    sink_->plugin().deliver(sink_->instance(), &event, &on_sink_done, pending);
  } catch (...) {
    // Only a plugin written without the SDK can get here; it never saw the completion, so complete it ourselves.
    eh_delivery_result r{EH_ERR_INTERNAL, 0, 0, {"exception escaped deliver", 25}, {}};
    on_sink_done(pending, &r, nullptr);
  }
}

void PluginTarget::report(TargetDone done, AttemptResult result) {
  bool first = false;
  {
    std::lock_guard lock(ended_mutex_);
    first = ended_.empty();
    ended_.push_back({std::move(done), std::move(result)});
  }
  if (first) boost::asio::post(io_, [this] { run_ended(); });
}

// Reports arriving meanwhile start a batch of their own, which another worker thread may take at once.
void PluginTarget::run_ended() {
  std::vector<Ended> batch;
  {
    std::lock_guard lock(ended_mutex_);
    batch.swap(ended_);
  }
  for (Ended& e : batch) e.done(std::move(e.result));
}

void BusTarget::send(const eh_event& event, std::chrono::milliseconds, TargetDone done) {
  offer(clone_event(event), std::move(done), std::chrono::milliseconds(1));
}

void BusTarget::offer(EventPtr event, TargetDone done, std::chrono::milliseconds backoff) {
  auto shared_done = std::make_shared<TargetDone>(std::move(done));
  eh_status s = bus_.offer(event, [shared_done](eh_status st) {
    AttemptResult r;
    r.status = st;
    (*shared_done)(std::move(r));
  }, force_);
  if (s == EH_OK) return;
  if (s == EH_ERR_OVERLOADED && !stopping_.load() && !fail_when_full_) {
    auto next = std::min(backoff * 2, std::chrono::milliseconds(100));
    auto ev = std::make_shared<EventPtr>(std::move(event));
    uint64_t id = timers_.start(backoff, [this, ev, shared_done, next]() mutable {
      offer(std::move(*ev), std::move(*shared_done), next);
    });
    if (id != 0) return;
    s = EH_ERR_SHUTDOWN;
  }
  AttemptResult r;
  r.status = s;
  r.detail = display_ + " did not accept the event: " + status_name(s);
  (*shared_done)(std::move(r));
}

}  // namespace eventhost::host
