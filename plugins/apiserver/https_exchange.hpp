// One HTTPS request to the API server whose answer body is handed over as it arrives, with flow control: a list page
// or a watch stream (GET), or a whole JSON answer to a create or update (POST, PUT). Runs on the caller's io_context (the source's own thread); TLS verifies the server against the
// cluster CA and its name or IP address. A new connection per exchange: lists are rare and watches long-lived.
#pragma once

#include "cluster_access.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace eventhost::apiserver {

// The TLS client context for a cluster: its CA, and the client certificate when the credentials have one.
Result<std::unique_ptr<boost::asio::ssl::context>> make_tls_context(const ClusterAccess& access);

class HttpsExchange {
 public:
  struct Handlers {
    std::function<void(unsigned status)> on_status;       // the answer's headers arrived
    std::function<bool(std::string_view bytes)> on_body;  // body bytes; false pauses reading until read_more()
    std::function<void(std::string error)> on_end;        // empty: the whole body arrived; else why it failed
  };

  // Starts the exchange. `idle_timeout` bounds connecting and every single read (a watch sends bookmarks);
  // max_body (0: no limit) fails answers with a larger body.
  static std::shared_ptr<HttpsExchange> start(boost::asio::io_context& io, boost::asio::ssl::context& tls,
                                              const ServerAddress& server, const std::string& bearer_token,
                                              std::string target, std::chrono::seconds idle_timeout,
                                              Handlers handlers, uint64_t max_body = 0);
  virtual ~HttpsExchange() = default;

  // Continues after on_body returned false. Call on the io_context's thread.
  virtual void read_more() = 0;
  // Ends the exchange; no handler runs afterwards. Call on the io_context's thread.
  virtual void cancel() = 0;
};

struct HttpAnswer {
  unsigned status = 0;
  std::string body;
};

// A whole answer (discovery, a list page): done runs once with the status and body, or the failure. Bodies over
// max_body fail.
std::shared_ptr<HttpsExchange> fetch(boost::asio::io_context& io, boost::asio::ssl::context& tls,
                                     const ServerAddress& server, const std::string& bearer_token, std::string target,
                                     std::chrono::seconds timeout, size_t max_body,
                                     std::function<void(Result<HttpAnswer>)> done);

enum class Method { post, put };

// A create (POST) or update (PUT) with a JSON body; done runs once like fetch's.
std::shared_ptr<HttpsExchange> send_json(boost::asio::io_context& io, boost::asio::ssl::context& tls,
                                         const ServerAddress& server, const std::string& bearer_token, Method method,
                                         std::string target, std::string json_body, std::chrono::seconds timeout,
                                         size_t max_body, std::function<void(Result<HttpAnswer>)> done);

// The `message` of a Kubernetes Status answer, else the start of the body.
std::string status_message(std::string_view body);

// A failed answer for the log: 401 and 403 say what to check (403: the RBAC verbs the source needs on `plural`).
std::string describe_answer(unsigned status, std::string_view body, const std::string& plural);

}  // namespace eventhost::apiserver
