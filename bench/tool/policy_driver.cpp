#include "call_loop.hpp"
#include "drivers.hpp"

namespace eventhost::bench {
namespace {

// The attempt results a policy is asked about, in turn: what sinks report most (success, then the retryable and
// permanent failures of the Knative delivery spec), with attempts 1 to 4.
const eh_delivery_result kResults[] = {
    {EH_OK, 202, 0, {}, {}},
    {EH_ERR_UNAVAILABLE, 503, 0, {"Service Unavailable", 19}, {}},
    {EH_ERR_OVERLOADED, 429, 1000, {"Too Many Requests", 17}, {}},
    {EH_ERR_TIMEOUT, 0, 0, {"no answer within 30000ms", 24}, {}},
    {EH_ERR_REJECTED, 400, 0, {"Bad Request", 11}, {}},
};

}  // namespace

Result<RunResult> run_policy(const Subject& subject, const Workload& workload, Progress& progress) {
  auto instance = make_instance(subject, nullptr, nullptr);
  if (!instance) return instance.status();
  const eh_plugin& d = (*instance)->plugin();
  void* inst = (*instance)->instance();
  constexpr std::array<std::string_view, 5> kNames{"done", "retry", "dead_letter", "drop", "invalid_action"};
  constexpr std::array<bool, 5> kFailures{false, false, false, false, true};
  constexpr size_t kCases = std::size(kResults);
  uint64_t turn = 0;
  return call_loop(workload, progress, "one decide() call", kNames, kFailures, [&](const eh_event& ev) -> size_t {
    const eh_delivery_result& r = kResults[turn % kCases];
    auto attempt = static_cast<uint32_t>((turn / kCases) % 4 + 1);
    ++turn;
    eh_delivery_decision decision = d.decide(inst, &ev, attempt, &r, 1);
    return decision.action >= EH_DELIVERY_DONE && decision.action <= EH_DELIVERY_DROP
               ? static_cast<size_t>(decision.action)
               : 4;
  });
}

}  // namespace eventhost::bench
