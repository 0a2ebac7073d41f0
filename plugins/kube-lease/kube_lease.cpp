// The `kube-lease` elector: leader election over a coordination.k8s.io/v1 Lease, with client-go's rules (see
// lease_election.hpp and docs/kubernetes.md). The replica that holds the lease runs the singleton sources.
#include "lease_engine.hpp"

#include <eventhost/plugin.hpp>

#include <cstdlib>
#include <stdexcept>

namespace eventhost::kubelease {
namespace {

LeaseSettings settings_or_throw(const Config& config) {
  auto s = read_lease_settings(config, [](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  });
  if (!s) throw std::invalid_argument(s.status().message());
  return std::move(s).value();
}

}  // namespace

class KubeLeaseElector final : public Elector {
 public:
  static constexpr PluginInfo info{"kube-lease", "1.0.0",
                                   "Runs the singleton sources on the one replica holding a Kubernetes Lease"};
  static constexpr eh_config_key schema[] = {
      optional_key("lease", EH_CONFIG_STRING, "\"eventhost-singletons\"", "Name of the coordination.k8s.io/v1 Lease"),
      optional_key("namespace", EH_CONFIG_STRING, nullptr,
                   "The Lease's namespace; default: POD_NAMESPACE, else the service account's namespace"),
      optional_key("identity", EH_CONFIG_STRING, nullptr,
                   "This replica's name in holderIdentity (a random suffix is added); default: POD_NAME, else the "
                   "host name"),
      optional_key("lease_duration", EH_CONFIG_DURATION, "\"15s\"",
                   "How long followers wait, after the lease last changed, before taking it over (whole seconds)"),
      optional_key("renew_deadline", EH_CONFIG_DURATION, "\"10s\"",
                   "The leader stops its singletons when it could not renew for this long (< lease_duration)"),
      optional_key("retry_period", EH_CONFIG_DURATION, "\"2s\"", "How often the lease is read, renewed or tried"),
      apiserver::kKubeconfigKey,
      apiserver::kContextKey,
      apiserver::kTokenFileKey,
      apiserver::kCaFileKey,
  };

  KubeLeaseElector(Host host, const Config& config) : host_(host), settings_(settings_or_throw(config)) {}

  Status start() {
    auto engine = LeaseEngine::start(host_, settings_);
    if (!engine) return engine.status();
    engine_ = std::move(engine).value();
    return Status::ok();
  }
  void stop() {
    if (engine_) engine_->stop();
  }

 private:
  Host host_;
  LeaseSettings settings_;
  std::unique_ptr<LeaseEngine> engine_;
};

}  // namespace eventhost::kubelease

EVENTHOST_PLUGIN(eventhost::kubelease::KubeLeaseElector)
