// Write a plugin as a C++ class and export it with one macro.
//
//   class Upper final : public eventhost::Filter {
//    public:
//     static constexpr eventhost::PluginInfo info{"upper", "1.0.0", "Passes events whose type is upper case"};
//     static constexpr eh_config_key schema[] = {
//         eventhost::optional_key("min", EH_CONFIG_INTEGER, "1", "Minimum length of the type")};
//     Upper(eventhost::Host host, const eventhost::Config& config);
//     bool match(eventhost::EventRef event);
//   };
//   EVENTHOST_PLUGIN(Upper)
//
// Sources implement start() -> Status and stop(), optionally resume(), and declare
// `static constexpr uint32_t flags = EH_PLUGIN_SINGLETON` when only one replica may run them; electors implement
// start() and stop(); sinks implement deliver(EventRef, Completion); filters match(EventRef) -> bool; delivery
// policies decide(EventRef, attempt, const eh_delivery_result&, bool dead_letter_available) -> eh_delivery_decision.
// The generated thunks catch every exception and log it through the host: a throwing constructor becomes a create
// error with its message, a throwing deliver completes the delivery with EH_ERR_INTERNAL, a throwing match answers
// "no match", a throwing decide "done".
#pragma once

#include <eventhost/abi.h>
#include <eventhost/config.hpp>
#include <eventhost/host.hpp>
#include <eventhost/status.hpp>

#include <exception>
#include <string>
#include <iterator>
#include <type_traits>

namespace eventhost {

struct PluginInfo {
  const char* name;
  const char* version;
  const char* description;
};

struct Source { static constexpr eh_plugin_kind kind = EH_KIND_SOURCE; };
struct Sink { static constexpr eh_plugin_kind kind = EH_KIND_SINK; };
struct Filter { static constexpr eh_plugin_kind kind = EH_KIND_FILTER; };
struct DeliveryPolicy { static constexpr eh_plugin_kind kind = EH_KIND_DELIVERY_POLICY; };
// Implements start() -> Status and stop(), and reports through Host::set_leading.
struct Elector { static constexpr eh_plugin_kind kind = EH_KIND_ELECTOR; };

constexpr eh_config_key required_key(const char* key, eh_config_type type, const char* doc) {
  return eh_config_key{key, type, 1, nullptr, doc, nullptr};
}
constexpr eh_config_key optional_key(const char* key, eh_config_type type, const char* default_json,
                                     const char* doc) {
  return eh_config_key{key, type, 0, default_json, doc, nullptr};
}
constexpr eh_config_key enum_key(const char* key, const char* choices, const char* default_json, const char* doc) {
  return eh_config_key{key, EH_CONFIG_ENUM, 0, default_json, doc, choices};
}

// The sink's one-shot answer for a delivery. Call it exactly once, from any thread.
class Completion {
 public:
  Completion(const eh_host_api* api, eh_deliver_done done, void* arg) : api_(api), done_(done), arg_(arg) {}
  Completion(Completion&& o) noexcept : api_(o.api_), done_(std::exchange(o.done_, nullptr)), arg_(o.arg_) {}
  Completion& operator=(Completion&&) = delete;
  Completion(const Completion&) = delete;
  // A delivery is never left hanging: a Completion dropped unanswered (the sink threw, or forgot) answers for it.
  ~Completion() {
    if (pending()) fail(EH_ERR_INTERNAL, "the sink dropped the delivery without answering");
  }

  bool pending() const { return done_ != nullptr; }

  void operator()(const eh_delivery_result& result, OwnedEvent reply = {}) {
    auto done = std::exchange(done_, nullptr);
    if (done != nullptr) done(arg_, &result, reply.release());
  }
  void ok(OwnedEvent reply = {}) { (*this)(eh_delivery_result{EH_OK, 0, 0, {}, {}}, std::move(reply)); }
  void fail(eh_status status, std::string_view detail, int32_t code = 0) {
    (*this)(eh_delivery_result{status, code, 0, to_eh(detail), {}});
  }
  const eh_host_api* api() const { return api_; }

