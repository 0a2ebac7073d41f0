// What the opaque eh_event of the ABI is inside the host.
#pragma once

#include <eventhost/abi.h>
#include <eventhost/event.hpp>

#include <memory>

struct eh_event {
  eventhost::CloudEvent ce;
};

namespace eventhost::host {

using EventPtr = std::unique_ptr<eh_event>;

inline EventPtr clone_event(const eh_event& e) { return std::make_unique<eh_event>(e); }

}  // namespace eventhost::host
