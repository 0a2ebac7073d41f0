#include "lease_settings.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include <unistd.h>

namespace eventhost::kubelease {
namespace {

std::string first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string host_name() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof buf - 1) != 0) return "eventhost";
  return buf;
}

bool is_dns_label(std::string_view name) {
  if (name.empty() || name.size() > 253 || name.front() == '-' || name.back() == '-') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
  }
  return true;
}

}  // namespace

std::string unique_identity(const std::string& name) {
  std::random_device random;
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "_%08x", static_cast<unsigned>(random()));
  return name + suffix;
}

Result<LeaseSettings> read_lease_settings(const Config& config, const EnvLookup& env) {
  LeaseSettings s;
  auto credentials = apiserver::read_credentials(config);
  if (!credentials) return credentials.status();
  s.credentials = std::move(credentials).value();

  s.lease = config.string("lease");
  if (!is_dns_label(s.lease)) return Status::invalid("lease: '" + s.lease + "' is not a Kubernetes object name");
  if (config.has("namespace")) {
    s.ns = config.string("namespace");
  } else if (auto ns = env("POD_NAMESPACE"); ns && !ns->empty()) {
    s.ns = *ns;
  } else if (s.credentials.kubeconfig.empty()) {
    s.ns = first_line((std::filesystem::path(s.credentials.token_file).parent_path() / "namespace").string());
  }
  if (s.ns.empty()) s.ns = "default";
  if (!is_dns_label(s.ns) || s.ns.find('.') != std::string::npos) {
    return Status::invalid("namespace: '" + s.ns + "' is not a namespace name");
  }

  std::string name = config.string_or("identity", "");
  if (name.empty()) {
    auto pod = env("POD_NAME");
    name = pod && !pod->empty() ? *pod : host_name();
  }
  s.identity = unique_identity(name);

  s.timing.lease_duration = config.duration("lease_duration");
  s.timing.renew_deadline = config.duration("renew_deadline");
  s.timing.retry_period = config.duration("retry_period");
  if (s.timing.lease_duration.count() % 1000 != 0 || s.timing.lease_duration.count() < 1000) {
    return Status::invalid("lease_duration: must be whole seconds, at least 1s (the Lease stores seconds)");
  }
  if (s.timing.renew_deadline >= s.timing.lease_duration) {
    return Status::invalid("renew_deadline: must be less than lease_duration, so the leader lets go before a "
                           "follower may take over");
  }
  if (s.timing.retry_period.count() < 1 || s.timing.retry_period >= s.timing.renew_deadline) {
    return Status::invalid("retry_period: must be at least 1ms and less than renew_deadline");
  }
  return s;
}

}  // namespace eventhost::kubelease
