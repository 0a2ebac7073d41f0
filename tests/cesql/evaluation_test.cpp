// Semantics: attribute types, missing attributes, casts, errors, short circuits, LIKE, IN and the filter verdict.
#include "test_support.hpp"

#include <eventhost/cesql_eventref.hpp>

#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace cesql_test;
using cesql::ErrorKind;
using cesql::Value;

TEST(CesqlEval, TypedAttributesKeepTheirCesqlType) {
  auto event = event_with({{"flag", "true", EH_ATTR_BOOLEAN},
                           {"count", "42", EH_ATTR_INTEGER},
                           {"when", "2024-01-02T03:04:05Z", EH_ATTR_TIMESTAMP},
                           {"digits", "42", EH_ATTR_STRING}});
  EXPECT_EQ(eval("flag", event).value, Value::boolean(true));
  EXPECT_EQ(eval("count", event).value, Value::integer(42));
  EXPECT_EQ(eval("when", event).value, Value::string("2024-01-02T03:04:05Z"));
  EXPECT_EQ(eval("source", event).value, Value::string("/unit"));
  EXPECT_EQ(eval("digits", event).value, Value::string("42"));
  EXPECT_EQ(eval("count = '42'", event).value, Value::boolean(true));  // 42 takes the right operand's type
}

TEST(CesqlEval, EqualityCastsTheLeftOperandToTheRightOperandsType) {
  auto event = event_with({{"count", "42", EH_ATTR_INTEGER}, {"seq", "007", EH_ATTR_STRING}});
  EXPECT_EQ(eval("seq = 7", event).value, Value::boolean(true));
  EXPECT_EQ(eval("seq = '7'", event).value, Value::boolean(false));
  EXPECT_EQ(eval("true = 'TRUE'").value, Value::boolean(false));
  EXPECT_EQ(eval("'TRUE' = true").value, Value::boolean(true));
  auto r = eval("'abc' = 1");
  EXPECT_EQ(r.value, Value::boolean(false));
  EXPECT_EQ(kinds(r), "cast");
  EXPECT_EQ(r.errors[0].message, "cannot cast to Integer: abc");
  EXPECT_EQ(r.errors[0].position, 7u);
}

TEST(CesqlEval, MissingAttributeGivesTheZeroValueOfTheEnclosingOperation) {
  EXPECT_EQ(eval("missing").value, Value::boolean(false));
  EXPECT_EQ(eval("missing * 5").value, Value::integer(0));
  EXPECT_EQ(eval("1 / missing").value, Value::integer(0));
  EXPECT_EQ(eval("UPPER(missing)").value, Value::string(""));
  EXPECT_EQ(eval("LENGTH(missing) + 3").value, Value::integer(3));
  EXPECT_EQ(eval("missing NOT LIKE 'x'").value, Value::boolean(false));
  EXPECT_EQ(eval("1 NOT IN (missing, 2)").value, Value::boolean(false));
  EXPECT_EQ(eval("NOT EXISTS missing").value, Value::boolean(true));
  auto r = eval("1 / missing");
  EXPECT_EQ(kinds(r), "missingAttribute");  // no MathError: the division never happens
  EXPECT_EQ(cesql::to_string(r.errors[0]), "missingAttribute error at position 5: no attribute missing");
}

TEST(CesqlEval, CompleteEvaluationCollectsEveryError) {
  auto r = eval("1 / 0 = 0 XOR INT('x') = 0 XOR UNKNOWN()");
  EXPECT_EQ(kinds(r), "math,cast,missingFunction");
  EXPECT_EQ(r.value, Value::boolean(false));  // true XOR true XOR false
}

// A Lookup that records which attributes the evaluation asked for.
struct Recorder {
  eventhost::CloudEvent event = event_with({{"a", "1", EH_ATTR_STRING}});
  mutable std::vector<std::string> asked;
  std::optional<cesql::Attribute> operator()(std::string_view name) const {
    asked.emplace_back(name);
    return cesql::lookup(event)(name);
  }
};

