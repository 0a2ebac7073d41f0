#include "fake_host.hpp"

#include <eventhost/cloudevents/validate.hpp>
#include <eventhost/status.hpp>

namespace eventhost::testing {
namespace {

std::string_view sv(eh_str s) { return {s.ptr, s.len}; }
eh_str es(std::string_view s) { return {s.data(), s.size()}; }

eh_event* event_new(eh_host*) { return new eh_event; }
eh_event* event_clone(const eh_event* e) { return new eh_event(*e); }
void event_free(eh_event* e) { delete e; }
eh_status event_get(const eh_event* e, eh_str name, eh_str* value, eh_attr_type* type) {
  auto a = e->event.get_typed(sv(name));
  if (!a) return EH_ERR_NOT_FOUND;
  *value = es(a->value);
  if (type != nullptr) *type = a->type;
  return EH_OK;
}
eh_status event_set(eh_event* e, eh_str name, eh_str value, eh_attr_type type) {
  e->event.set(sv(name), sv(value), type);
  return EH_OK;
}
eh_status event_remove(eh_event* e, eh_str name) { return e->event.remove(sv(name)) ? EH_OK : EH_ERR_NOT_FOUND; }
void event_visit(const eh_event* e, eh_attr_visitor visitor, void* arg) {
  e->event.for_each([&](const AttributeView& a) { return visitor(arg, es(a.name), es(a.value), a.type) == 0; });
}
eh_status event_get_data(const eh_event* e, eh_str* data) {
  if (!e->event.has_data()) return EH_ERR_NOT_FOUND;
  *data = es(e->event.data());
  return EH_OK;
}
void event_set_data(eh_event* e, eh_str data) { e->event.set_data(sv(data)); }
void event_clear_data(eh_event* e) { e->event.clear_data(); }
eh_status event_validate(const eh_event* e, char* err, size_t err_len) {
  Status s = ce::validate(e->event);
  if (!s) copy_error(s.message(), err, err_len);
  return s.code();
}
uint64_t timer_start(eh_host*, uint64_t, eh_timer_fn, void*) { return 0; }
int timer_cancel(eh_host*, uint64_t) { return 0; }

}  // namespace

FakeHost::FakeHost(std::string name, std::string ns) : name_(std::move(name)), ns_(std::move(ns)) {
  api_.struct_size = sizeof(eh_host_api);
  api_.abi_major = EH_ABI_MAJOR;
  api_.abi_minor = EH_ABI_MINOR;
  api_.event_new = event_new;
  api_.event_clone = event_clone;
  api_.event_free = event_free;
  api_.event_get = event_get;
  api_.event_set = event_set;
  api_.event_remove = event_remove;
  api_.event_visit = event_visit;
  api_.event_get_data = event_get_data;
  api_.event_set_data = event_set_data;
  api_.event_clear_data = event_clear_data;
  api_.event_validate = event_validate;
  api_.emit = &FakeHost::emit;
  api_.log = &FakeHost::log;
  api_.timer_start = timer_start;
  api_.timer_cancel = timer_cancel;
  api_.context_get = &FakeHost::context_get;
  api_.metric_add = &FakeHost::metric_add;
  api_.health_set = &FakeHost::health_set;
  api_.gauge_set = &FakeHost::gauge_set;
}

void FakeHost::set_capacity(size_t capacity) {
  std::lock_guard lock(mutex_);
  capacity_ = capacity;
}

void FakeHost::set_refusal(eh_status status) {
  std::lock_guard lock(mutex_);
  refusal_ = status;
}

eh_status FakeHost::emit(eh_host* h, eh_event* ev, eh_emit_done done, void* arg) {
  FakeHost& f = self(h);
  std::lock_guard lock(f.mutex_);
  if (f.refusal_ != EH_OK) return f.refusal_;
  if (f.capacity_ != 0 && f.unfinished_ >= f.capacity_) {
    ++f.overloaded_;
    return EH_ERR_OVERLOADED;
  }
  f.emitted_.push_back({std::move(ev->event), done, arg});
  delete ev;
  ++f.unfinished_;
  f.max_unfinished_ = std::max(f.max_unfinished_, f.unfinished_);
  f.cv_.notify_all();
  return EH_OK;
}

bool FakeHost::wait_emitted(size_t n, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, timeout, [&] { return emitted_.size() >= n; });
}

