// The running source: its own thread and io_context (the host's worker threads are never blocked), the cluster
// credentials and TLS context, the emitter, and one ResourceWatch per configured resource.
#pragma once

#include "resource_watch.hpp"

#include <boost/asio/executor_work_guard.hpp>

#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace eventhost::apiserver {

class SourceEngine {
 public:
  // Reads the credentials (in-cluster or kubeconfig) and starts the thread; fails with the reason when the
  // credentials are missing or unusable.
  static Result<std::unique_ptr<SourceEngine>> start(Host host, const SourceSettings& settings);
  ~SourceEngine();
  SourceEngine(const SourceEngine&) = delete;
  SourceEngine& operator=(const SourceEngine&) = delete;

  // Ends intake at once without waiting for the thread (the destructor joins it); nothing is emitted afterwards.
  void stop();
  // The pipeline has room again.
  void resume();

 private:
  SourceEngine(Host host, const SourceSettings& settings, ClusterAccess access,
               std::unique_ptr<boost::asio::ssl::context> tls);
  void run();

  Host host_;
  const SourceSettings& settings_;
  ClusterAccess access_;
  std::unique_ptr<boost::asio::ssl::context> tls_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  Emitter emitter_;
  WatchContext ctx_;
  std::vector<std::unique_ptr<ResourceWatch>> watches_;
  std::once_flag stopped_;
  std::thread thread_;
};

}  // namespace eventhost::apiserver
