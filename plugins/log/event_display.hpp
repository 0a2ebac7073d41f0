// Renders an event the way Knative's event-display shows it (the CloudEvents Go SDK's Event.String()).
#pragma once

#include <eventhost/event.hpp>

#include <string>

namespace eventhost::log_sink {

std::string display(const CloudEvent& event);

}  // namespace eventhost::log_sink
