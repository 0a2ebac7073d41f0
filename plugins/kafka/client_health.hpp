// Whether a librdkafka client reaches its cluster, told to /readyz through Host::set_health of every instance that
// uses the client (a shared producer serves several), and librdkafka's statistics read for that and for lag.
//
// Not reachable: librdkafka's error callback reports all brokers down, a bootstrap name that does not resolve, a
// failed TLS or SASL handshake, or a fatal error. A single broker's transport error does not count (an idle
// connection closed by the broker is routine, and the cluster may have other brokers); its text is kept to explain
// the next "all brokers down".
// Reachable again: a statistics report lists a broker connection in state UP. Statistics arrive every interval
// whether or not there is traffic, and librdkafka keeps trying to connect while no broker is up, so this notices a
// cluster that came back even when nothing is being written or read (a producer that fails writes fast while the
// cluster is down would never see a successful delivery report). UP means connected, authenticated and past the
// ApiVersion handshake.
//
// Callbacks arrive on the client's poll thread; watch/unwatch on any thread.
#pragma once

#include <eventhost/host.hpp>
#include <eventhost/status.hpp>

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace eventhost::kafka {

// How often the clients emit statistics (statistics.interval.ms): how soon a recovered cluster is noticed and how
// fresh consumer_lag is.
inline constexpr const char* kStatisticsIntervalMs = "1000";

struct PartitionLag {
  std::string topic;
  int32_t partition;
  int64_t lag;
};

struct ClientStats {
  bool broker_up = false;            // any broker connection (not librdkafka's internal one) is UP
  std::vector<PartitionLag> lags;    // partitions with a known consumer_lag (consumers only)
};

// Reads librdkafka's statistics JSON (see librdkafka's STATISTICS.md).
Result<ClientStats> parse_stats(std::string_view json);

class ClusterHealth {
 public:
  explicit ClusterHealth(std::string bootstrap_servers);

  // `host` hears every change from now on, and at once if the cluster is unreachable now.
  void watch(Host host);
  void unwatch(Host host);
  // Logs through the first watcher (a client shared by instances logs as the first one still using it).
  void log(eh_log_level level, std::string_view message) const;

  void on_error(rd_kafka_t* rk, int err, const char* reason);
  void on_stats(const ClientStats& stats);

  bool reachable() const { return reachable_.load(std::memory_order_relaxed); }  // cheap: for every write
  std::string reason() const;  // why not, when not

 private:
  void set(bool reachable, std::string reason);  // with mutex_ held

  const std::string bootstrap_servers_;
  mutable std::mutex mutex_;
  std::vector<Host> watchers_;
  std::atomic<bool> reachable_{true};
  bool fatal_ = false;  // a fatal client error: no statistics report makes the client usable again
  std::string reason_;
  std::string last_transport_error_;
};

}  // namespace eventhost::kafka
