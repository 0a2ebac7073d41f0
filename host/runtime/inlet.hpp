// Where events enter: a pipeline, or a broker/channel that fans out to pipelines.
#pragma once

#include "runtime/event_impl.hpp"

#include <functional>

namespace eventhost::host {

using Completion = std::function<void(eh_status)>;

class Inlet {
 public:
  virtual ~Inlet() = default;

  // On EH_OK the inlet has taken `event` (it is null afterwards) and calls done exactly once when the event is
  // finished. On any other answer `event` is untouched and done is dropped; EH_ERR_OVERLOADED means "no room now".
  // `force` admits the event even over the limit: replies use it, so that a trigger whose subscriber answers
  // cannot deadlock against its own broker.
  virtual eh_status offer(EventPtr& event, Completion done, bool force = false) = 0;
};

}  // namespace eventhost::host
