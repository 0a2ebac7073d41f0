// A small HTTPS server standing in for kube-apiserver in unit tests: a certificate for 127.0.0.1 signed by a CA made
// with the openssl command, one thread per connection, and a handler per request written by the test. Handlers may
// answer at once, stream watch events line by line, or drop the connection.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace eventhost::testing {

struct ApiRequest {
  std::string method;         // "GET", "PUT", ...
  std::string target;         // path and query as sent
  std::string path;
  std::map<std::string, std::string> query;  // decoded
  std::string authorization;  // the Authorization header
  std::string body;           // as sent (Content-Length)
};

class ApiConnection {
 public:
  virtual ~ApiConnection() = default;
  virtual void respond(int status, const std::string& json_body) = 0;
  virtual void start_stream() = 0;                          // 200, chunked, application/json
  virtual bool stream_line(const std::string& json) = 0;    // one watch event; false when the client is gone
  virtual void end_stream() = 0;                            // a clean end of the body
  virtual void drop() = 0;                                  // close without ending the body
  virtual bool stopping() const = 0;                        // the server is shutting down
};

// Lines for one watch stream, pushed by the test and read by the server's handler.
class LineQueue {
 public:
  void push(std::string line);
  void end();   // the stream ends cleanly after the lines pushed so far
  void drop();  // the connection is dropped after the lines pushed so far
  // Serves the queue on `conn` until end, drop or the server stops.
  void serve(ApiConnection& conn);

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::string> lines_;
  enum class Close { none, end, drop } close_ = Close::none;
};

class FakeApiServer {
 public:
  using Handler = std::function<void(const ApiRequest&, ApiConnection&)>;

  // Makes the certificates in `dir` (ca.crt is what clients trust) and listens on 127.0.0.1:<free port>.
  FakeApiServer(const std::string& dir, Handler handler);
  ~FakeApiServer();

  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  std::string ca_file() const { return dir_ + "/ca.crt"; }
  std::vector<ApiRequest> requests();
  // Waits until a request whose path and query contain `needle` arrived `count` times in total.
  bool wait_for_request(const std::string& needle, size_t count = 1, int timeout_ms = 20000);

 private:
  struct Impl;
  void accept_loop();
  void serve(int fd);

  std::string dir_;
  Handler handler_;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<ApiRequest> requests_;
  std::vector<int> open_fds_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace eventhost::testing
