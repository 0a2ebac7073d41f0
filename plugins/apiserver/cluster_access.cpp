#include "cluster_access.hpp"

#include <eventhost/cloudevents/base64.hpp>

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace eventhost::apiserver {
namespace {

Result<std::string> read_text_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::invalid(what + " '" + path + "' cannot be read: " + std::strerror(errno));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string trim(std::string s) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

Result<std::string> decode_data(const std::string& text, const std::string& where) {
  std::string compact;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) compact += c;
  }
  auto bytes = ce::base64_decode(compact);
  if (!bytes) return Status::invalid(where + ": not valid base64");
  return *bytes;
}

std::string scalar(const YAML::Node& node, const char* key) {
  const YAML::Node v = node[key];
  return v && v.IsScalar() ? v.as<std::string>() : std::string();
}

// The entry named `name` of a kubeconfig list ("clusters", "users", "contexts"): its inner map under `inner`.
Result<YAML::Node> named_entry(const YAML::Node& root, const char* list, const char* inner, const std::string& name) {
  const YAML::Node entries = root[list];
  if (entries && entries.IsSequence()) {
    for (const auto& entry : entries) {
      if (scalar(entry, "name") == name) {
        const YAML::Node body = entry[inner];
        if (!body || !body.IsMap()) return Status::invalid(std::string(list) + " entry '" + name + "' has no " + inner);
        return body;
      }
    }
  }
  return Status::invalid(std::string("no ") + list + " entry named '" + name + "'");
}

// A value given inline as base64 (`<key>-data`) or as a file (`<key>`, relative to the kubeconfig's directory).
Result<std::string> data_or_file(const YAML::Node& node, const std::string& key, const std::filesystem::path& dir,
                                 const std::string& where) {
  std::string data = scalar(node, (key + "-data").c_str());
  if (!data.empty()) return decode_data(data, where + "." + key + "-data");
  std::string file = scalar(node, key.c_str());
  if (file.empty()) return std::string();
  std::filesystem::path p(file);
  if (p.is_relative()) p = dir / p;
  return read_text_file(p.string(), where + "." + key);
}

}  // namespace

Result<std::string> ClusterAccess::bearer_token() const {
  if (token_file.empty()) return token;
  auto text = read_text_file(token_file, "token file");
  if (!text) return Status::unavailable(text.status().message());
  return trim(std::move(text).value());
}

Result<ServerAddress> parse_server_url(std::string_view url) {
  constexpr std::string_view https = "https://";
  if (url.substr(0, https.size()) != https) {
    return Status::invalid("server '" + std::string(url) + "': only https:// API servers are supported");
  }
  std::string_view rest = url.substr(https.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find('/') != std::string_view::npos) {
    return Status::invalid("server '" + std::string(url) + "': a path after the host is not supported");
  }
  ServerAddress a;
  a.url = std::string(url.substr(0, https.size() + rest.size()));
  if (!rest.empty() && rest.front() == '[') {
    size_t close = rest.find(']');
    if (close == std::string_view::npos) return Status::invalid("server '" + std::string(url) + "': unclosed '['");
    a.host = rest.substr(1, close - 1);
    rest.remove_prefix(close + 1);
    if (!rest.empty() && rest.front() != ':') return Status::invalid("server '" + std::string(url) + "': bad port");
    a.port = rest.empty() ? "443" : std::string(rest.substr(1));
  } else {
    size_t colon = rest.rfind(':');
    a.host = rest.substr(0, colon);
    a.port = colon == std::string_view::npos ? "443" : std::string(rest.substr(colon + 1));
  }
  if (a.host.empty()) return Status::invalid("server '" + std::string(url) + "': no host");
  if (a.port.empty() || a.port.size() > 5 ||
      a.port.find_first_not_of("0123456789") != std::string::npos || std::stoi(a.port) == 0 || std::stoi(a.port) > 65535) {
    return Status::invalid("server '" + std::string(url) + "': bad port '" + a.port + "'");
  }
  return a;
}

