// Runs the real eventhost binary (or any command) as a child process, the way users and Kubernetes do.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace eventhost::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 when it did not exit by itself in time (it was killed)
  std::string out;
  std::string err;
};

class Process {
 public:
  // Starts argv[0] with stdout and stderr captured into files in `capture_dir`; `env` entries are "NAME=value".
  Process(const std::vector<std::string>& argv, const std::string& capture_dir,
          const std::vector<std::string>& env = {});
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  void signal(int signo) const;
  // Waits for exit; kills the child and returns exit_code -1 after `timeout`.
  ProcessResult wait(std::chrono::milliseconds timeout);
  std::string current_out() const;
  std::string current_err() const;
  // Polls stdout until it contains `text`; false after `timeout`.
  bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout) const;

 private:
  int pid_ = -1;
  std::string out_path_;
  std::string err_path_;
  bool reaped_ = false;
};

// Runs to completion (or kill after timeout).
ProcessResult run(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                  const std::vector<std::string>& env = {});

}  // namespace eventhost::testing
