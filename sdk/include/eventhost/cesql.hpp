// CESQL v1, the CloudEvents SQL Expression Language: parse an expression once, evaluate it over any event.
//
//   auto expr = eventhost::cesql::parse("type LIKE 'com.example.%' AND INT(priority) > 3");
//   if (!expr) throw std::invalid_argument(expr.status().message());   // "position 27: ..."
//   bool pass = eventhost::cesql::matches(*expr, eventhost::cesql::lookup(event));
//
// Attributes are read through a Lookup, so the engine works over a CloudEvent (lookup() below), a plugin's
// EventRef (cesql_eventref.hpp) or anything else that can answer "value and type of attribute NAME".
// Evaluation follows the spec's complete evaluation mode: it always yields a value and collects every error.
// An Expression is immutable and may be evaluated from many threads at once.
#pragma once

#include <eventhost/abi.h>
#include <eventhost/event.hpp>
#include <eventhost/status.hpp>

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace eventhost::cesql {

enum class Type : uint8_t { Boolean, Integer, String };

// "Boolean", "Integer" or "String".
std::string_view type_name(Type type);

// A result value. Default-constructed it is Boolean false, the value the spec falls back to.
class Value {
 public:
  Value() = default;
  static Value boolean(bool b) { return Value(b); }
  static Value integer(int32_t i) { return Value(i); }
  static Value string(std::string s) { return Value(std::move(s)); }

  Type type() const { return static_cast<Type>(v_.index()); }
  bool as_bool() const { return std::get<bool>(v_); }
  int32_t as_int() const { return std::get<int32_t>(v_); }
  const std::string& as_string() const { return std::get<std::string>(v_); }

  friend bool operator==(const Value&, const Value&) = default;

 private:
  template <typename T>
  explicit Value(T v) : v_(std::move(v)) {}
  std::variant<bool, int32_t, std::string> v_{false};  // alternatives in the order of Type
};

// "Boolean true", "Integer -3", "String \"abc\"".
std::string to_string(const Value& value);
std::ostream& operator<<(std::ostream& out, const Value& value);

enum class ErrorKind : uint8_t { Parse, Math, Cast, MissingAttribute, MissingFunction, FunctionEvaluation, Generic };

// The names the spec's conformance suite uses: "parse", "math", "cast", "missingAttribute", "missingFunction",
// "functionEvaluation", "generic".
std::string_view kind_name(ErrorKind kind);

struct Error {
  ErrorKind kind;
  uint32_t position;  // 1-based byte offset in the expression of the operator, function or attribute at fault
  std::string message;
};

// "math error at position 3: division by zero"
std::string to_string(const Error& error);

// An attribute as the event holds it: the canonical string form and its CloudEvents type. Booleans and integers
// become CESQL Boolean and Integer; every other type is a String.
struct Attribute {
  std::string_view value;
  eh_attr_type type;
};

// Answers "which value has attribute NAME" for one evaluation; nullopt when the event lacks it. Two pointers:
// pass by value. It borrows what it was built from, so build it for the call, from an object that outlives it.
class Lookup {
 public:
  using Fn = std::optional<Attribute> (*)(const void* source, std::string_view name);

  Lookup(const void* source, Fn fn) : source_(source), fn_(fn) {}

  // Any callable `(std::string_view name) -> std::optional<Attribute>`.
  template <typename F>
    requires(!std::is_same_v<std::decay_t<F>, Lookup> &&
             std::is_invocable_r_v<std::optional<Attribute>, const F&, std::string_view>)
  Lookup(const F& fn)  // NOLINT: implicit so a lambda can be passed where a Lookup is expected
      : source_(&fn), fn_([](const void* s, std::string_view name) -> std::optional<Attribute> {
          return (*static_cast<const F*>(s))(name);
        }) {}

  std::optional<Attribute> operator()(std::string_view name) const { return fn_(source_, name); }

 private:
  const void* source_;
  Fn fn_;
};

inline Lookup lookup(const CloudEvent& event) {
  return Lookup(&event, [](const void* source, std::string_view name) -> std::optional<Attribute> {
    auto attribute = static_cast<const CloudEvent*>(source)->get_typed(name);
    if (!attribute) return std::nullopt;
    return Attribute{attribute->value, attribute->type};
  });
}
Lookup lookup(const CloudEvent&& event) = delete;  // the Lookup would outlive the event

struct Program;  // the compiled form, private to the engine

// A parsed and compiled expression. Cheap to copy (shared, immutable).
class Expression {
 public:
  // The source text as given to parse().
  const std::string& text() const;
  // Problems found while compiling that make every evaluation fail: calls to functions the engine does not have
  // (MissingFunction). Evaluation reports them again; a filter can refuse such an expression up front.
  const std::vector<Error>& diagnostics() const;

 private:
  explicit Expression(std::shared_ptr<const Program> program) : program_(std::move(program)) {}
  friend Result<Expression> parse(std::string_view text);
  friend struct EvalAccess;
  std::shared_ptr<const Program> program_;
};

// Parses and compiles. On a syntax error the status is EH_ERR_INVALID with "position N: reason".
Result<Expression> parse(std::string_view text);

struct EvalResult {
  Value value;
  std::vector<Error> errors;  // empty when the evaluation raised none
};

// Evaluates in complete evaluation mode: the value the spec defines even after errors, plus every error raised.
EvalResult evaluate(const Expression& expression, Lookup attributes);

enum class Verdict : uint8_t {
  Pass,   // Boolean true and no error
  Fail,   // no error, but not Boolean true
  Error,  // at least one error
};

// The filter question, answered without allocating in the common case and without building error messages.
Verdict judge(const Expression& expression, Lookup attributes);

// True only when the expression evaluates to Boolean true without any error (the Subscriptions API rule).
inline bool matches(const Expression& expression, Lookup attributes) {
  return judge(expression, attributes) == Verdict::Pass;
}

}  // namespace eventhost::cesql
