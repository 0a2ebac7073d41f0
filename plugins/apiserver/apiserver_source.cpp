// The `apiserver` source (Knative ApiServerSource): see source_engine.hpp and docs/kubernetes.md.
#include "credentials.hpp"
#include "source_engine.hpp"

#include <eventhost/plugin.hpp>

#include <stdexcept>

namespace eventhost::apiserver {
namespace {

SourceSettings settings_or_throw(const Config& config) {
  auto s = read_settings(config);
  if (!s) throw std::invalid_argument(s.status().message());
  return std::move(s).value();
}

}  // namespace

class ApiServerSource final : public Source {
 public:
  static constexpr PluginInfo info{"apiserver", "1.0.0",
                                   "Watches Kubernetes resources and emits their changes, like Knative ApiServerSource"};
  static constexpr uint32_t flags = EH_PLUGIN_SINGLETON;  // one replica at a time (see [election])
  static constexpr eh_config_key schema[] = {
      required_key("resources", EH_CONFIG_TABLE,
                   "Resources to watch: [{ apiVersion = \"v1\", kind = \"Event\", labelSelector = \"app=x\" }]"),
      optional_key("namespaces", EH_CONFIG_STRING_LIST, nullptr, "Namespaces to watch; unset or empty: all namespaces"),
      optional_key("owner", EH_CONFIG_TABLE, nullptr,
                   "Only objects whose controller has this { apiVersion, kind } (either may be left out)"),
      enum_key("mode", "Reference|Resource", "\"Reference\"",
               "Reference: the data is the object's reference; Resource: the data is the whole object"),
      kKubeconfigKey,
      kContextKey,
      kTokenFileKey,
      kCaFileKey,
      optional_key("reconnect_delay", EH_CONFIG_DURATION, "\"1s\"", "First delay before reconnecting after an error"),
      optional_key("reconnect_delay_max", EH_CONFIG_DURATION, "\"30s\"", "Longest delay between reconnections"),
      optional_key("watch_timeout", EH_CONFIG_DURATION, "\"5m\"",
                   "How long one watch request lasts before it is renewed (the API server's timeoutSeconds)"),
  };

  ApiServerSource(Host host, const Config& config) : host_(host), settings_(settings_or_throw(config)) {}

  Status start() {
    auto engine = SourceEngine::start(host_, settings_);
    if (!engine) return engine.status();
    engine_ = std::move(engine).value();
    return Status::ok();
  }
  void stop() {
    if (engine_) engine_->stop();
  }
  void resume() {
    if (engine_) engine_->resume();
  }

 private:
  Host host_;
  SourceSettings settings_;
  std::unique_ptr<SourceEngine> engine_;
};

}  // namespace eventhost::apiserver

EVENTHOST_PLUGIN(eventhost::apiserver::ApiServerSource)
