/*
 * eventhost plugin ABI — the only contract between the worker and a plugin.
 *
 * A plugin is a shared object exporting one C symbol, EH_PLUGIN_ENTRY_SYMBOL, that returns a pointer to a
 * static eh_plugin descriptor. Everything crosses as plain C: no exception, no C++ object, no allocation that
 * the other side must free. Strings are borrowed (eh_str) and valid only for the duration of the call unless
 * stated otherwise.
 *
 * Versioning
 *   - EH_ABI_MAJOR changes break the layout; the host refuses any plugin whose major differs from its own.
 *   - EH_ABI_MINOR changes only append fields to eh_host_api and eh_plugin. A plugin built against a newer minor
 *     than the host's is refused (it may call functions the host does not have). A plugin built against an older
 *     minor is accepted; the host reads only the first `struct_size` bytes of its descriptor.
 *   - The first five fields of eh_plugin (struct_size, abi_major, abi_minor, name, version) never move, so the host
 *     can name a plugin and report its ABI even when it refuses it.
 *
 * Errors
 *   Functions return eh_status. Where a reason helps, the caller passes its own buffer (err, err_len) and the callee
 *   writes a NUL-terminated, possibly truncated message into it. Nothing is allocated for an error.
 *
 * Threading
 *   - The host runs pipelines on a pool of worker threads (`[host] threads`). start, stop, resume, deliver, match
 *     and decide run on one of those threads; create and destroy run on the thread that loads or unloads the
 *     config (at start, on reload, at shutdown).
 *   - Callbacks of one instance may run concurrently on different threads: `deliver` and `match` in particular are
 *     called for many events at once (up to the pipeline's `max_in_flight`). An instance protects its own state.
 *   - create/start/stop/destroy of one instance never overlap each other, and no other callback of that instance
 *     runs before create returns or after stop has returned (for sources) or destroy has been called.
 *   - A plugin never blocks a worker thread: no sleeping, no blocking I/O, no waiting on locks held across I/O.
 *     Slow work uses host timers (timer_start) or threads the plugin owns. Host API functions may be called from
 *     any thread, including the plugin's own, unless their comment says otherwise.
 *   - HTTP route handlers (eh_http_handler) run on a worker thread, possibly several at once for one route; the
 *     answer (http_respond) may come later from any thread, typically from an emit completion.
 *   - Completion callbacks (eh_emit_done, eh_deliver_done, eh_timer_fn) may be invoked on any thread; they must
 *     return quickly and must not call back into the caller synchronously in a way that recurses without bound.
 *
 * Ownership of events
 *   Events are opaque and owned by the host. event_new gives the caller one event to fill and hand on (emit or a
 *   delivery reply); handing it on transfers it back to the host. event_free releases an event that was never
 *   handed on. An event passed into deliver or match is borrowed: valid until the matching done callback (deliver)
 *   or until the call returns (match).
 */
#ifndef EVENTHOST_ABI_H
#define EVENTHOST_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EH_ABI_MAJOR 1
#define EH_ABI_MINOR 2

#define EH_PLUGIN_ENTRY_SYMBOL "eventhost_plugin_descriptor"

#if defined(_WIN32)
#define EH_EXPORT __declspec(dllexport)
#else
#define EH_EXPORT __attribute__((visibility("default")))
#endif

/* A borrowed string: not NUL-terminated, never freed by the reader. */
typedef struct eh_str {
  const char* ptr;
  size_t len;
} eh_str;

typedef enum eh_status {
  EH_OK = 0,
  EH_ERR_INVALID = 1,      /* bad argument, bad event, bad config: not worth retrying */
  EH_ERR_NOT_FOUND = 2,    /* attribute or key absent */
  EH_ERR_UNAVAILABLE = 3,  /* a dependency cannot be reached now: retrying later may succeed */
  EH_ERR_TIMEOUT = 4,      /* gave up waiting; retrying may succeed */
  EH_ERR_OVERLOADED = 5,   /* the receiver has no room now; the caller waits for resume, then tries again */
  EH_ERR_REJECTED = 6,     /* the receiver refused the event permanently (e.g. a 4xx answer) */
  EH_ERR_INTERNAL = 7,     /* a bug or an exception caught at the boundary */
  EH_ERR_SHUTDOWN = 8      /* the pipeline is stopping and takes no more events */
} eh_status;

