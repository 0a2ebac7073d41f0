// The running elector: its own thread and io_context (the host's worker threads are never blocked), the cluster
// credentials and TLS context, and the loop that reads the Lease every retry_period and takes or renews it.
// Leadership goes to the host through Host::set_leading, on every change: gained after an accepted write, lost
// when renew_deadline passes without one (a timer, so a hanging request cannot delay it) or on stop.
#pragma once

#include "lease_settings.hpp"

#include "https_exchange.hpp"

#include <eventhost/host.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace eventhost::kubelease {

class LeaseEngine {
 public:
  // Reads the credentials and starts campaigning; fails with the reason when the credentials are unusable.
  static Result<std::unique_ptr<LeaseEngine>> start(Host host, const LeaseSettings& settings);
  ~LeaseEngine();
  LeaseEngine(const LeaseEngine&) = delete;
  LeaseEngine& operator=(const LeaseEngine&) = delete;

  // Resigns from any thread without blocking: "not leading" is reported before it returns, then the engine's
  // thread clears holderIdentity (when it holds the lease) so another replica takes over at once, and ends. The
  // destructor waits for that, at most one request timeout.
  void stop();

 private:
  LeaseEngine(Host host, const LeaseSettings& settings, apiserver::ClusterAccess access,
              std::unique_ptr<boost::asio::ssl::context> tls);
  std::string lease_path() const;
  void attempt();
  void on_read(Result<apiserver::HttpAnswer> answer);
  void write(bool create, const LeaseRecord& record, SteadyClock::time_point sent_at);
  void on_written(const LeaseRecord& record, SteadyClock::time_point sent_at, Result<apiserver::HttpAnswer> answer);
  void after(std::chrono::milliseconds delay);
  void report();
  void trouble(const std::string& what);
  std::string describe(const apiserver::HttpAnswer& failed) const;  // 403 names the verbs the elector needs
  void resign();

  Host host_;
  LeaseSettings settings_;
  apiserver::ClusterAccess access_;
  std::unique_ptr<boost::asio::ssl::context> tls_;
  std::chrono::seconds request_timeout_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  boost::asio::steady_timer retry_timer_;
  boost::asio::steady_timer deadline_timer_;

  // On the engine's thread only.
  LeaseElection election_;
  std::string lease_json_;  // the Lease as last read or written: its metadata and resourceVersion
  std::shared_ptr<apiserver::HttpsExchange> exchange_;
  bool resigning_ = false;
  bool conflict_retried_ = false;  // a 409 is followed by one immediate re-read, not more
  std::string trouble_;            // the last failure, logged once until it changes or clears

  std::mutex report_mutex_;
  bool reported_leading_ = false;  // guarded by report_mutex_
  bool stopped_ = false;           // guarded by report_mutex_: nothing is reported afterwards

  std::thread thread_;
};

}  // namespace eventhost::kubelease
