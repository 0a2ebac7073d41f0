// The host function table handed to every plugin.
#include "http/responder.hpp"
#include "http/server.hpp"
#include "runtime/event_impl.hpp"
#include "runtime/host_context.hpp"
#include "runtime/inlet.hpp"
#include "runtime/readiness.hpp"

#include <eventhost/cloudevents/validate.hpp>
#include <eventhost/status.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdint>

namespace eventhost::host {
namespace {

std::string_view sv(eh_str s) { return {s.ptr, s.len}; }
eh_str es(std::string_view s) { return {s.data(), s.size()}; }

// Room for the attributes of a typical event (a dozen names and values of a few dozen bytes), so a source setting them
// one by one grows the storage once instead of doubling it four or five times.
constexpr size_t kTypicalAttributes = 12;
constexpr size_t kTypicalAttributeBytes = 384;

eh_event* event_new(eh_host*) {
  auto* e = new eh_event;
  e->ce.reserve(kTypicalAttributes, kTypicalAttributeBytes);
  e->ce.set("specversion", "1.0");
  return e;
}
eh_event* event_clone(const eh_event* e) { return new eh_event(*e); }
void event_free(eh_event* e) { delete e; }

eh_status event_get(const eh_event* e, eh_str name, eh_str* value, eh_attr_type* type) {
  auto a = e->ce.get_typed(sv(name));
  if (!a) return EH_ERR_NOT_FOUND;
  *value = es(a->value);
  if (type != nullptr) *type = a->type;
  return EH_OK;
}
eh_status event_set(eh_event* e, eh_str name, eh_str value, eh_attr_type type) {
  if (name.len == 0) return EH_ERR_INVALID;
  e->ce.set(sv(name), sv(value), type);
  return EH_OK;
}
eh_status event_remove(eh_event* e, eh_str name) { return e->ce.remove(sv(name)) ? EH_OK : EH_ERR_NOT_FOUND; }
void event_visit(const eh_event* e, eh_attr_visitor visitor, void* arg) {
  e->ce.for_each([&](const AttributeView& a) { return visitor(arg, es(a.name), es(a.value), a.type) == 0; });
}
eh_status event_get_data(const eh_event* e, eh_str* data) {
  if (!e->ce.has_data()) return EH_ERR_NOT_FOUND;
  *data = es(e->ce.data());
  return EH_OK;
}
void event_set_data(eh_event* e, eh_str data) { e->ce.set_data(sv(data)); }
void event_clear_data(eh_event* e) { e->ce.clear_data(); }
eh_status event_validate(const eh_event* e, char* err, size_t err_len) {
  Status s = ce::validate(e->ce);
  if (!s.is_ok()) copy_error(s.message(), err, err_len);
  return s.code();
}

eh_status emit(eh_host* host, eh_event* event, eh_emit_done done, void* arg) {
  if (host->inlet == nullptr || event == nullptr) return EH_ERR_INVALID;
  EventPtr owned(event);
  eh_status s = host->inlet->offer(owned, [done, arg](eh_status st) {
    if (done != nullptr) done(arg, st);
  });
  if (s != EH_OK) owned.release();  // stays the caller's
  return s;
}

void log(eh_host* host, eh_log_level level, eh_str message) {
  static constexpr spdlog::level::level_enum kLevels[] = {spdlog::level::trace, spdlog::level::debug,
                                                          spdlog::level::info, spdlog::level::warn,
                                                          spdlog::level::err};
  auto lvl = level >= EH_LOG_TRACE && level <= EH_LOG_ERROR ? kLevels[level] : spdlog::level::info;
  host->logger->log(lvl, "[{} {}] {}", host->plugin, host->pipeline, sv(message));
}

uint64_t timer_start(eh_host* host, uint64_t delay_ms, eh_timer_fn fn, void* arg) {
  // A delay past INT64_MAX would turn negative and fire at once; the service clamps what is left to decades.
  const auto delay = static_cast<int64_t>(std::min<uint64_t>(delay_ms, INT64_MAX));
  return host->timers->start(std::chrono::milliseconds(delay), [fn, arg] { fn(arg); });
}
int timer_cancel(eh_host* host, uint64_t id) { return host->timers->cancel(id); }

eh_status context_get(eh_host* host, eh_str key, eh_str* value) {
  std::string_view k = sv(key);
  const std::string* v = k == "name"       ? &host->name
                         : k == "namespace" ? &host->ns
                         : k == "pipeline"  ? &host->pipeline
                         : k == "kind"      ? &host->kind
                                            : nullptr;
  if (v == nullptr) return EH_ERR_NOT_FOUND;
  *value = es(*v);
  return EH_OK;
}

void metric_add(eh_host* host, eh_str name, uint64_t delta) {
  std::lock_guard lock(host->metrics_mutex);
  host->metrics[std::string(sv(name))] += delta;
}

eh_status http_route_add(eh_host* host, eh_str path, uint64_t max_body_bytes, eh_http_handler handler, void* arg,
                         char* err, size_t err_len) {
  if (host->http == nullptr || handler == nullptr) {
    copy_error("this worker has no HTTP server", err, err_len);
    return EH_ERR_INVALID;
  }
  Status s = host->http->add_route(std::string(sv(path)), host->pipeline, max_body_bytes, handler, arg);
  if (!s.is_ok()) copy_error(s.message(), err, err_len);
  return s.code();
}
void http_route_remove(eh_host* host, eh_str path) {
  if (host->http != nullptr) host->http->remove_route(sv(path));
}

void health_set(eh_host* host, int ready, eh_str reason) {
  if (host->readiness == nullptr) return;  // `eventhost validate` and the bench tool have no /readyz
  host->readiness->set(host, host->pipeline + " " + host->kind + " " + host->plugin, ready != 0,
                       std::string(sv(reason)));
}
void leadership_set(eh_host* host, int leading) {
  if (host->on_leadership) host->on_leadership(leading != 0);
}
void gauge_set(eh_host* host, eh_str name, int64_t value) {
  std::lock_guard lock(host->metrics_mutex);
  host->gauges[std::string(sv(name))] = value;
}

constexpr eh_host_api kApi = {
    sizeof(eh_host_api), EH_ABI_MAJOR, EH_ABI_MINOR,
    event_new, event_clone, event_free, event_get, event_set, event_remove, event_visit,
    event_get_data, event_set_data, event_clear_data, event_validate,
    emit, log, timer_start, timer_cancel, context_get, metric_add,
    http_route_add, http_route_remove, http::respond,
    health_set, leadership_set, gauge_set,
};

}  // namespace

const eh_host_api* host_api() { return &kApi; }

}  // namespace eventhost::host