typedef enum eh_plugin_kind {
  EH_KIND_SOURCE = 1,
  EH_KIND_SINK = 2,
  EH_KIND_FILTER = 3,
  EH_KIND_DELIVERY_POLICY = 4,
  EH_KIND_ELECTOR = 5          /* ABI 1.2: decides which replica runs the singleton sources (start/stop) */
} eh_plugin_kind;

/* eh_plugin.flags (ABI 1.2). */
#define EH_PLUGIN_SINGLETON 0x1u /* a source that must run on one replica at a time (a timer, a watch) */

typedef enum eh_log_level {
  EH_LOG_TRACE = 0,
  EH_LOG_DEBUG = 1,
  EH_LOG_INFO = 2,
  EH_LOG_WARN = 3,
  EH_LOG_ERROR = 4
} eh_log_level;

/* CloudEvents v1.0.2 type system (spec.md, "Type System"). Values always cross in their canonical string form. */
typedef enum eh_attr_type {
  EH_ATTR_STRING = 0,
  EH_ATTR_BOOLEAN = 1,
  EH_ATTR_INTEGER = 2,
  EH_ATTR_BINARY = 3,        /* canonical form: base64 */
  EH_ATTR_URI = 4,
  EH_ATTR_URI_REF = 5,
  EH_ATTR_TIMESTAMP = 6      /* canonical form: RFC 3339 */
} eh_attr_type;

/* ---- Config schema: declared once per plugin, validated and documented by the host. ---- */

typedef enum eh_config_type {
  EH_CONFIG_STRING = 1,
  EH_CONFIG_INTEGER = 2,      /* 64-bit signed */
  EH_CONFIG_FLOAT = 3,
  EH_CONFIG_BOOLEAN = 4,
  EH_CONFIG_DURATION = 5,     /* string: ISO 8601 ("PT0.2S") or a short form ("200ms", "5s", "1m", "1h") */
  EH_CONFIG_STRING_LIST = 6,  /* array of strings */
  EH_CONFIG_STRING_MAP = 7,   /* table of string values */
  EH_CONFIG_TABLE = 8,        /* free-form table or array of tables, validated by the plugin itself */
  EH_CONFIG_ENUM = 9          /* string, one of `choices` ("a|b|c") */
} eh_config_type;

typedef struct eh_config_key {
  const char* key;           /* dotted paths are not allowed: one level, like Kafka Connect's ConfigDef */
  eh_config_type type;
  int required;              /* non-zero: the key must be given (default_json is then ignored) */
  const char* default_json;  /* JSON text of the default, or NULL for "unset" */
  const char* doc;           /* one line, shown by `eventhost plugins describe` */
  const char* choices;       /* EH_CONFIG_ENUM only: '|'-separated allowed values */
} eh_config_key;

/* ---- What the host offers plugins (append-only). ---- */

typedef struct eh_event eh_event; /* opaque, owned by the host */
typedef struct eh_host eh_host;   /* opaque per-instance handle given to create */

typedef void (*eh_emit_done)(void* arg, eh_status status);

/* HTTP (ABI 1.1). A request handed to a route handler: every field, the header array and the strings it points to
 * stay valid until http_respond is called for it. Header names keep the sender's case; compare them ignoring case. */
typedef struct eh_http_header {
  eh_str name;
  eh_str value;
} eh_http_header;
typedef struct eh_http_request {
  eh_str method;                  /* "POST", "GET", ... */
  eh_str path;                    /* the request target without its query string */
  const eh_http_header* headers;
  size_t header_count;
  eh_str body;                    /* complete: the host has read it, within the route's max_body_bytes */
} eh_http_request;
typedef struct eh_http_responder eh_http_responder; /* opaque, owned by the host until http_respond */
/* Runs on a worker thread; must not block. It answers through http_respond, now or later, from any thread. */
typedef void (*eh_http_handler)(void* arg, const eh_http_request* request, eh_http_responder* responder);
typedef void (*eh_timer_fn)(void* arg);
/* Visits one attribute; return non-zero to stop the iteration. */
typedef int (*eh_attr_visitor)(void* arg, eh_str name, eh_str value, eh_attr_type type);