 private:
  const eh_host_api* api_;
  eh_deliver_done done_;
  void* arg_;
};

namespace detail {

template <typename T>
struct Instance {
  T object;
  const eh_host_api* api;
  eh_host* host;
};

// Exceptions stop at the boundary; the host's log still learns what they said.
inline void log_exception(const eh_host_api* api, eh_host* host, const char* where) {
  std::string message = std::string("exception in ") + where + ": ";
  try {
    throw;
  } catch (const std::exception& e) {
    message += e.what();
  } catch (...) {
    message += "unknown exception";
  }
  api->log(host, EH_LOG_ERROR, to_eh(message));
}

template <typename T>
struct Thunks {
  static eh_status create(const eh_host_api* api, eh_host* host, eh_str config_json, void** out, char* err,
                          size_t err_len) {
    try {
      Config config(from_eh(config_json));
      *out = new Instance<T>{T(Host(api, host), config), api, host};
      return EH_OK;
    } catch (const std::exception& e) {
      copy_error(e.what(), err, err_len);
    } catch (...) {
      copy_error("unknown exception in plugin constructor", err, err_len);
    }
    return EH_ERR_INVALID;
  }
  static void destroy(void* p) {
    try {
      delete static_cast<Instance<T>*>(p);
    } catch (...) {
    }
  }
  static T& self(void* p) { return static_cast<Instance<T>*>(p)->object; }
  static const eh_host_api* api(void* p) { return static_cast<Instance<T>*>(p)->api; }
  static void log_exception(void* p, const char* where) {
    detail::log_exception(api(p), static_cast<Instance<T>*>(p)->host, where);
  }

  static eh_status start(void* p, char* err, size_t err_len) {
    try {
      Status s = self(p).start();
      if (!s.is_ok()) copy_error(s.message(), err, err_len);
      return s.code();
    } catch (const std::exception& e) {
      copy_error(e.what(), err, err_len);
    } catch (...) {
      copy_error("unknown exception in start", err, err_len);
    }
    return EH_ERR_INTERNAL;
  }
  static void stop(void* p) {
    try {
      self(p).stop();
    } catch (...) {
      log_exception(p, "stop");
    }
  }
  static void resume(void* p) {
    if constexpr (requires(T& t) { t.resume(); }) {
      try {
        self(p).resume();
      } catch (...) {
        log_exception(p, "resume");
      }
    }
  }
  // If deliver throws, the Completion it was given is destroyed unanswered and answers EH_ERR_INTERNAL itself.
  static void deliver(void* p, const eh_event* ev, eh_deliver_done done, void* arg) {
    try {
      self(p).deliver(EventRef(api(p), ev), Completion(api(p), done, arg));
    } catch (...) {
      log_exception(p, "deliver");
    }
  }
  static int match(void* p, const eh_event* ev) {
    try {
      return self(p).match(EventRef(api(p), ev)) ? 1 : 0;
    } catch (...) {
      log_exception(p, "match");
      return 0;
    }
  }
  static eh_delivery_decision decide(void* p, const eh_event* ev, uint32_t attempt, const eh_delivery_result* r,
                                     int dls) {
    try {
      return self(p).decide(EventRef(api(p), ev), attempt, *r, dls != 0);
    } catch (...) {
      log_exception(p, "decide");
      return eh_delivery_decision{EH_DELIVERY_DONE, 0};
    }
  }
};

template <typename T>
const eh_plugin* descriptor() {
  static const eh_plugin d = [] {
    eh_plugin p{};
    p.struct_size = sizeof(eh_plugin);
    p.abi_major = EH_ABI_MAJOR;
    p.abi_minor = EH_ABI_MINOR;
    p.name = T::info.name;
    p.version = T::info.version;
    p.description = T::info.description;
    p.kind = T::kind;
    if constexpr (requires { T::schema; }) {  // a plugin without keys declares no schema
      p.schema = T::schema;
      p.schema_len = std::size(T::schema);
    }
    p.create = &Thunks<T>::create;
    p.destroy = &Thunks<T>::destroy;
    if constexpr (requires { T::flags; }) p.flags = T::flags;  // e.g. EH_PLUGIN_SINGLETON
    if constexpr (T::kind == EH_KIND_SOURCE || T::kind == EH_KIND_ELECTOR) {
      p.start = &Thunks<T>::start;
      p.stop = &Thunks<T>::stop;
      if constexpr (T::kind == EH_KIND_SOURCE) p.resume = &Thunks<T>::resume;
    } else if constexpr (T::kind == EH_KIND_SINK) {
      p.deliver = &Thunks<T>::deliver;
    } else if constexpr (T::kind == EH_KIND_FILTER) {
      p.match = &Thunks<T>::match;
    } else {
      p.decide = &Thunks<T>::decide;
    }
    return p;
  }();
  return &d;
}

}  // namespace detail
}  // namespace eventhost

// Exports class T as this shared object's plugin. Use once per shared object, at namespace scope.
#define EVENTHOST_PLUGIN(T)                                                   \
  extern "C" EH_EXPORT const eh_plugin* eventhost_plugin_descriptor(void) {   \
    return ::eventhost::detail::descriptor<T>();                              \
  }
