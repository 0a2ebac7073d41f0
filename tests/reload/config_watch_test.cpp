// The config watcher on a directory laid out the way the kubelet mounts a ConfigMap, and on a plain file.
#include "config/watch.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

namespace eventhost::config {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::TempDir;

class ConfigWatch : public ::testing::Test {
 protected:
  void SetUp() override {
    // pipelines.toml -> ..data/pipelines.toml, ..data -> ..2026_11_23_05_00_00.1
    fs::create_directory(dir_.path() / "..2026_11_23_05_00_00.1");
    dir_.write("..2026_11_23_05_00_00.1/pipelines.toml", "# one\n");
    fs::create_directory_symlink("..2026_11_23_05_00_00.1", dir_.path() / "..data");
    fs::create_symlink("..data/pipelines.toml", dir_.path() / "pipelines.toml");
  }
  // What the kubelet does on an update: a new timestamped directory, a new symlink renamed over ..data, the old
  // directory removed.
  void swap_data(const std::string& content) {
    std::string stamp = "..2026_11_23_05_00_00." + std::to_string(++version_);
    fs::create_directory(dir_.path() / stamp);
    dir_.write(stamp + "/pipelines.toml", content);
    fs::create_directory_symlink(stamp, dir_.path() / "..data_tmp");
    fs::rename(dir_.path() / "..data_tmp", dir_.path() / "..data");
    fs::remove_all(dir_.path() / ("..2026_11_23_05_00_00." + std::to_string(version_ - 1)));
  }
  std::unique_ptr<ConfigWatcher> watch(const std::string& path) {
    auto w = ConfigWatcher::start({path}, 100ms, [this] { changes_.fetch_add(1); });
    EXPECT_TRUE(w) << w.status().message();
    return w ? std::move(*w) : nullptr;
  }
  bool wait_for_changes(int n) {
    for (auto deadline = std::chrono::steady_clock::now() + 5s; std::chrono::steady_clock::now() < deadline;) {
      if (changes_.load() >= n) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }

  TempDir dir_;
  int version_ = 1;
  std::atomic<int> changes_{0};
};

TEST_F(ConfigWatch, AConfigMapUpdateIsOneChange) {
  auto w = watch(dir_.path().string());
  swap_data("# two\n");
  ASSERT_TRUE(wait_for_changes(1));
  std::this_thread::sleep_for(400ms);  // the burst (mkdir, symlink, rename, rmdir) was reported once
  EXPECT_EQ(changes_.load(), 1);
  swap_data("# three\n");
  EXPECT_TRUE(wait_for_changes(2));
}

TEST_F(ConfigWatch, AFileInsideAConfigMapMountSeesTheSwap) {
  auto w = watch(dir_.file("pipelines.toml"));
  swap_data("# two\n");
  EXPECT_TRUE(wait_for_changes(1));
}

TEST_F(ConfigWatch, APlainFileIsWatchedAloneInItsDirectory) {
  std::string config = dir_.write("worker.toml", "# one\n");
  auto w = watch(config);
  dir_.write("notes.txt", "unrelated\n");
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(changes_.load(), 0);
  dir_.write("worker.toml", "# two\n");
  ASSERT_TRUE(wait_for_changes(1));
  // An editor's save: a new file renamed over the old one.
  dir_.write("worker.toml.swp", "# three\n");
  fs::rename(dir_.file("worker.toml.swp"), config);
  EXPECT_TRUE(wait_for_changes(2));
}

TEST_F(ConfigWatch, AMissingDirectoryIsRefusedWithItsName) {
  auto w = ConfigWatcher::start({dir_.file("nowhere/pipelines.toml")}, 100ms, [] {});
  ASSERT_FALSE(w);
  EXPECT_NE(w.status().message().find("nowhere"), std::string::npos) << w.status().message();
}

}  // namespace
}  // namespace eventhost::config
