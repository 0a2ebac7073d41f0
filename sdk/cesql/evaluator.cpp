#include "evaluator.hpp"

#include "cast.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace eventhost::cesql {

namespace {

Scalar from_attribute(const Attribute& a) {
  if (a.type == EH_ATTR_BOOLEAN) {
    if (auto b = parse_boolean(a.value)) return Scalar::of(*b);
  } else if (a.type == EH_ATTR_INTEGER) {
    if (auto i = parse_integer(a.value)) return Scalar::of(*i);
  }
  return Scalar::of(a.value);
}

// 32-bit results of + - * /; an overflow is a MathError and wraps around as two's complement arithmetic does.
Scalar checked(int64_t exact, Diagnostics& diagnostics, const Node& at) {
  if (exact < INT32_MIN || exact > INT32_MAX) {
    diagnostics.add(ErrorKind::Math, at.position, "integer overflow");
    return Scalar::of(static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(exact))));
  }
  return Scalar::of(static_cast<int32_t>(exact));
}

}  // namespace

Scalar Evaluator::run() {
  Scalar result = eval(program_.root);
  return result.missing ? Scalar::of(false) : result;
}

Scalar Evaluator::to(Type type, const Scalar& value, const Node& at) {
  CastResult r = cast(value, type, scratch_);
  if (!r.ok) {
    diagnostics_.add(ErrorKind::Cast, at.position,
                     type == Type::Integer ? "cannot cast to Integer: " : "cannot cast to Boolean: ", value.string);
  }
  return r.value;
}

Scalar Evaluator::eval(uint32_t index) {
  const Node& n = program_.nodes[index];
  switch (n.op) {
    case Op::Literal: return n.literal;
    case Op::Attribute: return attribute(n);
    case Op::Exists: return Scalar::of(attributes_(n.name).has_value());
    case Op::Not: {
      Scalar x = eval(n.left);
      return x.missing ? Scalar::of(false) : Scalar::of(!to(Type::Boolean, x, n).boolean);
    }
    case Op::Negate: {
      Scalar x = eval(n.left);
      return x.missing ? Scalar::of(int32_t{0}) : checked(-int64_t{to(Type::Integer, x, n).integer}, diagnostics_, n);
    }
    case Op::Multiply:
    case Op::Divide:
    case Op::Modulo:
    case Op::Add:
    case Op::Subtract: return arithmetic(n);
    case Op::Equal:
    case Op::NotEqual:
    case Op::Less:
    case Op::LessEqual:
    case Op::Greater:
    case Op::GreaterEqual: return compare(n);
    case Op::And:
    case Op::Or:
    case Op::Xor: return logic(n);
    case Op::Like: return like(n);
    case Op::In: return in(n);
    case Op::Call: return call(n);
    case Op::UnknownCall:
      diagnostics_.add(ErrorKind::MissingFunction, n.position, "no such function: ", n.name);
      return Scalar::of(false);
  }
  return Scalar::of(false);
}

Scalar Evaluator::attribute(const Node& n) {
  if (auto a = attributes_(n.name)) return from_attribute(*a);
  diagnostics_.add(ErrorKind::MissingAttribute, n.position, "no attribute ", n.name);
  return Scalar::absent();
}

// AND and OR skip their right operand once the left one decides (spec 3.4.2); a missing operand makes the
// whole operation false.
Scalar Evaluator::logic(const Node& n) {
  Scalar x = eval(n.left);
  if (x.missing) return Scalar::of(false);
  bool left = to(Type::Boolean, x, n).boolean;
  if (n.op == Op::And && !left) return Scalar::of(false);
  if (n.op == Op::Or && left) return Scalar::of(true);
  Scalar y = eval(n.right);
  if (y.missing) return Scalar::of(false);
  bool right = to(Type::Boolean, y, n).boolean;
  return Scalar::of(n.op == Op::Xor ? left != right : right);
}

Scalar Evaluator::arithmetic(const Node& n) {
  Scalar x = eval(n.left);
  Scalar y = eval(n.right);
  if (x.missing || y.missing) return Scalar::of(int32_t{0});
  int64_t a = to(Type::Integer, x, n).integer;
  int64_t b = to(Type::Integer, y, n).integer;
  switch (n.op) {
    case Op::Add: return checked(a + b, diagnostics_, n);
    case Op::Subtract: return checked(a - b, diagnostics_, n);
    case Op::Multiply: return checked(a * b, diagnostics_, n);
    case Op::Divide:
    case Op::Modulo:
      if (b == 0) {
        diagnostics_.add(ErrorKind::Math, n.position, "division by zero");
        return Scalar::of(int32_t{0});
      }
      // int64_t keeps INT32_MIN / -1 defined; C++ truncates towards zero and gives % the sign of the dividend.
      return n.op == Op::Divide ? checked(a / b, diagnostics_, n) : Scalar::of(static_cast<int32_t>(a % b));
    default: return Scalar::of(int32_t{0});
  }
}

// `=` and `!=` are ambiguous (defined for each type), so the left operand takes the right operand's type
// (spec 3.7); the ordering operators exist for integers only.
Scalar Evaluator::compare(const Node& n) {
  Scalar x = eval(n.left);
  Scalar y = eval(n.right);
  if (x.missing || y.missing) return Scalar::of(false);
  if (n.op == Op::Equal || n.op == Op::NotEqual) {
    bool equal = same_value(to(y.type, x, n), y);
    return Scalar::of(equal == (n.op == Op::Equal));
  }
  int32_t a = to(Type::Integer, x, n).integer;
  int32_t b = to(Type::Integer, y, n).integer;
  switch (n.op) {
    case Op::Less: return Scalar::of(a < b);
    case Op::LessEqual: return Scalar::of(a <= b);
    case Op::Greater: return Scalar::of(a > b);
    default: return Scalar::of(a >= b);
  }
}

Scalar Evaluator::like(const Node& n) {
  Scalar x = eval(n.left);
  if (x.missing) return Scalar::of(false);
  bool matched = program_.patterns[n.pattern].matches(to(Type::String, x, n).string);
  return Scalar::of(matched != n.negated);
}

// Every member is evaluated, so the errors inside each are reported; members are cast to the subject's type
// (spec 3.7) and compared until one matches.
Scalar Evaluator::in(const Node& n) {
  Scalar x = eval(n.left);
  bool missing = x.missing;
  bool found = false;
  for (uint32_t i = 0; i < n.count; ++i) {
    Scalar member = eval(program_.args[n.first + i]);
    missing = missing || member.missing;
    if (!missing && !found) found = same_value(to(x.type, member, n), x);
  }
  if (missing) return Scalar::of(false);
  return Scalar::of(found != n.negated);
}

Scalar Evaluator::call(const Node& n) {
  const Function& f = *n.function;
  std::array<Scalar, 4> inline_args;
  std::vector<Scalar> many_args;  // only for calls with more arguments than inline_args holds
  if (n.count > inline_args.size()) many_args.resize(n.count);
  std::span<Scalar> args =
      many_args.empty() ? std::span<Scalar>(inline_args).first(n.count) : std::span<Scalar>(many_args);
  bool missing = false;
  for (uint32_t i = 0; i < n.count; ++i) {
    Scalar a = eval(program_.args[n.first + i]);
    missing = missing || a.missing;
    Param p = f.parameter(i);
    args[i] = (a.missing || p == Param::Any) ? a : to(type_of(p), a, n);
  }
  if (missing) return Scalar::zero(f.result);
  CallContext context{scratch_, diagnostics_, n.position};
  return f.call(args, context);
}

}  // namespace eventhost::cesql
