#include "http/listen_address.hpp"

#include <gtest/gtest.h>

namespace eventhost::host::http {
namespace {

TEST(ListenAddress, Forms) {
  auto a = parse_listen_address("127.0.0.1:8080");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8080);
  EXPECT_EQ(parse_listen_address(":0")->host, "");
  EXPECT_EQ(parse_listen_address("[::1]:9")->host, "::1");
}

TEST(ListenAddress, Mistakes) {
  EXPECT_EQ(parse_listen_address("8080").status().message(), "listen address '8080': expected HOST:PORT");
  EXPECT_EQ(parse_listen_address("h:http").status().message(),
            "listen address 'h:http': the port must be a number from 0 to 65535");
  EXPECT_EQ(parse_listen_address("::1:80").status().message(),
            "listen address '::1:80': an IPv6 address is written [ADDRESS]:PORT");
  EXPECT_FALSE(parse_listen_address("h:65536"));
}

}  // namespace
}  // namespace eventhost::host::http
