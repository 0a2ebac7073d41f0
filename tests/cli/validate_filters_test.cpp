// `eventhost validate` refuses invalid trigger filters with FILE:LINE:COL, the key path and the plugin's reason,
// and accepts valid ones: the same load path `run` and a reload take.
#include "cli_runner.hpp"

namespace {

using cli_test::eventhost;
using cli_test::Scratch;

std::string trigger_with(const std::string& filter_lines) {
  return "[brokers.default]\n"                  // line 1
         "\n"                                   // line 2
         "[[triggers]]\n"                       // line 3
         "name = \"orders\"\n"                  // line 4
         "broker = \"default\"\n"               // line 5
         "subscriber = { plugin = \"log\" }\n"  // line 6
         + filter_lines;                        // line 7...
}

// The reason validate gives for `config`, after "FILE:LINE:COL: KEYPATH: plugin 'NAME' (PATH) rejected its config: ".
struct Refusal {
  std::string location;  // FILE:LINE:COL: KEYPATH
  std::string plugin;
  std::string reason;
};

Refusal validate_refusal(const Scratch& scratch, const std::string& toml) {
  std::string file = scratch.write("trigger.toml", toml);
  auto r = eventhost({"validate", file});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.out, "");  // no "ok" summary
  Refusal refusal;
  const std::string prefix = file + ":";  // compiler style: the line starts with the place
  if (r.err.rfind(prefix, 0) != 0) {
    ADD_FAILURE() << r.err;
    return refusal;
  }
  size_t plugin_at = r.err.find(": plugin '");
  size_t rejected_at = r.err.find(") rejected its config: ");
  if (plugin_at == std::string::npos || rejected_at == std::string::npos || r.err.back() != '\n') {
    ADD_FAILURE() << r.err;
    return refusal;
  }
  refusal.location = r.err.substr(prefix.size(), plugin_at - prefix.size());
  refusal.plugin = r.err.substr(plugin_at + 10, r.err.find('\'', plugin_at + 10) - plugin_at - 10);
  refusal.reason = r.err.substr(rejected_at + 23, r.err.size() - rejected_at - 24);
  return refusal;
}

TEST(ValidateFilters, UnknownNestedDialect) {
  SKIP_WITHOUT_EVENTHOST();
  Scratch scratch;
  auto refusal = validate_refusal(scratch, trigger_with("filters = [\n"
                                                        "  { exact = { type = \"com.example.order\" } },\n"
                                                        "  { any = [ { prefx = { source = \"/shop\" } } ] },\n"
                                                        "]\n"));
  EXPECT_EQ(refusal.location, "7:11: triggers[0].filters");
  EXPECT_EQ(refusal.plugin, "dialects");
  EXPECT_EQ(refusal.reason, "filters[1].any[0]: unknown dialect 'prefx' (did you mean 'prefix'?)");
}

TEST(ValidateFilters, EachKindOfInvalidFilter) {
  SKIP_WITHOUT_EVENTHOST();
  Scratch scratch;
  struct Case {
    const char* filters;
    const char* reason;
  };
  const Case cases[] = {
      {R"(filters = [ { exact = { type = "" } } ])",
       "filters[0].exact.type: value must not be empty (spec 3.2.4.1.1); to require only that the attribute exists, "
       "use { cesql = \"EXISTS type\" }"},
      {R"(filters = [ { prefix = { "" = "a" } } ])", "filters[0].prefix: attribute name must not be empty"},
      {R"(filters = [ { exact = { type = "a" }, suffix = { type = "b" } } ])",
       "filters[0]: names more than one dialect ('exact' and 'suffix'): one dialect per entry; combine them with "
       "all = [...]"},
      {R"(filters = [ { cesql = "type = " } ])",
       "filters[0].cesql: position 8: expected an expression, found the end of the expression"},
      {R"(filters = [ { regex = { type = "a.*" } } ])", "filters[0]: unknown dialect 'regex'"},
      {R"(filters = [ { exact = { priority = 5 } } ])",
       "filters[0].exact.priority: expected a string, got an integer (attributes compare by their string form: "
       "write \"5\")"},
      {R"(filters = [ { all = [] } ])", "filters[0].all: needs at least one filter (spec 3.2.4.1.1)"},
  };
  for (const Case& c : cases) {
    auto refusal = validate_refusal(scratch, trigger_with(std::string(c.filters) + "\n"));
    EXPECT_EQ(refusal.location, "7:11: triggers[0].filters") << c.filters;
    EXPECT_EQ(refusal.reason, c.reason) << c.filters;
  }
}

TEST(ValidateFilters, InvalidAttributesFilter) {
  SKIP_WITHOUT_EVENTHOST();
  Scratch scratch;
  auto refusal = validate_refusal(scratch, trigger_with("filter.attributes = { Type = \"com.example\" }\n"));
  EXPECT_EQ(refusal.location.substr(refusal.location.find(' ')), " triggers[0].filter");
  EXPECT_EQ(refusal.plugin, "attributes");
  EXPECT_EQ(refusal.reason,
            "attributes.Type: 'Type' is not a CloudEvents attribute name (lower-case letters and digits only), so no "
            "event could have it");
}

TEST(ValidateFilters, ValidFiltersPass) {
  SKIP_WITHOUT_EVENTHOST();
  Scratch scratch;
  std::string file = scratch.write(
      "trigger.toml", trigger_with("filters = [\n"
                                   "  { prefix = { type = \"com.example.\" } },\n"
                                   "  { not = { suffix = { type = \".deleted\" } } },\n"
                                   "  { any = [ { exact = { region = \"eu\" } }, { cesql = \"priority > 3\" } ] },\n"
                                   "]\n"
                                   "filter.attributes = { type = \"ignored: filters replaces filter\" }\n"));
  auto r = eventhost({"validate", file});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("trigger/default/orders"), std::string::npos) << r.out;
}

TEST(ValidateFilters, EmptyFiltersFallsBackToFilter) {
  SKIP_WITHOUT_EVENTHOST();
  Scratch scratch;
  // An empty `filters` does not replace `filter`, so the invalid attributes filter is still checked.
  auto refusal = validate_refusal(scratch, trigger_with("filters = []\nfilter.attributes = { \"\" = \"a\" }\n"));
  EXPECT_EQ(refusal.plugin, "attributes");
  EXPECT_EQ(refusal.reason, "attributes: empty attribute name");
}

}  // namespace