TEST(CesqlEval, AndOrShortCircuit) {
  Recorder recorder;
  auto r = cesql::evaluate(compile("FALSE AND b = 1 / 0"), recorder);
  EXPECT_EQ(r.value, Value::boolean(false));
  EXPECT_TRUE(r.errors.empty());
  r = cesql::evaluate(compile("a = 1 OR b = 1 / 0"), recorder);
  EXPECT_EQ(r.value, Value::boolean(true));
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(recorder.asked, std::vector<std::string>{"a"});
  r = cesql::evaluate(compile("a = 2 XOR b = 1"), recorder);
  EXPECT_EQ(kinds(r), "missingAttribute");  // XOR evaluates both sides
}

TEST(CesqlEval, IntegerArithmetic) {
  EXPECT_EQ(eval("-7 / 2").value, Value::integer(-3));  // truncated towards zero
  EXPECT_EQ(eval("-7 % 3").value, Value::integer(-1));  // sign of the dividend
  EXPECT_EQ(eval("7 % -3").value, Value::integer(1));
  auto r = eval("5 % 0");
  EXPECT_EQ(r.value, Value::integer(0));
  EXPECT_EQ(kinds(r), "math");
  r = eval("2147483647 + 1");
  EXPECT_EQ(r.value, Value::integer(INT32_MIN));
  EXPECT_EQ(kinds(r), "math");
  EXPECT_EQ(kinds(eval("-2147483648 / -1")), "math");
  EXPECT_EQ(eval("-2147483648 % -1").value, Value::integer(0));
  EXPECT_EQ(kinds(eval("-(-2147483648)")), "math");
  EXPECT_EQ(eval("'3' * '4'").value, Value::integer(12));
  EXPECT_EQ(eval("'+3' - FALSE").value, Value::integer(3));
}

TEST(CesqlEval, OrderingComparesIntegers) {
  auto event = event_with({{"hop", "5", EH_ATTR_STRING}, {"ttl", "10", EH_ATTR_STRING}});
  EXPECT_EQ(eval("hop < ttl", event).value, Value::boolean(true));  // 5 < 10, not "5" < "10"
  auto r = eval("'b' > 'a'");
  EXPECT_EQ(kinds(r), "cast,cast");
}

TEST(CesqlEval, BooleanCasts) {
  EXPECT_EQ(eval("NOT 'true'").value, Value::boolean(false));
  EXPECT_EQ(eval("NOT 0").value, Value::boolean(true));
  auto r = eval("NOT 'yes'");
  EXPECT_EQ(r.value, Value::boolean(true));  // the failed cast yields false, NOT false is true
  EXPECT_EQ(kinds(r), "cast");
  EXPECT_EQ(eval("1 AND 'TRUE'").value, Value::boolean(true));
}

TEST(CesqlEval, Like) {
  auto event = event_with({{"path", "a/b%c", EH_ATTR_STRING}});
  EXPECT_EQ(eval("path LIKE 'a/%'", event).value, Value::boolean(true));
  EXPECT_EQ(eval(R"(path LIKE '%\%c')", event).value, Value::boolean(true));
  EXPECT_EQ(eval(R"(path LIKE '%\%')", event).value, Value::boolean(false));
  EXPECT_EQ(eval("'' LIKE '%'").value, Value::boolean(true));
  EXPECT_EQ(eval("'' LIKE '_'").value, Value::boolean(false));
  EXPECT_EQ(eval("'aXbXc' LIKE '%X%X%'").value, Value::boolean(true));
  EXPECT_EQ(eval("'abcabd' LIKE '%ab_'").value, Value::boolean(true));
  EXPECT_EQ(eval("'ABC' LIKE 'abc'").value, Value::boolean(false));  // case sensitive
  EXPECT_EQ(eval("'héllo' LIKE 'h_llo'").value, Value::boolean(true));  // `_` is one character, not one byte
  EXPECT_EQ(eval("'日本語' LIKE '__語'").value, Value::boolean(true));
  EXPECT_EQ(eval(R"('a\b' LIKE 'a\b')").value, Value::boolean(true));  // a lone backslash is literal
  EXPECT_EQ(eval("12 LIKE '1%'").value, Value::boolean(true));
}

