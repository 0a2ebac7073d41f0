// One configured resource: discovery first (the kind's plural name and whether it is namespaced, from GET /api/v1 or
// /apis/<group>/<version>), then a CollectionWatch for all namespaces, or one per configured namespace. Discovery is
// retried with backoff: a CRD may be installed after the source starts.
#pragma once

#include "collection_watch.hpp"

#include <memory>
#include <vector>

namespace eventhost::apiserver {

// Finds `kind` in an APIResourceList (subresources such as pods/log are skipped).
Result<ResourceName> find_resource(std::string_view discovery_json, const std::string& api_version,
                                   const std::string& kind);

class ResourceWatch {
 public:
  ResourceWatch(WatchContext& ctx, ResourceSpec spec);
  ResourceWatch(const ResourceWatch&) = delete;
  ResourceWatch& operator=(const ResourceWatch&) = delete;

  void start() { discover(); }
  void stop();

 private:
  void discover();
  void on_discovery(Result<HttpAnswer> answer);
  void retry(const std::string& why);

  WatchContext& ctx_;
  ResourceSpec spec_;
  std::string what_;
  Backoff backoff_;
  boost::asio::steady_timer timer_;
  std::shared_ptr<HttpsExchange> exchange_;
  std::vector<std::unique_ptr<CollectionWatch>> collections_;
  bool stopped_ = false;
};

}  // namespace eventhost::apiserver
