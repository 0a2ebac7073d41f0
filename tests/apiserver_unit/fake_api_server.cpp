#include "fake_api_server.hpp"

#include "subprocess.hpp"

#include <boost/asio/ssl.hpp>

#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <stdexcept>

namespace eventhost::testing {
namespace {

using namespace std::chrono_literals;

void openssl(const std::vector<std::string>& args, const std::string& dir) {
  std::vector<std::string> argv = {"/usr/bin/openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = run(argv, 60s);
  if (r.exit_code != 0) throw std::runtime_error("openssl " + args[0] + " failed in " + dir + ": " + r.err);
}

void make_certificates(const std::string& d) {
  openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
           d + "/ca.key", "-out", d + "/ca.crt", "-days", "2", "-subj", "/CN=fake-apiserver-ca", "-addext",
           "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"},
          d);
  openssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", d + "/server.key",
           "-out", d + "/server.csr", "-subj", "/CN=fake-apiserver"},
          d);
  {
    FILE* f = fopen((d + "/server.ext").c_str(), "w");
    fputs("subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n", f);
    fclose(f);
  }
  openssl({"x509", "-req", "-in", d + "/server.csr", "-CA", d + "/ca.crt", "-CAkey", d + "/ca.key", "-CAcreateserial",
           "-days", "2", "-extfile", d + "/server.ext", "-out", d + "/server.crt"},
          d);
}

std::string url_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

class TlsConnection final : public ApiConnection {
 public:
  TlsConnection(SSL* ssl, const std::atomic<bool>& stopping) : ssl_(ssl), stopping_(stopping) {}

  bool write(const std::string& bytes) {
    if (closed_) return false;
    size_t done = 0;
    while (done < bytes.size()) {
      int n = SSL_write(ssl_, bytes.data() + done, static_cast<int>(bytes.size() - done));
      if (n <= 0) {
        closed_ = true;
        return false;
      }
      done += static_cast<size_t>(n);
    }
    return true;
  }
  void respond(int status, const std::string& body) override {
    write("HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\nContent-Length: " +
          std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    closed_ = true;
  }
  void start_stream() override {
    write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
  }
  bool stream_line(const std::string& json) override {
    std::string data = json + "\n";
    char size[32];
    snprintf(size, sizeof size, "%zx\r\n", data.size());
    return write(size + data + "\r\n");
  }
  void end_stream() override {
    write("0\r\n\r\n");
    closed_ = true;
  }
  void drop() override { closed_ = true; }
  bool stopping() const override { return stopping_; }

 private:
  SSL* ssl_;
  const std::atomic<bool>& stopping_;
  bool closed_ = false;
};

}  // namespace

void LineQueue::push(std::string line) {
  std::lock_guard lock(mutex_);
  lines_.push_back(std::move(line));
  cv_.notify_all();
}

void LineQueue::end() {
  std::lock_guard lock(mutex_);
  close_ = Close::end;
  cv_.notify_all();
}

void LineQueue::drop() {
  std::lock_guard lock(mutex_);
  close_ = Close::drop;
  cv_.notify_all();
}

void LineQueue::serve(ApiConnection& conn) {
  conn.start_stream();
  std::unique_lock lock(mutex_);
  while (!conn.stopping()) {
    if (!lines_.empty()) {
      std::string line = std::move(lines_.front());
      lines_.pop_front();
      lock.unlock();
      bool ok = conn.stream_line(line);
      lock.lock();
      if (!ok) return;
      continue;
    }
    if (close_ != Close::none) {
      Close c = std::exchange(close_, Close::none);
      lock.unlock();
      if (c == Close::end) {
        conn.end_stream();
      } else {
        conn.drop();
      }
      return;
    }
    cv_.wait_for(lock, 50ms);
  }
}

struct FakeApiServer::Impl {
  SSL_CTX* ctx = nullptr;
  int listen_fd = -1;
};

