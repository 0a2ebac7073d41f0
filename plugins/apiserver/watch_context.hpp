// What every watch of one source shares. Everything in it is used on the source's own thread only.
#pragma once

#include "cluster_access.hpp"
#include "emitter.hpp"
#include "source_settings.hpp"

#include <eventhost/host.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <algorithm>
#include <chrono>

namespace eventhost::apiserver {

struct WatchContext {
  boost::asio::io_context& io;
  boost::asio::ssl::context& tls;
  const ClusterAccess& access;
  const SourceSettings& settings;
  Emitter& emitter;
  Host host;
};

// Exponential reconnect delay: reconnect_delay, doubled after each failure up to reconnect_delay_max.
class Backoff {
 public:
  explicit Backoff(const SourceSettings& s) : first_(s.reconnect_delay), max_(s.reconnect_delay_max), next_(first_) {}
  std::chrono::milliseconds next() {
    auto d = next_;
    next_ = std::min(next_ * 2, max_);
    return d;
  }
  void reset() { next_ = first_; }

 private:
  std::chrono::milliseconds first_, max_, next_;
};

// "/api/v1" for the core group, "/apis/<group>/<version>" for the others.
inline std::string api_base(const std::string& api_version) {
  return api_version.find('/') == std::string::npos ? "/api/" + api_version : "/apis/" + api_version;
}

}  // namespace eventhost::apiserver
