// A coordination.k8s.io/v1 Lease as leader election reads and writes it: the spec's holder, duration, times and
// transition count (client-go's LeaderElectionRecord), taken from and put back into the Lease's JSON.
#pragma once

#include <eventhost/status.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace eventhost::kubelease {

struct LeaseRecord {
  std::string holder;                  // spec.holderIdentity; empty: nobody holds the lease
  int64_t lease_duration_seconds = 0;  // spec.leaseDurationSeconds
  std::string acquire_time;            // spec.acquireTime (MicroTime)
  std::string renew_time;              // spec.renewTime (MicroTime)
  int64_t transitions = 0;             // spec.leaseTransitions

  bool operator==(const LeaseRecord&) const = default;
};

// The record in a Lease object as the API server sent it.
Result<LeaseRecord> parse_lease_record(std::string_view lease_json);

// The Lease to send: `lease_json` (the object as last read, keeping its metadata and resourceVersion, so the update
// is refused with 409 when someone changed it since) with its spec set to `record`; or, when `lease_json` is empty,
// a new Lease `name` in `ns`.
std::string lease_with(std::string_view lease_json, const std::string& name, const std::string& ns,
                       const LeaseRecord& record);

// RFC 3339 UTC with microseconds, as Kubernetes writes a MicroTime: "2026-11-23T05:48:16.123456Z".
std::string micro_time(std::chrono::system_clock::time_point t);

}  // namespace eventhost::kubelease
