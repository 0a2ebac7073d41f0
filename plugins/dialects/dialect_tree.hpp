// The compiled form of a Subscriptions API `filters` array (subscriptions-spec.md 3.2.4): a small tree of tests
// built once at config load and walked per event. Matching reads attributes through the plugin's EventRef and
// allocates nothing, except inside a CESQL expression that builds strings.
#pragma once

#include <eventhost/cesql.hpp>
#include <eventhost/host.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace eventhost::dialects {

struct Node {
  enum class Kind : uint8_t { Exact, Prefix, Suffix, All, Any, Not, Cesql };

  Kind kind;
  std::string attribute;                 // Exact, Prefix, Suffix: one attribute test each
  std::string value;
  std::vector<Node> children;            // All, Any; Not has exactly one
  std::optional<cesql::Expression> expression;  // Cesql
};

// What a match saw besides its answer: CESQL evaluations that raised errors (and therefore failed).
struct MatchNotes {
  uint32_t evaluation_errors = 0;
};

// True when the event passes `node`. A missing attribute fails Exact/Prefix/Suffix; a CESQL error fails Cesql.
bool matches(const Node& node, EventRef event, MatchNotes& notes);

}  // namespace eventhost::dialects
