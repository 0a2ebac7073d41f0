// The built-in functions, including their error results and non-ASCII text.
#include "test_support.hpp"

namespace {

using namespace cesql_test;
using cesql::Value;

Value value_of(std::string_view text) { return eval(text).value; }

TEST(CesqlFunctions, LengthCountsCharacters) {
  EXPECT_EQ(value_of("LENGTH('héllo')"), Value::integer(5));
  EXPECT_EQ(value_of("LENGTH('日本語')"), Value::integer(3));
  EXPECT_EQ(value_of("LENGTH(12345)"), Value::integer(5));
}

TEST(CesqlFunctions, Concat) {
  EXPECT_EQ(value_of("CONCAT('a', 1, TRUE, 'b', 'c', 'd')"), Value::string("a1truebcd"));  // more than 4 args
  EXPECT_EQ(value_of("CONCAT_WS(', ', 'x', 'y', 'z')"), Value::string("x, y, z"));
  EXPECT_EQ(value_of("CONCAT_WS(1, 2, 3)"), Value::string("213"));
  EXPECT_EQ(cesql::kind_name(eval("CONCAT_WS()").errors.at(0).kind), "missingFunction");
}

TEST(CesqlFunctions, CaseMapping) {
  EXPECT_EQ(value_of("UPPER('abc-xyz_09')"), Value::string("ABC-XYZ_09"));
  EXPECT_EQ(value_of("LOWER('ÀÉÎÕÜ ĀŁŽ ΑΒΓ АБВ Ѐ')"), Value::string("àéîõü āłž αβγ абв ѐ"));
  EXPECT_EQ(value_of("UPPER('àéîõüÿ āłž αβγς абв ѐ')"), Value::string("ÀÉÎÕÜŸ ĀŁŽ ΑΒΓΣ АБВ Ѐ"));
  EXPECT_EQ(value_of("UPPER('ß日本')"), Value::string("ß日本"));  // unchanged where the mapping would grow
  EXPECT_EQ(value_of("LOWER(TRUE)"), Value::string("true"));
}

TEST(CesqlFunctions, TrimRemovesUnicodeWhitespace) {
  EXPECT_EQ(value_of("TRIM(' \t a b \n')"), Value::string("a b"));
  EXPECT_EQ(value_of("TRIM('\u00a0\u3000x\u2003')"), Value::string("x"));
  EXPECT_EQ(value_of("TRIM('   ')"), Value::string(""));
  EXPECT_EQ(value_of("TRIM('é ')"), Value::string("é"));
}

TEST(CesqlFunctions, LeftAndRight) {
  EXPECT_EQ(value_of("LEFT('héllo', 2)"), Value::string("hé"));
  EXPECT_EQ(value_of("RIGHT('héllo', 4)"), Value::string("éllo"));
  EXPECT_EQ(value_of("LEFT('abc', 0)"), Value::string(""));
  EXPECT_EQ(value_of("RIGHT('abc', 0)"), Value::string(""));
  auto r = eval("RIGHT('abc', -1)");
  EXPECT_EQ(r.value, Value::string("abc"));
  EXPECT_EQ(kinds(r), "functionEvaluation");
  EXPECT_EQ(cesql::to_string(r.errors[0]), "functionEvaluation error at position 1: RIGHT: the length is negative");
}

TEST(CesqlFunctions, Substring) {
  EXPECT_EQ(value_of("SUBSTRING('héllo', 2, 3)"), Value::string("éll"));
  EXPECT_EQ(value_of("SUBSTRING('héllo', -4)"), Value::string("éllo"));
  EXPECT_EQ(value_of("SUBSTRING('abc', 3)"), Value::string("c"));
  EXPECT_EQ(value_of("SUBSTRING('abc', -3)"), Value::string("abc"));
  EXPECT_EQ(value_of("SUBSTRING('abc', 2, 0)"), Value::string(""));
  EXPECT_EQ(value_of("SUBSTRING('abc', 2, 2147483647)"), Value::string("bc"));
  auto r = eval("SUBSTRING('abc', 1, -1)");
  EXPECT_EQ(r.value, Value::string(""));
  EXPECT_EQ(kinds(r), "functionEvaluation");
  EXPECT_EQ(kinds(eval("SUBSTRING('abc', 4)")), "functionEvaluation");
  EXPECT_EQ(kinds(eval("SUBSTRING('', 1)")), "functionEvaluation");
}

TEST(CesqlFunctions, Abs) {
  EXPECT_EQ(value_of("ABS('-4')"), Value::integer(4));
  auto r = eval("ABS(-2147483648)");
  EXPECT_EQ(r.value, Value::integer(INT32_MAX));
  EXPECT_EQ(kinds(r), "math");
}

TEST(CesqlFunctions, Casts) {
  EXPECT_EQ(value_of("INT('+12')"), Value::integer(12));
  EXPECT_EQ(value_of("INT('-0')"), Value::integer(0));
  EXPECT_EQ(kinds(eval("INT(' 12')")), "cast");
  EXPECT_EQ(kinds(eval("INT('2147483648')")), "cast");
  EXPECT_EQ(value_of("INT('-2147483648')"), Value::integer(INT32_MIN));
  EXPECT_EQ(kinds(eval("INT('')")), "cast");
  EXPECT_EQ(kinds(eval("INT('+')")), "cast");
  EXPECT_EQ(value_of("BOOL('fAlSe')"), Value::boolean(false));
  EXPECT_EQ(value_of("STRING(-2147483648)"), Value::string("-2147483648"));
  EXPECT_EQ(value_of("STRING(1 = 1)"), Value::string("true"));
}

TEST(CesqlFunctions, TypePredicates) {
  EXPECT_EQ(value_of("IS_INT('42')"), Value::boolean(true));
  EXPECT_EQ(value_of("IS_INT('4x')"), Value::boolean(false));
  EXPECT_EQ(value_of("IS_INT(TRUE)"), Value::boolean(true));
  EXPECT_EQ(value_of("IS_BOOL('TRUE')"), Value::boolean(true));
  EXPECT_EQ(value_of("IS_BOOL('yes')"), Value::boolean(false));
  EXPECT_EQ(value_of("IS_BOOL(0)"), Value::boolean(true));
  EXPECT_TRUE(eval("IS_INT('x')").errors.empty());
}

}  // namespace
