#include "emitter.hpp"

#include <boost/uuid/uuid_io.hpp>
#include <date/date.h>

#include <chrono>

namespace eventhost::apiserver {

void Emitter::push(ChangeEvent event) {
  if (shut_) return;
  queue_.push_back(std::move(event));
  if (queue_.size() == 1) drain();
}

void Emitter::when_unblocked(std::function<void()> fn) {
  if (shut_) return;
  if (!blocked()) return fn();
  waiting_.push_back(std::move(fn));
}

void Emitter::resume() {
  if (!shut_) drain();
}

void Emitter::close() {
  std::lock_guard lock(emit_mutex_);
  closed_ = true;
}

void Emitter::shut() {
  shut_ = true;
  queue_.clear();
  waiting_.clear();
}

OwnedEvent Emitter::build(const ChangeEvent& e) {
  OwnedEvent ev = host_.new_event();
  auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  ev.set("specversion", "1.0")
      .set("id", boost::uuids::to_string(uuids_()))
      .set("source", e.source, EH_ATTR_URI_REF)
      .set("type", e.type)
      .set("subject", e.subject)
      .set("time", date::format("%FT%TZ", now), EH_ATTR_TIMESTAMP)
      .set("datacontenttype", "application/json")
      .set("kind", e.kind)
      .set("apiversion", e.api_version)
      .set("name", e.name);
  if (!e.ns.empty()) ev.set("namespace", e.ns);
  ev.set_data(e.data);
  return ev;
}

void Emitter::drain() {
  while (!queue_.empty() && !shut_) {
    OwnedEvent ev = build(queue_.front());
    eh_status s;
    {
      std::lock_guard lock(emit_mutex_);
      // Nothing the pipeline needs to hear about finishes here: the API server has nothing to acknowledge.
      s = closed_ ? EH_ERR_SHUTDOWN : host_.emit(ev, [](eh_status) {});
    }
    if (s == EH_ERR_OVERLOADED) return;  // the host calls resume() when there is room
    if (s == EH_ERR_SHUTDOWN) return shut();
    if (s != EH_OK) {
      host_.error(std::string("the pipeline refused the event for ") + queue_.front().subject + ": " +
                  status_name(s));
      host_.count("events_refused");
    } else {
      host_.count("events_emitted");
    }
    queue_.pop_front();
  }
  if (queue_.empty()) {
    auto ready = std::move(waiting_);
    waiting_.clear();
    for (auto& fn : ready) {
      if (shut_) return;
      fn();
    }
  }
}

}  // namespace eventhost::apiserver