TEST(CesqlEval, InUsesTheSubjectsType) {
  EXPECT_EQ(eval("'1' IN (1, 2)").value, Value::boolean(true));
  EXPECT_EQ(eval("1 IN ('01')").value, Value::boolean(true));
  EXPECT_EQ(eval("'01' IN (1)").value, Value::boolean(false));
  EXPECT_EQ(eval("3 NOT IN (1, 2)").value, Value::boolean(true));
  auto r = eval("1 IN ('x', 1)");
  EXPECT_EQ(r.value, Value::boolean(true));
  EXPECT_EQ(kinds(r), "cast");
  EXPECT_EQ(kinds(eval("1 IN (1, 'x')")), "");  // compared until one matches
  EXPECT_EQ(kinds(eval("1 IN (1, 2 / 0)")), "math");  // but every member is evaluated
}

TEST(CesqlEval, ExistsAsksTheEvent) {
  auto event = event_with({{"subject", "s", EH_ATTR_STRING}});
  EXPECT_EQ(eval("EXISTS subject AND EXISTS id AND NOT EXISTS dataschema", event).value, Value::boolean(true));
}

TEST(CesqlEval, JudgeIsTheFilterVerdict) {
  auto event = event_with({{"n", "3", EH_ATTR_INTEGER}});
  auto verdict = [&](std::string_view text) { return cesql::judge(compile(text), cesql::lookup(event)); };
  EXPECT_EQ(verdict("n = 3"), cesql::Verdict::Pass);
  EXPECT_EQ(verdict("n = 4"), cesql::Verdict::Fail);
  EXPECT_EQ(verdict("n"), cesql::Verdict::Fail);  // an Integer is not a pass, even when non-zero
  EXPECT_EQ(verdict("'true'"), cesql::Verdict::Fail);
  EXPECT_EQ(verdict("n = 3 OR missing = 1"), cesql::Verdict::Pass);  // short circuit: never looked up
  EXPECT_EQ(verdict("n = 3 AND missing = ''"), cesql::Verdict::Error);
  EXPECT_EQ(verdict("1 / 0 = 0"), cesql::Verdict::Error);  // true, but with an error
  EXPECT_TRUE(cesql::matches(compile("type LIKE 'com.example.%'"), cesql::lookup(event)));
}

TEST(CesqlEval, LambdaLookup) {
  auto lookup = [](std::string_view name) -> std::optional<cesql::Attribute> {
    if (name == "level") return cesql::Attribute{"7", EH_ATTR_INTEGER};
    return std::nullopt;
  };
  EXPECT_TRUE(cesql::matches(compile("level > 5"), lookup));
}

// The EventRef adapter over a minimal host API that serves one CloudEvent.
TEST(CesqlEval, EventRefAdapter) {
  auto event = event_with({{"flag", "true", EH_ATTR_BOOLEAN}});
  eh_host_api api{};
  api.event_get = [](const eh_event* e, eh_str name, eh_str* value, eh_attr_type* type) {
    auto a = reinterpret_cast<const eventhost::CloudEvent*>(e)->get_typed({name.ptr, name.len});
    if (!a) return EH_ERR_NOT_FOUND;
    *value = eh_str{a->value.data(), a->value.size()};
    if (type != nullptr) *type = a->type;
    return EH_OK;
  };
  eventhost::EventRef ref(&api, reinterpret_cast<const eh_event*>(&event));
  EXPECT_TRUE(cesql::matches(compile("flag AND type = 'com.example.test'"), cesql::lookup(ref)));
}

TEST(CesqlValue, PrintsWithItsTypeName) {
  EXPECT_EQ(cesql::to_string(Value::boolean(true)), "Boolean true");
  EXPECT_EQ(cesql::to_string(Value::integer(-3)), "Integer -3");
  EXPECT_EQ(cesql::to_string(Value::string("abc")), "String \"abc\"");
  EXPECT_EQ(cesql::to_string(Value()), "Boolean false");
  std::ostringstream out;
  out << Value::integer(5);
  EXPECT_EQ(out.str(), "Integer 5");
  EXPECT_EQ(cesql::type_name(Value::string("").type()), "String");
}

}  // namespace
