#include "url.hpp"

#include <gtest/gtest.h>

namespace eventhost::http_plugin {
namespace {

TEST(Url, HttpWithDefaultsAndPaths) {
  auto u = parse_url("http://svc.default.svc.cluster.local");
  ASSERT_TRUE(u) << u.status().message();
  EXPECT_FALSE(u->tls);
  EXPECT_EQ(u->host, "svc.default.svc.cluster.local");
  EXPECT_EQ(u->port, "80");
  EXPECT_EQ(u->target, "/");
  auto p = parse_url("HTTP://127.0.0.1:9090/a/b?x=1#frag");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->port, "9090");
  EXPECT_EQ(p->target, "/a/b?x=1");
  EXPECT_EQ(p->host_header, "127.0.0.1:9090");
  auto q = parse_url("http://h?x=1");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->target, "/?x=1");
}

TEST(Url, HttpsAndIpv6) {
  auto u = parse_url("https://[::1]:8443/hook");
  ASSERT_TRUE(u) << u.status().message();
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, "8443");
  EXPECT_EQ(u->host_header, "[::1]:8443");
  EXPECT_EQ(parse_url("https://example.com")->port, "443");
}

TEST(Url, RefusesWhatItCannotSend) {
  EXPECT_EQ(parse_url("ftp://h/").status().message(), "url 'ftp://h/': only http:// and https:// are supported");
  EXPECT_EQ(parse_url("http:///x").status().message(), "url 'http:///x': no host");
  EXPECT_EQ(parse_url("http://h:99999/").status().message(), "url 'http://h:99999/': the port must be a number from 1 to 65535");
  EXPECT_EQ(parse_url("http://u:p@h/").status().message(), "url 'http://u:p@h/': user information in the URL is not supported");
  EXPECT_FALSE(parse_url("http://[::1/"));
}

}  // namespace
}  // namespace eventhost::http_plugin
