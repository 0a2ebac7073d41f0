// Runs the built eventhost binary (EVENTHOST, set by meson) as a child process with a given stdin, the way a
// person at a shell does, and captures its exit code, stdout and stderr.
#pragma once

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace cli_test {

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// A scratch directory, removed with the object.
class Scratch {
 public:
  Scratch() {
    std::string pattern = (std::filesystem::temp_directory_path() / "eventhost-cli-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  std::string write(const std::string& name, const std::string& content) const {
    std::ofstream(dir_ / name, std::ios::binary) << content;
    return (dir_ / name).string();
  }
  std::string read(const std::string& name) const {
    std::ifstream in(dir_ / name, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

 private:
  std::filesystem::path dir_;
};

inline std::string eventhost_binary() {
  const char* path = std::getenv("EVENTHOST");
  return path == nullptr ? std::string() : std::string(path);
}

// eventhost ARGS... < stdin_text
inline Outcome eventhost(const std::vector<std::string>& args, const std::string& stdin_text = "") {
  Scratch scratch;
  std::string in = scratch.write("stdin", stdin_text);
  std::string out = scratch.path("stdout");
  std::string err = scratch.path("stderr");
  std::vector<std::string> argv_storage{eventhost_binary()};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t pid = fork();
  if (pid == 0) {
    int fd_in = open(in.c_str(), O_RDONLY);
    int fd_out = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int fd_err = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd_in < 0 || fd_out < 0 || fd_err < 0) _exit(126);
    dup2(fd_in, 0);
    dup2(fd_out, 1);
    dup2(fd_err, 2);
    execv(argv[0], argv.data());
    _exit(127);
  }
  Outcome outcome;
  int status = 0;
  if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status)) outcome.exit_code = WEXITSTATUS(status);
  outcome.out = scratch.read("stdout");
  outcome.err = scratch.read("stderr");
  return outcome;
}

#define SKIP_WITHOUT_EVENTHOST() \
  if (cli_test::eventhost_binary().empty()) GTEST_SKIP() << "EVENTHOST is not set (run through meson test)"

}  // namespace cli_test