typedef struct eh_host_api {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;

  /* Events. event_get covers required, optional and extension attributes alike; the value stays valid until the
   * attribute is changed or the event is released. One indirect call, no allocation. */
  eh_event* (*event_new)(eh_host* host);
  eh_event* (*event_clone)(const eh_event* event);
  void (*event_free)(eh_event* event);
  eh_status (*event_get)(const eh_event* event, eh_str name, eh_str* value, eh_attr_type* type /* nullable */);
  eh_status (*event_set)(eh_event* event, eh_str name, eh_str value, eh_attr_type type);
  eh_status (*event_remove)(eh_event* event, eh_str name);
  void (*event_visit)(const eh_event* event, eh_attr_visitor visitor, void* arg);
  eh_status (*event_get_data)(const eh_event* event, eh_str* data); /* EH_ERR_NOT_FOUND when the event has none */
  void (*event_set_data)(eh_event* event, eh_str data);             /* copies */
  void (*event_clear_data)(eh_event* event);
  /* Checks the event against CloudEvents v1.0.2; writes the first violation into err. */
  eh_status (*event_validate)(const eh_event* event, char* err, size_t err_len);

  /* Sources: hand an event to the pipeline. On EH_OK the host owns the event and calls done exactly once when the
   * event is finished (delivered, dead-lettered or dropped by policy): status EH_OK, or the final failure. On any
   * other return the caller keeps the event and done is never called; EH_ERR_OVERLOADED means "wait for resume". */
  eh_status (*emit)(eh_host* host, eh_event* event, eh_emit_done done, void* arg);

  void (*log)(eh_host* host, eh_log_level level, eh_str message);

  /* One-shot timer on the worker pool. Returns an id > 0, or 0 when the host is shutting down (fn never runs).
   * timer_cancel returns 1 when it stopped the timer before fn ran (fn will never run), 0 when fn already ran or
   * is running; so exactly one of "fn ran" and "cancel returned 1" happens, and whoever it is frees `arg`. */
  uint64_t (*timer_start)(eh_host* host, uint64_t delay_ms, eh_timer_fn fn, void* arg);
  int (*timer_cancel)(eh_host* host, uint64_t timer_id);

  /* Facts about the instance: "name", "namespace", "pipeline", "kind" ("source", ...). */
  eh_status (*context_get)(eh_host* host, eh_str key, eh_str* value);

  /* Counters shown on /metrics as eventhost_plugin_<name>_total{pipeline=...}. */
  void (*metric_add)(eh_host* host, eh_str name, uint64_t delta);

  /* ---- ABI 1.1 ---- */

  /* HTTP routes on the worker's own server (`[host] listen`), for sources such as the broker ingress. The first
   * route makes the server listen; a failure to listen, or a path another instance already serves, returns an error
   * with the reason in err. `path` is matched exactly (no prefix, no query). Requests whose body exceeds
   * max_body_bytes (0: 4 MiB) are answered 413 by the host and never reach the handler. Call from create's
   * successor, start (not from create: `eventhost validate` must not open ports). */
  eh_status (*http_route_add)(eh_host* host, eh_str path, uint64_t max_body_bytes, eh_http_handler handler,
                              void* arg, char* err, size_t err_len);
  /* After it returns the handler is never called again for this path (calls under way have returned). Requests
   * already handed over still need their http_respond. Call it from stop at the latest. */
  void (*http_route_remove)(eh_host* host, eh_str path);
  /* Answers a request exactly once, from any thread; the responder and the request are released by this call.
   * Headers and body are copied before it returns. */
  void (*http_respond)(eh_http_responder* responder, int status, const eh_http_header* headers, size_t header_count,
                       eh_str body);

  /* ---- ABI 1.2 ---- */

  /* Readiness of what the instance depends on (a broker, an API server). Instances start ready. While any instance
   * says not ready, /readyz answers 503 and names it with `reason` (copied), so Kubernetes takes the replica out of
   * its Service until the instance says ready again. Call it on changes, not per event. */
  void (*health_set)(eh_host* host, int ready, eh_str reason);
  /* Electors only: this replica holds (1) or has lost (0) the leadership. The host starts the singleton sources
   * (EH_PLUGIN_SINGLETON) when it gains it and stops them when it loses it. An elector that cannot be sure it
   * still leads (it failed to renew in time) reports 0 before another replica can take over. */
  void (*leadership_set)(eh_host* host, int leading);
  /* A gauge shown on /metrics as eventhost_plugin_<name>{pipeline=...}: the latest value wins (e.g. consumer lag). */
  void (*gauge_set)(eh_host* host, eh_str name, int64_t value);
} eh_host_api;

