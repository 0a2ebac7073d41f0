// Leader election over one Lease with client-go's rules, as pure decisions on the lease just read and this
// replica's own monotonic clock (so tests drive it with made-up time points):
//   - a follower takes the lease over only when it has not seen the lease record change for leaseDurationSeconds,
//     measured by its own clock from when it saw the last change (clocks of different machines are never compared);
//   - the leader counts itself leading only until renew_deadline after it sent its last accepted renewal. That
//     renewal reached the API server after it was sent, and followers saw it later still, so with renew_deadline
//     below the lease duration the leader has let go before any follower may take over;
//   - every write carries the resourceVersion it was based on: of two replicas writing at once, one gets 409.
#pragma once

#include "lease_record.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace eventhost::kubelease {

using SteadyClock = std::chrono::steady_clock;

struct LeaseTiming {
  std::chrono::milliseconds lease_duration{15000};
  std::chrono::milliseconds renew_deadline{10000};
  std::chrono::milliseconds retry_period{2000};
};

class LeaseElection {
 public:
  LeaseElection(std::string identity, LeaseTiming timing) : identity_(std::move(identity)), timing_(timing) {}

  // The lease as read at `now` (nullopt: it does not exist yet). Returns the record to write to take or renew the
  // lease, or nullopt when another replica holds it and its lease has not expired. `wall_now` is the MicroTime
  // written into renewTime (and acquireTime on a takeover); it is informational, never compared.
  std::optional<LeaseRecord> next_record(const std::optional<LeaseRecord>& current, SteadyClock::time_point now,
                                         const std::string& wall_now);
  // The API server accepted `record`, whose write was sent at `sent_at`.
  void accepted(const LeaseRecord& record, SteadyClock::time_point sent_at);

  // This replica holds the lease and renewed it within the renew deadline.
  bool leading(SteadyClock::time_point now) const;
  // When leading() turns false unless a renewal is accepted first; meaningful while it is true.
  SteadyClock::time_point leading_until() const { return *renewed_at_ + timing_.renew_deadline; }
  // The record that gives the lease up at once (holder cleared, duration 1 s), or nullopt when this replica does
  // not hold it.
  std::optional<LeaseRecord> release(const std::string& wall_now) const;

  const std::string& identity() const { return identity_; }

 private:
  std::string identity_;
  LeaseTiming timing_;
  std::optional<LeaseRecord> observed_;
  SteadyClock::time_point observed_at_{};
  std::optional<SteadyClock::time_point> renewed_at_;  // when our last accepted write as holder was sent
};

}  // namespace eventhost::kubelease
