// The credential keys every Kubernetes plugin takes (the apiserver source, the kube-lease elector): a kubeconfig
// with an optional context, or the in-cluster service account files. One declaration, so both read them alike.
#pragma once

#include "cluster_access.hpp"

#include <eventhost/config.hpp>
#include <eventhost/plugin.hpp>

namespace eventhost::apiserver {

inline constexpr eh_config_key kKubeconfigKey = optional_key(
    "kubeconfig", EH_CONFIG_STRING, nullptr, "A kubeconfig file to use instead of the in-cluster service account (development)");
inline constexpr eh_config_key kContextKey =
    optional_key("context", EH_CONFIG_STRING, nullptr, "The kubeconfig context; default: its current-context");
inline constexpr eh_config_key kTokenFileKey =
    optional_key("token_file", EH_CONFIG_STRING, "\"/var/run/secrets/kubernetes.io/serviceaccount/token\"",
                 "In-cluster: the service account token, read again for every request");
inline constexpr eh_config_key kCaFileKey =
    optional_key("ca_file", EH_CONFIG_STRING, "\"/var/run/secrets/kubernetes.io/serviceaccount/ca.crt\"",
                 "In-cluster: the cluster CA bundle");

struct Credentials {
  std::string kubeconfig;  // empty: in-cluster credentials
  std::string context;     // kubeconfig context; empty: current-context
  std::string token_file;  // in-cluster service account token
  std::string ca_file;     // in-cluster CA bundle

  // kubeconfig_access when a kubeconfig is given, else in_cluster_access.
  Result<ClusterAccess> access() const {
    return kubeconfig.empty() ? in_cluster_access(token_file, ca_file) : kubeconfig_access(kubeconfig, context);
  }
};

// The four keys from a host-validated config that declares them.
inline Result<Credentials> read_credentials(const Config& config) {
  Credentials c;
  c.kubeconfig = config.string_or("kubeconfig", "");
  c.context = config.string_or("context", "");
  if (!c.context.empty() && c.kubeconfig.empty()) return Status::invalid("context: only meaningful with kubeconfig");
  c.token_file = config.string("token_file");
  c.ca_file = config.string("ca_file");
  return c;
}

}  // namespace eventhost::apiserver
