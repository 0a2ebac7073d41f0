#include "call_loop.hpp"
#include "drivers.hpp"

namespace eventhost::bench {

Result<RunResult> run_filter(const Subject& subject, const Workload& workload, Progress& progress) {
  auto instance = make_instance(subject, nullptr, nullptr);
  if (!instance) return instance.status();
  const eh_plugin& d = (*instance)->plugin();
  void* inst = (*instance)->instance();
  // The worker treats anything but 1 as "does not pass"; other answers are counted as the plugin's error.
  constexpr std::array<std::string_view, 3> kNames{"drop", "pass", "invalid_answer"};
  constexpr std::array<bool, 3> kFailures{false, false, true};
  return call_loop(workload, progress, "one match() call", kNames, kFailures, [&](const eh_event& ev) -> size_t {
    int answer = d.match(inst, &ev);
    return answer == 0 ? 0 : answer == 1 ? 1 : 2;
  });
}

}  // namespace eventhost::bench