FakeApiServer::FakeApiServer(const std::string& dir, Handler handler)
    : dir_(dir), handler_(std::move(handler)), impl_(std::make_unique<Impl>()) {
  std::signal(SIGPIPE, SIG_IGN);  // a client that went away must not kill the test
  make_certificates(dir_);
  impl_->ctx = SSL_CTX_new(TLS_server_method());
  if (SSL_CTX_use_certificate_file(impl_->ctx, (dir_ + "/server.crt").c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_use_PrivateKey_file(impl_->ctx, (dir_ + "/server.key").c_str(), SSL_FILETYPE_PEM) != 1) {
    throw std::runtime_error("fake API server: cannot load its certificate");
  }
  impl_->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(impl_->listen_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(impl_->listen_fd, 64) != 0) {
    throw std::runtime_error("fake API server: cannot listen");
  }
  socklen_t len = sizeof addr;
  getsockname(impl_->listen_fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

FakeApiServer::~FakeApiServer() {
  stopping_ = true;
  shutdown(impl_->listen_fd, SHUT_RDWR);
  close(impl_->listen_fd);
  acceptor_.join();
  {
    std::lock_guard lock(mutex_);
    for (int fd : open_fds_) shutdown(fd, SHUT_RDWR);
  }
  for (auto& t : threads_) t.join();
  SSL_CTX_free(impl_->ctx);
}

void FakeApiServer::accept_loop() {
  while (!stopping_) {
    int fd = accept(impl_->listen_fd, nullptr, nullptr);
    if (fd < 0) return;
    std::lock_guard lock(mutex_);
    open_fds_.push_back(fd);
    threads_.emplace_back([this, fd] { serve(fd); });
  }
}

void FakeApiServer::serve(int fd) {
  SSL* ssl = SSL_new(impl_->ctx);
  SSL_set_fd(ssl, fd);
  if (SSL_accept(ssl) == 1) {
    std::string head;
    char buf[4096];
    while (head.find("\r\n\r\n") == std::string::npos) {
      int n = SSL_read(ssl, buf, sizeof buf);
      if (n <= 0) break;
      head.append(buf, static_cast<size_t>(n));
    }
    if (head.find("\r\n\r\n") != std::string::npos) {
      ApiRequest req;
      size_t sp1 = head.find(' '), sp2 = head.find(' ', sp1 + 1);
      req.method = head.substr(0, sp1);
      req.target = head.substr(sp1 + 1, sp2 - sp1 - 1);
      size_t q = req.target.find('?');
      req.path = req.target.substr(0, q);
      if (q != std::string::npos) {
        std::string qs = req.target.substr(q + 1);
        for (size_t start = 0; start <= qs.size();) {
          size_t amp = qs.find('&', start);
          std::string kv = qs.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
          size_t eq = kv.find('=');
          req.query[url_decode(kv.substr(0, eq))] = eq == std::string::npos ? "" : url_decode(kv.substr(eq + 1));
          if (amp == std::string::npos) break;
          start = amp + 1;
        }
      }
      std::string lower = head;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      size_t auth = lower.find("\r\nauthorization: ");
      if (auth != std::string::npos) {
        size_t start = auth + 17, end = head.find("\r\n", start);
        req.authorization = head.substr(start, end - start);
      }
      size_t header_end = head.find("\r\n\r\n") + 4;
      size_t length_at = lower.find("\r\ncontent-length: ");
      size_t length = length_at == std::string::npos ? 0 : std::stoul(head.substr(length_at + 18));
      req.body = head.substr(header_end);
      while (req.body.size() < length) {
        int n = SSL_read(ssl, buf, sizeof buf);
        if (n <= 0) break;
        req.body.append(buf, static_cast<size_t>(n));
      }
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(req);
        cv_.notify_all();
      }
      TlsConnection conn(ssl, stopping_);
      handler_(req, conn);
      SSL_shutdown(ssl);
    }
  }
  SSL_free(ssl);
  std::lock_guard lock(mutex_);
  open_fds_.erase(std::find(open_fds_.begin(), open_fds_.end(), fd));
  close(fd);
}

std::vector<ApiRequest> FakeApiServer::requests() {
  std::lock_guard lock(mutex_);
  return requests_;
}

bool FakeApiServer::wait_for_request(const std::string& needle, size_t count, int timeout_ms) {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
    size_t n = 0;
    for (const auto& r : requests_) {
      if (r.target.find(needle) != std::string::npos) ++n;
    }
    return n >= count;
  });
}

}  // namespace eventhost::testing
