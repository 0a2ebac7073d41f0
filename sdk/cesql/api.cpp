// The public face of the engine (cesql.hpp): parse, evaluate, judge and the printable forms.
#include "diagnostics.hpp"
#include "evaluator.hpp"
#include "program.hpp"

#include <eventhost/cesql.hpp>

#include <ostream>

namespace eventhost::cesql {

std::string_view type_name(Type type) {
  switch (type) {
    case Type::Boolean: return "Boolean";
    case Type::Integer: return "Integer";
    case Type::String: return "String";
  }
  return "?";
}

std::string to_string(const Value& value) {
  std::string out(type_name(value.type()));
  switch (value.type()) {
    case Type::Boolean: return out + (value.as_bool() ? " true" : " false");
    case Type::Integer: return out + " " + std::to_string(value.as_int());
    case Type::String: return out + " \"" + value.as_string() + "\"";
  }
  return out;
}

std::ostream& operator<<(std::ostream& out, const Value& value) { return out << to_string(value); }

std::string_view kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Parse: return "parse";
    case ErrorKind::Math: return "math";
    case ErrorKind::Cast: return "cast";
    case ErrorKind::MissingAttribute: return "missingAttribute";
    case ErrorKind::MissingFunction: return "missingFunction";
    case ErrorKind::FunctionEvaluation: return "functionEvaluation";
    case ErrorKind::Generic: return "generic";
  }
  return "generic";
}

std::string to_string(const Error& error) {
  return std::string(kind_name(error.kind)) + " error at position " + std::to_string(error.position) + ": " +
         error.message;
}

const std::string& Expression::text() const { return program_->text; }
const std::vector<Error>& Expression::diagnostics() const { return program_->diagnostics; }

Result<Expression> parse(std::string_view text) {
  auto program = std::make_shared<Program>();
  program->text = std::string(text);
  Status status = compile(*program);
  if (!status) return status;
  return Expression(std::move(program));
}

struct EvalAccess {
  static const Program& program(const Expression& e) { return *e.program_; }
};

namespace {

Value to_value(const Scalar& s) {
  switch (s.type) {
    case Type::Integer: return Value::integer(s.integer);
    case Type::String: return Value::string(std::string(s.string));
    case Type::Boolean: break;
  }
  return Value::boolean(s.boolean);
}

}  // namespace

EvalResult evaluate(const Expression& expression, Lookup attributes) {
  EvalResult result;
  Diagnostics diagnostics(&result.errors);
  Evaluator evaluator(EvalAccess::program(expression), attributes, diagnostics);
  result.value = to_value(evaluator.run());
  return result;
}

Verdict judge(const Expression& expression, Lookup attributes) {
  Diagnostics diagnostics(nullptr);
  Evaluator evaluator(EvalAccess::program(expression), attributes, diagnostics);
  Scalar result = evaluator.run();
  if (diagnostics.any()) return Verdict::Error;
  return result.type == Type::Boolean && result.boolean ? Verdict::Pass : Verdict::Fail;
}

}  // namespace eventhost::cesql
