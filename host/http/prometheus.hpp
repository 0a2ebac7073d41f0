// The /metrics page in the Prometheus text format (0.0.4).
#pragma once

#include "http/server.hpp"
#include "runtime/memory_bus.hpp"
#include "runtime/pipeline.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace eventhost::host::http {

std::string render_metrics(const std::vector<std::unique_ptr<Pipeline>>& pipelines,
                           const std::map<std::string, std::unique_ptr<MemoryBus>>& buses, const Server& server);

// Why an ingress answer is a rejection, as the `reason` label says it ("" for a success).
std::string_view rejection_reason(int status);

}  // namespace eventhost::host::http
