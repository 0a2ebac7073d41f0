#include "client_config.hpp"

#include <gtest/gtest.h>

namespace eventhost::kafka {
namespace {

rapidjson::Document parse(const char* json) {
  rapidjson::Document d;
  d.Parse(json);
  return d;
}

std::string get(rd_kafka_conf_t* conf, const char* name) {
  char buf[512];
  size_t size = sizeof buf;
  if (rd_kafka_conf_get(conf, name, buf, &size) != RD_KAFKA_CONF_OK) return "<unset>";
  return buf;
}

TEST(ClientConfig, NestedTablesFlattenToDottedNames) {
  auto props = flatten_properties(parse(R"({"security":{"protocol":"SASL_SSL"},"linger.ms":5,"check.crcs":true})"));
  ASSERT_TRUE(props) << props.status().message();
  Properties expected = {{"security.protocol", "SASL_SSL"}, {"linger.ms", "5"}, {"check.crcs", "true"}};
  EXPECT_EQ(*props, expected);
}

TEST(ClientConfig, ArraysAreRefused) {
  auto props = flatten_properties(parse(R"({"sasl":{"mechanisms":["PLAIN"]}})"));
  ASSERT_FALSE(props);
  EXPECT_EQ(props.status().message(), "kafka.sasl.mechanisms: expected a string, number or boolean");
}

TEST(ClientConfig, UserPropertiesApplyAfterThePluginsOwn) {
  auto conf = make_conf({{"bootstrap.servers", "a:1"}, {"linger.ms", "5"}}, {{"linger.ms", "50"}}, {});
  ASSERT_TRUE(conf) << conf.status().message();
  EXPECT_EQ(get(conf->get(), "linger.ms"), "50");
  EXPECT_EQ(get(conf->get(), "bootstrap.servers"), "a:1");
}

TEST(ClientConfig, ManagedPropertiesAreRefusedWithTheKeyToUse) {
  auto conf = make_conf({}, {{"group.id", "g"}}, {{"group.id", "use consumer_group"}});
  ASSERT_FALSE(conf);
  EXPECT_EQ(conf.status().message(), "kafka.group.id: set by the plugin; use consumer_group");
}

TEST(ClientConfig, UnknownPropertyIsNamed) {
  auto conf = make_conf({}, {{"no.such.property", "1"}}, {});
  ASSERT_FALSE(conf);
  EXPECT_NE(conf.status().message().find("kafka.no.such.property: "), std::string::npos) << conf.status().message();
}

TEST(ClientConfig, RejectedValuesNeverAppearInTheMessage) {
  const std::string secret = "hunter2-very-secret";
  auto conf = make_conf({}, {{"security.protocol", secret}}, {});
  ASSERT_FALSE(conf);
  EXPECT_NE(conf.status().message().find("kafka.security.protocol"), std::string::npos) << conf.status().message();
  EXPECT_EQ(conf.status().message().find(secret), std::string::npos) << conf.status().message();
  auto bad_int = make_conf({}, {{"linger.ms", secret}}, {});
  ASSERT_FALSE(bad_int);
  EXPECT_EQ(bad_int.status().message().find(secret), std::string::npos) << bad_int.status().message();
}

TEST(ClientConfig, SecretsAreAccepted) {
  auto conf = make_conf({}, {{"security.protocol", "SASL_PLAINTEXT"}, {"sasl.mechanisms", "PLAIN"},
                             {"sasl.username", "u"}, {"sasl.password", "p"}}, {});
  ASSERT_TRUE(conf) << conf.status().message();
}

}  // namespace
}  // namespace eventhost::kafka
