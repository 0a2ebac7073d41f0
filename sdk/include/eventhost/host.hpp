// The plugin's view of the host: event handles over the C ABI, emit, logging, timers, context.
#pragma once

#include <eventhost/abi.h>
#include <eventhost/status.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace eventhost {

inline eh_str to_eh(std::string_view s) { return eh_str{s.data(), s.size()}; }
inline std::string_view from_eh(eh_str s) { return {s.ptr, s.len}; }

// A borrowed, read-only event: what filters, sinks and policies receive. Two pointers; pass by value.
class EventRef {
 public:
  EventRef(const eh_host_api* api, const eh_event* ev) : api_(api), ev_(ev) {}

  std::optional<std::string_view> get(std::string_view name) const {
    eh_str v{};
    if (api_->event_get(ev_, to_eh(name), &v, nullptr) != EH_OK) return std::nullopt;
    return from_eh(v);
  }
  std::optional<std::pair<std::string_view, eh_attr_type>> get_typed(std::string_view name) const {
    eh_str v{};
    eh_attr_type t{};
    if (api_->event_get(ev_, to_eh(name), &v, &t) != EH_OK) return std::nullopt;
    return std::make_pair(from_eh(v), t);
  }
  std::optional<std::string_view> data() const {
    eh_str d{};
    if (api_->event_get_data(ev_, &d) != EH_OK) return std::nullopt;
    return from_eh(d);
  }
  // fn(std::string_view name, std::string_view value, eh_attr_type type) -> bool (false stops)
  template <typename Fn>
  void for_each(Fn&& fn) const {
    api_->event_visit(
        ev_,
        [](void* arg, eh_str n, eh_str v, eh_attr_type t) -> int {
          return (*static_cast<Fn*>(arg))(from_eh(n), from_eh(v), t) ? 0 : 1;
        },
        &fn);
  }
  const eh_event* raw() const { return ev_; }
  const eh_host_api* api() const { return api_; }

 private:
  const eh_host_api* api_;
  const eh_event* ev_;
};

// An event the plugin built and owns until it hands it to the host (emit, or a reply).
class OwnedEvent {
 public:
  OwnedEvent() = default;
  OwnedEvent(const eh_host_api* api, eh_event* ev) : api_(api), ev_(ev) {}
  OwnedEvent(OwnedEvent&& o) noexcept : api_(o.api_), ev_(std::exchange(o.ev_, nullptr)) {}
  OwnedEvent& operator=(OwnedEvent&& o) noexcept {
    if (this != &o) {
      reset();
      api_ = o.api_;
      ev_ = std::exchange(o.ev_, nullptr);
    }
    return *this;
  }
  OwnedEvent(const OwnedEvent&) = delete;
  OwnedEvent& operator=(const OwnedEvent&) = delete;
  ~OwnedEvent() { reset(); }

  explicit operator bool() const { return ev_ != nullptr; }
  OwnedEvent& set(std::string_view name, std::string_view value, eh_attr_type type = EH_ATTR_STRING) {
    api_->event_set(ev_, to_eh(name), to_eh(value), type);
    return *this;
  }
  OwnedEvent& set_data(std::string_view bytes) {
    api_->event_set_data(ev_, to_eh(bytes));
    return *this;
  }
  EventRef view() const { return {api_, ev_}; }
  Status validate() const {
    char err[256];
    eh_status s = api_->event_validate(ev_, err, sizeof err);
    return s == EH_OK ? Status::ok() : Status(s, err);
  }
  eh_event* release() { return std::exchange(ev_, nullptr); }

 private:
  void reset() {
    if (ev_ != nullptr) api_->event_free(std::exchange(ev_, nullptr));
  }
  const eh_host_api* api_ = nullptr;
  eh_event* ev_ = nullptr;
};

// The host handle given to a plugin's constructor. Two pointers; copy freely.
class Host {
 public:
  Host(const eh_host_api* api, eh_host* host) : api_(api), host_(host) {}

  const eh_host_api* api() const { return api_; }
  eh_host* raw() const { return host_; }

  OwnedEvent new_event() const { return {api_, api_->event_new(host_)}; }

  // Hands the event to the pipeline; on_done(eh_status) runs once when it is finished. On a non-OK return the
  // event is given back untouched in `event` and on_done is dropped.
  template <typename F>
  eh_status emit(OwnedEvent& event, F&& on_done) const {
    using Fn = std::decay_t<F>;
    auto box = std::make_unique<Fn>(std::forward<F>(on_done));
    eh_event* raw = event.release();
    eh_status s = api_->emit(
        host_, raw,
        [](void* arg, eh_status st) {
          std::unique_ptr<Fn> fn(static_cast<Fn*>(arg));
          (*fn)(st);
        },
        box.get());
    if (s == EH_OK) {
      box.release();
    } else {
      event = OwnedEvent(api_, raw);
    }
    return s;
  }

  void log(eh_log_level level, std::string_view message) const { api_->log(host_, level, to_eh(message)); }
  void info(std::string_view m) const { log(EH_LOG_INFO, m); }
  void warn(std::string_view m) const { log(EH_LOG_WARN, m); }
  void error(std::string_view m) const { log(EH_LOG_ERROR, m); }

  std::string context(std::string_view key) const {
    eh_str v{};
    if (api_->context_get(host_, to_eh(key), &v) != EH_OK) return {};
    return std::string(from_eh(v));
  }
  void count(std::string_view metric, uint64_t delta = 1) const { api_->metric_add(host_, to_eh(metric), delta); }
  void gauge(std::string_view metric, int64_t value) const { api_->gauge_set(host_, to_eh(metric), value); }

  // What /readyz reports for this instance; call on changes (e.g. the broker became unreachable), not per event.
  void set_health(bool ready, std::string_view reason = {}) const {
    api_->health_set(host_, ready ? 1 : 0, to_eh(reason));
  }
  // Electors: this replica leads (or no longer does).
  void set_leading(bool leading) const { api_->leadership_set(host_, leading ? 1 : 0); }

 private:
  const eh_host_api* api_;
  eh_host* host_;
};

// A one-shot timer owned by a plugin object; re-arm it from its own callback. Cancelled on destruction.
class Timer {
 public:
  Timer() = default;
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;
  ~Timer() { cancel(); }

  template <typename F>
  bool start(const Host& host, uint64_t delay_ms, F&& fn) {
    cancel();
    using Fn = std::decay_t<F>;
    auto* box = new Fn(std::forward<F>(fn));
    host_ = host;
    deleter_ = [](void* p) { delete static_cast<Fn*>(p); };
    box_ = box;
    id_ = host.api()->timer_start(
        host.raw(), delay_ms,
        [](void* arg) {
          std::unique_ptr<Fn> f(static_cast<Fn*>(arg));
          (*f)();
        },
        box);
    if (id_ == 0) {
      deleter_(box);
      box_ = nullptr;
      return false;
    }
    return true;
  }

  void cancel() {
    if (id_ == 0 || !host_) return;
    if (host_->api()->timer_cancel(host_->raw(), id_) == 1) deleter_(box_);
    id_ = 0;
    box_ = nullptr;
  }

 private:
  std::optional<Host> host_;
  uint64_t id_ = 0;
  void* box_ = nullptr;
  void (*deleter_)(void*) = nullptr;
};

}  // namespace eventhost
