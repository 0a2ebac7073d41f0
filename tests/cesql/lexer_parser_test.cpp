// Syntax: what parses, how it groups, and the position and reason of what does not.
#include "test_support.hpp"

#include <gmock/gmock.h>

namespace {

using namespace cesql_test;
using cesql::Value;
using ::testing::HasSubstr;

TEST(CesqlParse, ReportsPositionAndReason) {
  EXPECT_EQ(parse_error("ABC("), "position 5: expected an expression, found the end of the expression");
  EXPECT_EQ(parse_error("type = 'abc"), "position 8: unterminated string literal");
  EXPECT_EQ(parse_error("1 + #"), "position 5: unexpected character '#'");
  EXPECT_EQ(parse_error("x LIKE 123"), "position 8: LIKE needs a string literal as its pattern, found '123'");
  EXPECT_EQ(parse_error("(1 + 2"), "position 7: expected ')', found the end of the expression");
  EXPECT_EQ(parse_error("1 2"), "position 3: unexpected '2' after a complete expression");
  EXPECT_EQ(parse_error("a AND"), "position 6: expected an expression, found the end of the expression");
  EXPECT_EQ(parse_error("x IN 1"), "position 6: expected '(' to open the set after IN, found '1'");
  EXPECT_EQ(parse_error("x IN ()"), "position 7: expected an expression, found ')'");
  EXPECT_EQ(parse_error("EXISTS 'id'"), "position 8: EXISTS needs an attribute name (lower-case letters and digits), "
                                        "found 'id'");
  EXPECT_EQ(parse_error("a ! b"), "position 3: unexpected character '!'");
  EXPECT_EQ(parse_error("a == b"), "position 4: expected an expression, found '='");
  EXPECT_EQ(parse_error("+x"), "position 1: '+' must be followed by an integer literal");
  EXPECT_EQ(parse_error("AND"), "position 1: expected an expression, found the keyword 'AND'");
  EXPECT_EQ(parse_error(""), "position 1: expected an expression, found the end of the expression");
}

TEST(CesqlParse, BoundsNesting) {
  EXPECT_TRUE(cesql::parse(std::string(50, '(') + "1" + std::string(50, ')')));
  EXPECT_THAT(parse_error(std::string(5000, '(') + "1" + std::string(5000, ')')),
              HasSubstr("expression nested too deeply"));
  EXPECT_THAT(parse_error(std::string(5000, '-') + "1"), HasSubstr("expression nested too deeply"));
}

TEST(CesqlParse, IdentifiersFollowTheGrammar) {
  EXPECT_EQ(parse_error("SOURCE = 'x'"),
            "position 1: 'SOURCE' is not an attribute name: attribute names are lower-case letters and digits");
  EXPECT_THAT(parse_error("my_ext = 1"), HasSubstr("is not an attribute name"));
  EXPECT_EQ(parse_error("f2(1)"), "position 1: 'f2' is not a function name: function names are letters and '_'");
  EXPECT_TRUE(cesql::parse("ext1 = 1 AND 1ext = 2"));
}

TEST(CesqlParse, IntegerLiteralsAre32Bit) {
  EXPECT_EQ(parse_error("2147483648"), "position 1: integer literal 2147483648 does not fit in 32 bits");
  EXPECT_EQ(parse_error("1 + -2147483649"), "position 5: integer literal -2147483649 does not fit in 32 bits");
  EXPECT_EQ(eval("-2147483648").value, Value::integer(INT32_MIN));
  EXPECT_EQ(eval("+7").value, Value::integer(7));
  EXPECT_EQ(eval("2147483647").value, Value::integer(INT32_MAX));
}

TEST(CesqlParse, KeywordsAndFunctionNamesIgnoreCase) {
  EXPECT_EQ(eval("tRuE aNd NoT fAlSe").value, Value::boolean(true));
  EXPECT_EQ(eval("'ab' nOt LiKe 'a%'").value, Value::boolean(false));
  EXPECT_EQ(eval("1 In (1)").value, Value::boolean(true));
  EXPECT_EQ(eval("exists id").value, Value::boolean(true));
  EXPECT_EQ(eval("concat_ws('-', 'a', 'b')").value, Value::string("a-b"));
}

TEST(CesqlParse, StringEscapes) {
  EXPECT_EQ(eval(R"('it\'s')").value, Value::string("it's"));
  EXPECT_EQ(eval(R"("say \"hi\"")").value, Value::string("say \"hi\""));
  // Only the delimiter is escaped; other backslashes stay for LIKE to read.
  EXPECT_EQ(eval(R"('a\%b\"c')").value, Value::string(R"(a\%b\"c)"));
  EXPECT_EQ(eval(R"("it's")").value, Value::string("it's"));
}

// Spec 3.6: * / % before + -, before comparisons, before AND/OR/XOR, which share one level, left to right.
TEST(CesqlParse, Precedence) {
  EXPECT_EQ(eval("2 + 3 * 4").value, Value::integer(14));
  EXPECT_EQ(eval("10 - 4 - 3").value, Value::integer(3));
  EXPECT_EQ(eval("20 / 5 / 2").value, Value::integer(2));
  EXPECT_EQ(eval("4 -1").value, Value::integer(3));
  EXPECT_EQ(eval("4 - -1").value, Value::integer(5));
  EXPECT_EQ(eval("1 + 2 = 3").value, Value::boolean(true));
  EXPECT_EQ(eval("TRUE OR FALSE AND FALSE").value, Value::boolean(false));  // (TRUE OR FALSE) AND FALSE
  EXPECT_EQ(eval("TRUE OR (FALSE AND FALSE)").value, Value::boolean(true));
  EXPECT_EQ(eval("FALSE AND FALSE OR TRUE").value, Value::boolean(true));
  EXPECT_EQ(eval("NOT FALSE AND TRUE").value, Value::boolean(true));  // (NOT FALSE) AND TRUE
  EXPECT_EQ(eval("-2 * 3").value, Value::integer(-6));
  EXPECT_EQ(eval("ABS(-2) * 3").value, Value::integer(6));
  EXPECT_EQ(eval("1 + 1 IN (1)").value, Value::integer(2));  // IN binds tighter than +: 1 + (1 IN (1))
}

TEST(CesqlParse, UnknownFunctionsAreDiagnosedAtCompileTime) {
  auto expression = compile("type = 'x' OR FOO(1, 2)");
  ASSERT_EQ(expression.diagnostics().size(), 1u);
  EXPECT_EQ(cesql::to_string(expression.diagnostics()[0]),
            "missingFunction error at position 15: no function FOO taking 2 argument(s)");
  EXPECT_EQ(compile("LEFT('a')").diagnostics().size(), 1u);  // exists, but not with one argument
  EXPECT_TRUE(compile("CONCAT()").diagnostics().empty());
}

TEST(CesqlParse, ExpressionKeepsItsText) {
  auto expression = compile("  id = 'x'  ");
  EXPECT_EQ(expression.text(), "  id = 'x'  ");
  cesql::Expression copy = expression;  // shared and immutable
  EXPECT_EQ(copy.text(), expression.text());
}

}  // namespace