/* ---- What a plugin offers the host. ---- */

/* How a delivery attempt ended, as a sink reports it. */
typedef struct eh_delivery_result {
  eh_status status;
  int32_t code;           /* protocol code when there is one (HTTP status), else 0 */
  uint64_t retry_after_ms;/* from a Retry-After answer, else 0 */
  eh_str detail;          /* short reason, borrowed for the duration of the done call */
  eh_str response_body;   /* the answer's body when it failed (dead letters carry it), borrowed */
} eh_delivery_result;

/* Sinks call this exactly once per deliver. `reply` (may be NULL) is an event from event_new that the host takes. */
typedef void (*eh_deliver_done)(void* arg, const eh_delivery_result* result, eh_event* reply);

typedef enum eh_delivery_action {
  EH_DELIVERY_DONE = 0,         /* finished: success, or give up and report failure to the source */
  EH_DELIVERY_RETRY = 1,        /* attempt again after delay_ms */
  EH_DELIVERY_DEAD_LETTER = 2,  /* send to the dead-letter sink */
  EH_DELIVERY_DROP = 3          /* finished: the failure is acknowledged as handled (counted, not retried) */
} eh_delivery_action;

typedef struct eh_delivery_decision {
  eh_delivery_action action;
  uint64_t delay_ms;
} eh_delivery_decision;

typedef struct eh_plugin {
  uint32_t struct_size; /* sizeof(eh_plugin) as the plugin was compiled */
  uint16_t abi_major;
  uint16_t abi_minor;
  const char* name;     /* unique, [a-z0-9_-]+ */
  const char* version;  /* the plugin's own version, e.g. "1.2.0" */
  const char* description;
  eh_plugin_kind kind;
  const eh_config_key* schema;
  size_t schema_len;

  /* create checks the config and prepares; it must not start I/O or emit (that is start's job), because
   * `eventhost validate` creates and destroys every instance to check configs before anything runs.
   * config_json is a JSON object holding every schema key: given values, validated, defaults filled in; unset
   * optional keys are null. EH_CONFIG_DURATION values arrive as integer milliseconds. */
  eh_status (*create)(const eh_host_api* api, eh_host* host, eh_str config_json, void** instance, char* err,
                      size_t err_len);
  void (*destroy)(void* instance);

  /* Sources. start begins emitting; stop ends intake (events already emitted still complete). resume is called
   * after emit answered EH_ERR_OVERLOADED, once there is room again.
   * Electors use start too (begin campaigning, report through leadership_set) and stop (resign: give the
   * leadership up at once, so another replica takes over without waiting for it to expire). */
  eh_status (*start)(void* instance, char* err, size_t err_len);
  void (*stop)(void* instance);
  void (*resume)(void* instance);

  /* Sinks. The event is borrowed until done is called. */
  void (*deliver)(void* instance, const eh_event* event, eh_deliver_done done, void* done_arg);

  /* Filters: 1 the event passes, 0 it does not. A filter that cannot decide (error) answers 0. */
  int (*match)(void* instance, const eh_event* event);

  /* Delivery policies: what to do after attempt number `attempt` (1-based) ended with `result`. Called on success
   * too, so a policy can count. dead_letter_available tells whether the pipeline has a dead-letter sink. */
  eh_delivery_decision (*decide)(void* instance, const eh_event* event, uint32_t attempt,
                                 const eh_delivery_result* result, int dead_letter_available);

  /* ---- ABI 1.2 ---- */
  uint32_t flags; /* EH_PLUGIN_* bits */
} eh_plugin;

/* The one symbol every plugin exports. */
typedef const eh_plugin* (*eh_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* EVENTHOST_ABI_H */
