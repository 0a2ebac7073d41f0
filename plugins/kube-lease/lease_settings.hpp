// The kube-lease elector's configuration: which Lease (name, namespace), who this replica is, the timing and the
// credentials. Every refusal names the key.
#pragma once

#include "lease_election.hpp"

#include "credentials.hpp"

#include <eventhost/config.hpp>

#include <functional>
#include <optional>
#include <string>

namespace eventhost::kubelease {

struct LeaseSettings {
  std::string lease;      // the Lease's name
  std::string ns;         // its namespace
  std::string identity;   // holderIdentity: the replica's name and a random suffix
  LeaseTiming timing;
  apiserver::Credentials credentials;
};

using EnvLookup = std::function<std::optional<std::string>(const char* name)>;

// Defaults: identity from POD_NAME, else the host name; namespace from POD_NAMESPACE, else the service account's
// namespace file next to token_file (in-cluster), else "default".
Result<LeaseSettings> read_lease_settings(const Config& config, const EnvLookup& env);

// "<name>_<8 random hex digits>": two processes given the same name (a restarted container, a copied config) still
// never take each other for the holder.
std::string unique_identity(const std::string& name);

}  // namespace eventhost::kubelease
