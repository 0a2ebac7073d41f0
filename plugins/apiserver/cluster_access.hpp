// How to reach and authenticate to the API server: in-cluster (KUBERNETES_SERVICE_HOST/PORT, the service account's
// token and CA files) or a kubeconfig file for development. Only TLS is supported; the server is always verified
// against the cluster CA.
#pragma once

#include <eventhost/status.hpp>

#include <string>
#include <string_view>

namespace eventhost::apiserver {

struct ServerAddress {
  std::string url;   // as the events' `source` carries it, e.g. "https://10.96.0.1:443"
  std::string host;  // without brackets for IPv6
  std::string port;
};

struct ClusterAccess {
  ServerAddress server;
  std::string ca_pem;
  std::string token;       // a fixed bearer token
  std::string token_file;  // a bearer token file, read again for every request (service account tokens rotate)
  std::string client_cert_pem;
  std::string client_key_pem;

  // The bearer token to send now (empty: none): token_file's current content, or token.
  Result<std::string> bearer_token() const;
};

// "https://host[:port]" (no path). http:// is refused: the API server is only spoken to over TLS.
Result<ServerAddress> parse_server_url(std::string_view url);

// In-cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT from the environment, the token read from
// token_file for each request, the CA from ca_file.
Result<ClusterAccess> in_cluster_access(const std::string& token_file, const std::string& ca_file);

// A kubeconfig: the given context (or current-context), its cluster's server and CA (certificate-authority or
// -data), its user's token, tokenFile or client certificate and key (file or -data). Relative paths are relative to
// the kubeconfig's directory. exec and auth-provider plugins are refused with a clear message.
Result<ClusterAccess> kubeconfig_access(const std::string& path, const std::string& context);

}  // namespace eventhost::apiserver