Result<ClusterAccess> in_cluster_access(const std::string& token_file, const std::string& ca_file) {
  const char* host = std::getenv("KUBERNETES_SERVICE_HOST");
  const char* port = std::getenv("KUBERNETES_SERVICE_PORT");
  if (host == nullptr || *host == '\0' || port == nullptr || *port == '\0') {
    return Status::invalid(
        "not running in a Kubernetes pod (KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT are not set): "
        "set `kubeconfig` to reach an API server from outside the cluster");
  }
  std::string h(host);
  bool ipv6 = h.find(':') != std::string::npos;
  auto server = parse_server_url("https://" + (ipv6 ? "[" + h + "]" : h) + ":" + port);
  if (!server) return server.status();
  ClusterAccess access;
  access.server = std::move(server).value();
  auto ca = read_text_file(ca_file, "service account CA file");
  if (!ca) return ca.status();
  access.ca_pem = std::move(ca).value();
  access.token_file = token_file;
  auto token = access.bearer_token();
  if (!token) return Status::invalid(token.status().message());
  return access;
}

Result<ClusterAccess> kubeconfig_access(const std::string& path, const std::string& context) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    return Status::invalid("kubeconfig '" + path + "' cannot be read");
  } catch (const YAML::Exception& e) {
    return Status::invalid("kubeconfig '" + path + "': " + e.what());
  }
  const std::string where = "kubeconfig '" + path + "'";
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  try {
    std::string ctx_name = context.empty() ? scalar(root, "current-context") : context;
    if (ctx_name.empty()) return Status::invalid(where + ": no current-context, and no `context` given");
    auto ctx = named_entry(root, "contexts", "context", ctx_name);
    if (!ctx) return Status::invalid(where + ": " + ctx.status().message());
    std::string cluster_name = scalar(*ctx, "cluster"), user_name = scalar(*ctx, "user");
    auto cluster = named_entry(root, "clusters", "cluster", cluster_name);
    if (!cluster) return Status::invalid(where + ": " + cluster.status().message());

    ClusterAccess access;
    auto server = parse_server_url(scalar(*cluster, "server"));
    if (!server) return Status::invalid(where + ": " + server.status().message());
    access.server = std::move(server).value();
    if (scalar(*cluster, "insecure-skip-tls-verify") == "true") {
      return Status::invalid(where + ": insecure-skip-tls-verify is not supported; give the cluster's CA");
    }
    auto ca = data_or_file(*cluster, "certificate-authority", dir, where + " cluster '" + cluster_name + "'");
    if (!ca) return ca.status();
    if (ca->empty()) {
      return Status::invalid(where + ": cluster '" + cluster_name +
                             "' has no certificate-authority or certificate-authority-data");
    }
    access.ca_pem = std::move(ca).value();

    if (!user_name.empty()) {
      auto user = named_entry(root, "users", "user", user_name);
      if (!user) return Status::invalid(where + ": " + user.status().message());
      const std::string uwhere = where + " user '" + user_name + "'";
      if ((*user)["exec"] || (*user)["auth-provider"]) {
        return Status::invalid(uwhere + ": exec and auth-provider credentials are not supported; use a token, "
                                        "tokenFile or a client certificate");
      }
      access.token = scalar(*user, "token");
      std::string token_file = scalar(*user, "tokenFile");
      if (!token_file.empty()) {
        std::filesystem::path p(token_file);
        access.token_file = (p.is_relative() ? dir / p : p).string();
      }
      auto cert = data_or_file(*user, "client-certificate", dir, uwhere);
      if (!cert) return cert.status();
      auto key = data_or_file(*user, "client-key", dir, uwhere);
      if (!key) return key.status();
      if (cert->empty() != key->empty()) return Status::invalid(uwhere + ": a client certificate needs its key, and back");
      access.client_cert_pem = std::move(cert).value();
      access.client_key_pem = std::move(key).value();
      auto token = access.bearer_token();
      if (!token) return Status::invalid(uwhere + ": " + token.status().message());
    }
    return access;
  } catch (const YAML::Exception& e) {
    return Status::invalid(where + ": " + e.what());
  }
}

}  // namespace eventhost::apiserver
