// Walks a compiled Program over one event.
#pragma once

#include "diagnostics.hpp"
#include "program.hpp"
#include "scalar.hpp"
#include "scratch.hpp"

namespace eventhost::cesql {

class Evaluator {
 public:
  Evaluator(const Program& program, Lookup attributes, Diagnostics& diagnostics)
      : program_(program), attributes_(attributes), diagnostics_(diagnostics) {}

  // The root's value; an expression that is just a missing attribute is Boolean false (spec 3.2).
  Scalar run();

 private:
  Scalar eval(uint32_t index);
  Scalar attribute(const Node& n);
  Scalar logic(const Node& n);
  Scalar arithmetic(const Node& n);
  Scalar compare(const Node& n);
  Scalar like(const Node& n);
  Scalar in(const Node& n);
  Scalar call(const Node& n);

  // Implicit cast of an operand to a parameter type; a failed cast is a CastError and yields the zero value.
  Scalar to(Type type, const Scalar& value, const Node& at);

  const Program& program_;
  Lookup attributes_;
  Diagnostics& diagnostics_;
  Scratch scratch_;
};

}  // namespace eventhost::cesql
