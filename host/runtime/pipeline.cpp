#include "runtime/pipeline.hpp"

#include <eventhost/cloudevents/base64.hpp>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

namespace eventhost::host {

namespace {
// knativeerrordata carries at most this much of the failed answer's body (Knative's limit).
constexpr size_t kErrorDataLimit = 1024;
constexpr auto kDeadLetterBackoffMax = std::chrono::milliseconds(30000);
}  // namespace

struct Pipeline::Delivery {
  EventPtr event;
  Completion done;
  uint32_t attempt = 0;
  uint32_t dead_letter_attempt = 0;
  std::chrono::steady_clock::time_point attempt_started;
  AttemptResult failure;  // the last failed attempt, for the dead-letter extensions
};

Pipeline::Pipeline(const config::PipelineSpec& spec, PipelineParts parts, boost::asio::io_context& io,
                   TimerService& timers, const std::atomic<bool>& stopping)
    : name_(spec.name),
      parts_(std::move(parts)),
      io_(io),
      timers_(timers),
      stopping_(stopping),
      timeout_(spec.delivery.timeout),
      max_in_flight_(spec.max_in_flight),
      inline_dispatch_(spec.inline_dispatch) {}

Pipeline::~Pipeline() = default;

bool Pipeline::try_reserve(bool force) {
  if (force) {
    in_flight_.fetch_add(1);
    return true;
  }
  uint64_t n = in_flight_.load();
  for (;;) {
    if (n >= max_in_flight_) {
      // Ask for a resume before looking again, so a slot freed in between is not missed.
      want_room_.store(true);
      n = in_flight_.load();
      if (n >= max_in_flight_) {
        metrics_.overloaded.fetch_add(1, std::memory_order_relaxed);
        return false;
      }
      continue;
    }
    if (in_flight_.compare_exchange_weak(n, n + 1)) return true;
  }
}

void Pipeline::release_reservation() {
  in_flight_.fetch_sub(1);
  if (want_room_.exchange(false) && parts_.source) {
    PluginInstance* src = parts_.source.get();
    boost::asio::post(io_, [src] { src->plugin().resume(src->instance()); });
  }
}

eh_status Pipeline::offer(EventPtr& event, Completion done, bool force) {
  if (stopping_.load() && !force) return EH_ERR_SHUTDOWN;
  if (!try_reserve(force)) return EH_ERR_OVERLOADED;
  accept(std::move(event), std::move(done));
  return EH_OK;
}

void Pipeline::accept(EventPtr event, Completion done) {
  metrics_.received.fetch_add(1, std::memory_order_relaxed);
  auto* d = new Delivery;
  d->event = std::move(event);
  d->done = std::move(done);
  // Inline saves the hand-off to the pool (a Kafka relay: 12-17% less CPU, bench/RESULTS.md) but puts every filter
  // of this pipeline on the one emitting thread. Only pipelines fed by a source plugin may be inline: a bus calls
  // accept under its subscriber lock, where a sink writing to a bus could take it again.
  if (inline_dispatch_) {
    process(d);
    return;
  }
  boost::asio::post(io_, [this, d] { process(d); });
}

void Pipeline::process(Delivery* d) {
  for (const auto& f : parts_.filters) {
    if (f->plugin().match(f->instance(), d->event.get()) != 1) {
      metrics_.filtered.fetch_add(1, std::memory_order_relaxed);
      // Inline, this is still inside the source's emit, which must not complete before it returns.
      if (inline_dispatch_) {
        boost::asio::post(io_, [this, d] { finish(d, EH_OK); });
      } else {
        finish(d, EH_OK);
      }
      return;
    }
  }
  attempt(d);
}

void Pipeline::attempt(Delivery* d) {
  ++d->attempt;
  d->attempt_started = std::chrono::steady_clock::now();
  parts_.sink->send(*d->event, timeout_, [this, d](AttemptResult r) { on_attempt(d, std::move(r)); });
}

void Pipeline::on_attempt(Delivery* d, AttemptResult r) {
  metrics_.delivery_latency.observe(std::chrono::steady_clock::now() - d->attempt_started);
  if (r.ok() && r.reply && parts_.reply) {
    metrics_.replies.fetch_add(1, std::memory_order_relaxed);
    EventPtr reply = std::move(r.reply);
    const eh_event& sent = *reply;
    parts_.reply->send(sent, timeout_, [this, d, reply = std::shared_ptr<eh_event>(std::move(reply))](AttemptResult rr) {
      on_reply_sent(d, std::move(rr));
    });
    return;
  }
  if (r.reply && !parts_.reply) spdlog::debug("{}: reply dropped: this pipeline has no reply destination", name_);
  decide(d, r);
}

void Pipeline::on_reply_sent(Delivery* d, AttemptResult r) {
  if (!r.ok()) {
    // The subscriber answered but its reply could not be stored: deliver again rather than lose the reply.
    r.detail = "reply not accepted by " + parts_.reply->display() + ": " + (r.detail.empty() ? status_name(r.status) : r.detail);
  }
  decide(d, r);
}

void Pipeline::decide(Delivery* d, const AttemptResult& r) {
  eh_delivery_decision decision{EH_DELIVERY_DONE, 0};
  if (parts_.policy) {
    eh_delivery_result view = r.view();
    decision = parts_.policy->plugin().decide(parts_.policy->instance(), d->event.get(), d->attempt, &view,
                                              parts_.dead_letter ? 1 : 0);
  } else if (!r.ok() && parts_.dead_letter) {
    decision.action = EH_DELIVERY_DEAD_LETTER;
  }
  if (r.ok()) {
    metrics_.delivered.fetch_add(1, std::memory_order_relaxed);
    finish(d, EH_OK);
    return;
  }
  spdlog::debug("{}: attempt {} to {} failed: {} {} {}", name_, d->attempt, parts_.sink->display(),
                status_name(r.status), r.code, r.detail);
  switch (decision.action) {
    case EH_DELIVERY_RETRY:
      metrics_.retried.fetch_add(1, std::memory_order_relaxed);
      wait_then(d, std::chrono::milliseconds(decision.delay_ms), &Pipeline::attempt);
      return;
    case EH_DELIVERY_DEAD_LETTER:
      if (parts_.dead_letter) {
        dead_letter(d, r);
        return;
      }
      break;
    case EH_DELIVERY_DROP:
      metrics_.dropped.fetch_add(1, std::memory_order_relaxed);
      finish(d, EH_OK);
      return;
    case EH_DELIVERY_DONE:
      break;
  }
  metrics_.failed.fetch_add(1, std::memory_order_relaxed);
  spdlog::warn("{}: event {} from {}: delivery to {} failed after {} attempt(s): {}{}", name_, d->event->ce.id(),
               d->event->ce.source(), parts_.sink->display(), d->attempt, status_name(r.status),
               r.detail.empty() ? "" : ": " + r.detail);
  finish(d, r.status);
}

void Pipeline::dead_letter(Delivery* d, const AttemptResult& r) {
  d->failure.status = r.status;
  d->failure.code = r.code;
  d->failure.detail = r.detail;
  d->failure.body = r.body.substr(0, kErrorDataLimit);
  send_dead_letter(d);
}

void Pipeline::send_dead_letter(Delivery* d) {
  ++d->dead_letter_attempt;
  auto letter = clone_event(*d->event);
  letter->ce.set("knativeerrordest", parts_.sink->display());
  if (d->failure.code != 0) letter->ce.set("knativeerrorcode", std::to_string(d->failure.code));
  if (!d->failure.body.empty()) letter->ce.set("knativeerrordata", ce::base64_encode(d->failure.body));
  const eh_event& sent = *letter;
  parts_.dead_letter->send(sent, timeout_, [this, d, letter = std::shared_ptr<eh_event>(std::move(letter))](AttemptResult r) {
    if (r.ok()) {
      metrics_.dead_lettered.fetch_add(1, std::memory_order_relaxed);
      finish(d, EH_OK);
      return;
    }
    // Knative gives up here and the event is lost; we keep it and its source's offset until the dead-letter sink
    // takes it, or shutdown hands it back to the source.
    auto backoff = std::min(kDeadLetterBackoffMax, std::chrono::milliseconds(100 << std::min(d->dead_letter_attempt, 9u)));
    spdlog::warn("{}: dead-letter sink {} failed ({}{}); retrying in {}ms", name_, parts_.dead_letter->display(),
                 status_name(r.status), r.detail.empty() ? "" : ": " + r.detail, backoff.count());
    wait_then(d, backoff, &Pipeline::send_dead_letter);
  });
}

void Pipeline::wait_then(Delivery* d, std::chrono::milliseconds delay, void (Pipeline::*next)(Delivery*)) {
  std::lock_guard lock(waiting_mutex_);
  uint64_t id = timers_.start(delay, [this, d, next] {
    {
      std::lock_guard inner(waiting_mutex_);
      waiting_.erase(d);
    }
    (this->*next)(d);
  });
  if (id == 0) {
    boost::asio::post(io_, [this, d] { finish(d, EH_ERR_SHUTDOWN); });
    return;
  }
  waiting_.emplace(d, id);
}

void Pipeline::abandon_waiting() {
  std::vector<Delivery*> handed_back;
  {
    std::lock_guard lock(waiting_mutex_);
    for (auto it = waiting_.begin(); it != waiting_.end();) {
      if (timers_.cancel(it->second) == 1) {
        handed_back.push_back(it->first);
        it = waiting_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (Delivery* d : handed_back) finish(d, EH_ERR_SHUTDOWN);
}

void Pipeline::finish(Delivery* d, eh_status status) {
  std::unique_ptr<Delivery> owned(d);
  if (owned->done) owned->done(status);
  release_reservation();
}

Status Pipeline::start_source() {
  if (!parts_.source) return Status::ok();
  char err[512] = {0};
  eh_status s = parts_.source->plugin().start(parts_.source->instance(), err, sizeof err);
  if (s != EH_OK) return Status(s, name_ + ": source failed to start: " + (err[0] ? err : status_name(s)));
  return Status::ok();
}

void Pipeline::stop_source() {
  if (parts_.source) parts_.source->plugin().stop(parts_.source->instance());
}

}  // namespace eventhost::host
