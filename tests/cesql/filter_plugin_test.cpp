// The `cesql` filter plugin through its C ABI, loaded from the built shared object (CESQL_PLUGIN, set by meson).
#include "test_support.hpp"

#include <eventhost/abi.h>

#include <dlfcn.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

using namespace cesql_test;

// The host side: events are CloudEvents, counters add up in one place.
std::atomic<uint64_t> evaluation_errors{0};

eh_host_api fake_host_api() {
  eh_host_api api{};
  api.struct_size = sizeof(eh_host_api);
  api.abi_major = EH_ABI_MAJOR;
  api.abi_minor = EH_ABI_MINOR;
  api.event_get = [](const eh_event* e, eh_str name, eh_str* value, eh_attr_type* type) {
    auto a = reinterpret_cast<const eventhost::CloudEvent*>(e)->get_typed({name.ptr, name.len});
    if (!a) return EH_ERR_NOT_FOUND;
    *value = eh_str{a->value.data(), a->value.size()};
    if (type != nullptr) *type = a->type;
    return EH_OK;
  };
  api.metric_add = [](eh_host*, eh_str name, uint64_t delta) {
    if (std::string_view(name.ptr, name.len) == "evaluation_errors") evaluation_errors += delta;
  };
  return api;
}

class CesqlFilterPlugin : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* path = std::getenv("CESQL_PLUGIN");
    if (path == nullptr) GTEST_SKIP() << "CESQL_PLUGIN is not set (run through meson test)";
    handle_ = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(handle_, nullptr) << dlerror();
    auto entry = reinterpret_cast<eh_plugin_entry_fn>(dlsym(handle_, EH_PLUGIN_ENTRY_SYMBOL));
    ASSERT_NE(entry, nullptr);
    plugin_ = entry();
  }
  void TearDown() override {
    if (handle_ != nullptr) dlclose(handle_);
  }

  // create() with {"expression": text}; returns the instance, or nullptr with the reason in `error`.
  void* create(const std::string& expression_json, std::string* error = nullptr) {
    std::string config = "{\"expression\": " + expression_json + "}";
    char err[256] = {};
    void* instance = nullptr;
    eh_status s = plugin_->create(&api_, nullptr, eh_str{config.data(), config.size()}, &instance, err, sizeof err);
    if (error != nullptr) *error = err;
    return s == EH_OK ? instance : nullptr;
  }
  int match(void* instance, const eventhost::CloudEvent& event) {
    return plugin_->match(instance, reinterpret_cast<const eh_event*>(&event));
  }

  void* handle_ = nullptr;
  const eh_plugin* plugin_ = nullptr;
  eh_host_api api_ = fake_host_api();
};

TEST_F(CesqlFilterPlugin, Describes) {
  EXPECT_STREQ(plugin_->name, "cesql");
  EXPECT_EQ(plugin_->kind, EH_KIND_FILTER);
  ASSERT_EQ(plugin_->schema_len, 1u);
  EXPECT_STREQ(plugin_->schema[0].key, "expression");
  EXPECT_EQ(plugin_->schema[0].type, EH_CONFIG_STRING);
  EXPECT_NE(plugin_->schema[0].required, 0);
  EXPECT_NE(plugin_->match, nullptr);
}

TEST_F(CesqlFilterPlugin, OnlyTheEntryPointIsExported) {
  EXPECT_EQ(dlsym(handle_, "_ZN9eventhost5cesql5parseESt17basic_string_viewIcSt11char_traitsIcEE"), nullptr);
}

TEST_F(CesqlFilterPlugin, RefusesInvalidExpressionsAtCreate) {
  std::string error;
  EXPECT_EQ(create("\"type = \"", &error), nullptr);
  EXPECT_EQ(error, "position 8: expected an expression, found the end of the expression");
  EXPECT_EQ(create("\"NOPE(type)\"", &error), nullptr);
  EXPECT_EQ(error, "position 1: no function NOPE taking 1 argument(s)");
  EXPECT_EQ(create("\"SOURCE = 'x'\"", &error), nullptr);
  EXPECT_EQ(error.rfind("position 1: 'SOURCE' is not an attribute name", 0), 0u) << error;
}

TEST_F(CesqlFilterPlugin, MatchesEvents) {
  void* filter = create("\"type LIKE 'com.example.%' AND priority > 2\"");
  ASSERT_NE(filter, nullptr);
  EXPECT_EQ(match(filter, event_with({{"priority", "5", EH_ATTR_INTEGER}})), 1);
  EXPECT_EQ(match(filter, event_with({{"priority", "1", EH_ATTR_INTEGER}})), 0);

  uint64_t errors_before = evaluation_errors;
  EXPECT_EQ(match(filter, event_with()), 0);  // missing attribute: an error fails the event
  EXPECT_EQ(evaluation_errors, errors_before + 1);
  plugin_->destroy(filter);
}

}  // namespace
