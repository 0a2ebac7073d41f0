// What the ingress answers once it knows how its events fared: the status code, and whether a Retry-After goes
// with it. Kept apart from the plugin so that the mapping is tested on its own.
#pragma once

#include <eventhost/abi.h>

namespace eventhost::http_plugin {

struct IngressAnswer {
  int status;
  bool retry_after;
  const char* reason;
};

// `worst` is the first failure among the request's events (EH_OK when all were accepted).
inline IngressAnswer ingress_answer(eh_status worst) {
  switch (worst) {
    case EH_OK:
      return {202, false, ""};
    case EH_ERR_OVERLOADED:
      return {429, true, "the broker is full; retry later"};
    case EH_ERR_INVALID:
    case EH_ERR_REJECTED:
      return {400, false, "the backend refused the event"};
    default:  // unavailable, timeout, shutdown, internal
      return {503, true, "the backend cannot accept events now; retry later"};
  }
}

}  // namespace eventhost::http_plugin