size_t FakeHost::emitted_count() {
  std::lock_guard lock(mutex_);
  return emitted_.size();
}

size_t FakeHost::unfinished_count() {
  std::lock_guard lock(mutex_);
  return unfinished_;
}

size_t FakeHost::overloaded_answers() {
  std::lock_guard lock(mutex_);
  return overloaded_;
}

size_t FakeHost::max_unfinished() {
  std::lock_guard lock(mutex_);
  return max_unfinished_;
}

std::vector<CloudEvent> FakeHost::events() {
  std::lock_guard lock(mutex_);
  std::vector<CloudEvent> out;
  for (const auto& e : emitted_) out.push_back(e.event);
  return out;
}

void FakeHost::finish(size_t index, eh_status status) {
  eh_emit_done done = nullptr;
  void* arg = nullptr;
  {
    std::lock_guard lock(mutex_);
    Emitted& e = emitted_.at(index);
    if (e.finished) return;
    e.finished = true;
    --unfinished_;
    done = e.done;
    arg = e.arg;
  }
  done(arg, status);  // outside the lock, from the test's thread: "any thread"
}

size_t FakeHost::finish_all(eh_status status) {
  size_t n = 0;
  for (size_t i = 0; i < emitted_count(); ++i) {
    bool pending;
    {
      std::lock_guard lock(mutex_);
      pending = !emitted_[i].finished;
    }
    if (pending) {
      finish(i, status);
      ++n;
    }
  }
  return n;
}

std::vector<std::string> FakeHost::logs() {
  std::lock_guard lock(mutex_);
  return logs_;
}

void FakeHost::log(eh_host* h, eh_log_level, eh_str message) {
  FakeHost& f = self(h);
  std::lock_guard lock(f.mutex_);
  f.logs_.emplace_back(sv(message));
}

eh_status FakeHost::context_get(eh_host* h, eh_str key, eh_str* value) {
  FakeHost& f = self(h);
  if (sv(key) == "name") {
    *value = es(f.name_);
    return EH_OK;
  }
  if (sv(key) == "namespace") {
    *value = es(f.ns_);
    return EH_OK;
  }
  return EH_ERR_NOT_FOUND;
}

void FakeHost::metric_add(eh_host* h, eh_str name, uint64_t delta) {
  FakeHost& f = self(h);
  std::lock_guard lock(f.mutex_);
  f.metrics_[std::string(sv(name))] += delta;
}

void FakeHost::health_set(eh_host* h, int ready, eh_str reason) {
  FakeHost& f = self(h);
  std::lock_guard lock(f.mutex_);
  f.ready_ = ready != 0;
  f.health_reason_ = std::string(sv(reason));
  f.cv_.notify_all();
}

void FakeHost::gauge_set(eh_host* h, eh_str name, int64_t value) {
  FakeHost& f = self(h);
  std::lock_guard lock(f.mutex_);
  f.gauges_[std::string(sv(name))] = value;
  f.cv_.notify_all();
}

bool FakeHost::ready() {
  std::lock_guard lock(mutex_);
  return ready_;
}

std::string FakeHost::health_reason() {
  std::lock_guard lock(mutex_);
  return health_reason_;
}

bool FakeHost::wait_ready(bool ready, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, timeout, [&] { return ready_ == ready; });
}

std::optional<int64_t> FakeHost::gauge(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto it = gauges_.find(name);
  if (it == gauges_.end()) return std::nullopt;
  return it->second;
}

bool FakeHost::wait_gauge(const std::string& name, int64_t value, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, timeout, [&] {
    auto it = gauges_.find(name);
    return it != gauges_.end() && it->second == value;
  });
}

}  // namespace eventhost::testing
