#include "lease_election.hpp"

namespace eventhost::kubelease {

std::optional<LeaseRecord> LeaseElection::next_record(const std::optional<LeaseRecord>& current,
                                                      SteadyClock::time_point now, const std::string& wall_now) {
  auto duration_seconds = std::chrono::ceil<std::chrono::seconds>(timing_.lease_duration).count();
  if (!current) return LeaseRecord{identity_, duration_seconds, wall_now, wall_now, 0};
  if (!observed_ || *observed_ != *current) {
    observed_ = current;
    observed_at_ = now;
  }
  bool mine = current->holder == identity_;
  if (!current->holder.empty() && !mine) {
    renewed_at_.reset();  // someone else holds it: whatever we believed, we do not lead
    std::chrono::milliseconds valid_for = current->lease_duration_seconds > 0
                                              ? std::chrono::seconds(current->lease_duration_seconds)
                                              : timing_.lease_duration;
    if (now < observed_at_ + valid_for) return std::nullopt;
  }
  LeaseRecord next = *current;
  next.holder = identity_;
  next.lease_duration_seconds = duration_seconds;
  next.renew_time = wall_now;
  if (!mine) {
    next.acquire_time = wall_now;
    next.transitions = current->transitions + 1;
  }
  return next;
}

void LeaseElection::accepted(const LeaseRecord& record, SteadyClock::time_point sent_at) {
  observed_ = record;
  observed_at_ = sent_at;
  if (record.holder == identity_) {
    renewed_at_ = sent_at;
  } else {
    renewed_at_.reset();
  }
}

bool LeaseElection::leading(SteadyClock::time_point now) const {
  return renewed_at_ && now < *renewed_at_ + timing_.renew_deadline;
}

std::optional<LeaseRecord> LeaseElection::release(const std::string& wall_now) const {
  if (!renewed_at_ || !observed_ || observed_->holder != identity_) return std::nullopt;
  LeaseRecord r = *observed_;
  r.holder.clear();
  r.lease_duration_seconds = 1;
  r.acquire_time = wall_now;
  r.renew_time = wall_now;
  return r;
}

}  // namespace eventhost::kubelease
