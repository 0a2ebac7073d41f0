#include "dialect_tree.hpp"

#include <eventhost/cesql_eventref.hpp>

namespace eventhost::dialects {

bool matches(const Node& node, EventRef event, MatchNotes& notes) {
  switch (node.kind) {
    case Node::Kind::Exact: {
      auto actual = event.get(node.attribute);
      return actual && *actual == node.value;
    }
    case Node::Kind::Prefix: {
      auto actual = event.get(node.attribute);
      return actual && actual->starts_with(node.value);
    }
    case Node::Kind::Suffix: {
      auto actual = event.get(node.attribute);
      return actual && actual->ends_with(node.value);
    }
    case Node::Kind::All:
      for (const Node& child : node.children) {
        if (!matches(child, event, notes)) return false;
      }
      return true;
    case Node::Kind::Any:
      for (const Node& child : node.children) {
        if (matches(child, event, notes)) return true;
      }
      return false;
    case Node::Kind::Not:
      return !matches(node.children.front(), event, notes);
    case Node::Kind::Cesql: {
      cesql::Verdict verdict = cesql::judge(*node.expression, cesql::lookup(event));
      if (verdict == cesql::Verdict::Error) ++notes.evaluation_errors;
      return verdict == cesql::Verdict::Pass;
    }
  }
  return false;
}

}  // namespace eventhost::dialects
