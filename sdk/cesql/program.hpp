// The compiled expression: a flat array of nodes that refer to each other by index, plus everything they borrow.
#pragma once

#include "functions.hpp"
#include "like.hpp"
#include "scalar.hpp"

#include <eventhost/cesql.hpp>

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace eventhost::cesql {

enum class Op : uint8_t {
  Literal,
  Attribute,
  Exists,
  Not,
  Negate,
  Multiply,
  Divide,
  Modulo,
  Add,
  Subtract,
  Equal,
  NotEqual,
  Less,
  LessEqual,
  Greater,
  GreaterEqual,
  And,
  Or,
  Xor,
  Like,
  In,
  Call,
  UnknownCall,  // no such function: evaluates to false with a MissingFunction error
};

struct Node {
  Op op;
  bool negated = false;  // NOT LIKE, NOT IN
  uint32_t position = 0;
  uint32_t left = 0;   // operand of unary operators, left operand of binary ones, subject of LIKE and IN
  uint32_t right = 0;  // right operand of binary operators
  uint32_t first = 0;  // Call and In: arguments or set members are args[first, first + count)
  uint32_t count = 0;
  Scalar literal{};                    // Literal
  std::string_view name{};             // Attribute, Exists; UnknownCall: the function name
  const Function* function = nullptr;  // Call
  uint32_t pattern = 0;                // Like: index into patterns
};

struct Program {
  std::string text;
  std::deque<std::string> strings;  // unescaped string literals; a deque never moves its elements
  std::vector<LikePattern> patterns;
  std::vector<Node> nodes;
  std::vector<uint32_t> args;
  std::vector<Error> diagnostics;
  uint32_t root = 0;
};

// Fills `program` from program.text; on a syntax error returns "position N: reason".
Status compile(Program& program);

}  // namespace eventhost::cesql
