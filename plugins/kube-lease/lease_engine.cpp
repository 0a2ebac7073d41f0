#include "lease_engine.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>

namespace eventhost::kubelease {

namespace {

constexpr size_t kMaxLeaseBytes = 1 << 20;

}  // namespace

std::string LeaseEngine::describe(const apiserver::HttpAnswer& answer) const {
  if (answer.status == 403) {
    return "forbidden (HTTP 403): the elector needs get, create and update on leases (coordination.k8s.io) in "
           "namespace " + settings_.ns + " (" + apiserver::status_message(answer.body) + ")";
  }
  return apiserver::describe_answer(answer.status, answer.body, "leases");
}

Result<std::unique_ptr<LeaseEngine>> LeaseEngine::start(Host host, const LeaseSettings& settings) {
  auto access = settings.credentials.access();
  if (!access) return access.status();
  auto tls = apiserver::make_tls_context(*access);
  if (!tls) return tls.status();
  std::unique_ptr<LeaseEngine> engine(new LeaseEngine(host, settings, std::move(access).value(), std::move(tls).value()));
  engine->thread_ = std::thread([e = engine.get()] {
    e->host_.info("campaigning for Lease " + e->settings_.ns + "/" + e->settings_.lease + " at " +
                  e->access_.server.url + " as " + e->settings_.identity);
    boost::asio::post(e->io_, [e] { e->attempt(); });
    e->io_.run();
  });
  return engine;
}

LeaseEngine::LeaseEngine(Host host, const LeaseSettings& settings, apiserver::ClusterAccess access,
                         std::unique_ptr<boost::asio::ssl::context> tls)
    : host_(host),
      settings_(settings),
      access_(std::move(access)),
      tls_(std::move(tls)),
      // A hanging request is given up within half the renew deadline, leaving time for another try.
      request_timeout_(std::max<std::chrono::seconds>(
          std::chrono::seconds(1), std::chrono::duration_cast<std::chrono::seconds>(settings.timing.renew_deadline / 2))),
      work_(boost::asio::make_work_guard(io_)),
      retry_timer_(io_),
      deadline_timer_(io_),
      election_(settings.identity, settings.timing) {}

LeaseEngine::~LeaseEngine() {
  stop();
  if (thread_.joinable()) thread_.join();
}

std::string LeaseEngine::lease_path() const {
  return "/apis/coordination.k8s.io/v1/namespaces/" + settings_.ns + "/leases";
}

void LeaseEngine::attempt() {
  if (resigning_) return;
  auto token = access_.bearer_token();
  if (!token) {
    trouble(token.status().message());
    return after(settings_.timing.retry_period);
  }
  exchange_ = apiserver::fetch(io_, *tls_, access_.server, *token, lease_path() + "/" + settings_.lease,
                               request_timeout_, kMaxLeaseBytes,
                               [this](Result<apiserver::HttpAnswer> a) { on_read(std::move(a)); });
}

void LeaseEngine::on_read(Result<apiserver::HttpAnswer> answer) {
  exchange_.reset();
  std::optional<LeaseRecord> current;
  if (!answer) {
    trouble("reading the Lease: " + answer.status().message());
    return after(settings_.timing.retry_period);
  }
  if (answer->status == 404) {
    lease_json_.clear();
  } else if (answer->status == 200) {
    auto record = parse_lease_record(answer->body);
    if (!record) {
      trouble("reading the Lease: " + record.status().message());
      return after(settings_.timing.retry_period);
    }
    current = std::move(record).value();
    lease_json_ = std::move(answer->body);
  } else {
    trouble("reading the Lease: " + describe(*answer));
    return after(settings_.timing.retry_period);
  }
  auto now = SteadyClock::now();
  auto next = election_.next_record(current, now, micro_time(std::chrono::system_clock::now()));
  if (!next) {
    trouble_.clear();  // another replica holds a valid lease
    return after(settings_.timing.retry_period);
  }
  write(!current.has_value(), *next, now);
}

void LeaseEngine::write(bool create, const LeaseRecord& record, SteadyClock::time_point sent_at) {
  auto token = access_.bearer_token();
  if (!token) {
    trouble(token.status().message());
    return after(settings_.timing.retry_period);
  }
  std::string body = lease_with(create ? std::string_view() : lease_json_, settings_.lease, settings_.ns, record);
  exchange_ = apiserver::send_json(
      io_, *tls_, access_.server, *token, create ? apiserver::Method::post : apiserver::Method::put,
      create ? lease_path() : lease_path() + "/" + settings_.lease, std::move(body), request_timeout_, kMaxLeaseBytes,
      [this, record, sent_at](Result<apiserver::HttpAnswer> a) { on_written(record, sent_at, std::move(a)); });
}

void LeaseEngine::on_written(const LeaseRecord& record, SteadyClock::time_point sent_at,
                             Result<apiserver::HttpAnswer> answer) {
  exchange_.reset();
  if (!answer) {
    trouble("writing the Lease: " + answer.status().message());
  } else if (answer->status == 200 || answer->status == 201) {
    lease_json_ = std::move(answer->body);
    election_.accepted(record, sent_at);
    trouble_.clear();
    conflict_retried_ = false;
    report();
    deadline_timer_.expires_at(election_.leading_until());
    deadline_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) report();
    });
  } else if (answer->status == 409 && !conflict_retried_) {
    // Another replica wrote first (or created it): read what it wrote and decide again at once.
    conflict_retried_ = true;
    host_.log(EH_LOG_DEBUG, "the Lease changed since it was read (409): reading it again");
    return attempt();
  } else {
    trouble("writing the Lease: " + describe(*answer));
  }
  after(settings_.timing.retry_period);
}

void LeaseEngine::after(std::chrono::milliseconds delay) {
  report();
  if (resigning_) return;
  retry_timer_.expires_after(delay);
  retry_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || resigning_) return;
    conflict_retried_ = false;
    attempt();
  });
}

void LeaseEngine::report() {
  bool leading = election_.leading(SteadyClock::now());
  {
    std::lock_guard lock(report_mutex_);
    if (stopped_ || leading == reported_leading_) return;
    reported_leading_ = leading;
    host_.set_leading(leading);
  }
  if (leading) {
    host_.info("leading: holds Lease " + settings_.ns + "/" + settings_.lease + " as " + settings_.identity);
  } else {
    host_.warn("no longer leading: the Lease " + settings_.ns + "/" + settings_.lease +
               " was not renewed within renew_deadline, or another replica holds it");
  }
}

void LeaseEngine::trouble(const std::string& what) {
  if (what != trouble_) host_.warn(what);
  trouble_ = what;
}

void LeaseEngine::stop() {
  {
    std::lock_guard lock(report_mutex_);
    if (stopped_) return;
    stopped_ = true;
    if (reported_leading_) {
      reported_leading_ = false;
      host_.set_leading(false);
    }
  }
  boost::asio::post(io_, [this] { resign(); });
}

void LeaseEngine::resign() {
  resigning_ = true;
  retry_timer_.cancel();
  deadline_timer_.cancel();
  if (exchange_) {
    exchange_->cancel();
    exchange_.reset();
  }
  auto record = election_.release(micro_time(std::chrono::system_clock::now()));
  auto token = access_.bearer_token();
  if (!record || lease_json_.empty() || !token) {
    work_.reset();
    return;
  }
  exchange_ = apiserver::send_json(
      io_, *tls_, access_.server, *token, apiserver::Method::put, lease_path() + "/" + settings_.lease,
      lease_with(lease_json_, settings_.lease, settings_.ns, *record), request_timeout_, kMaxLeaseBytes,
      [this](Result<apiserver::HttpAnswer> a) {
        exchange_.reset();
        if (a && a->status == 200) {
          host_.info("gave the Lease " + settings_.ns + "/" + settings_.lease + " up");
        } else {
          host_.warn("could not give the Lease up (" +
                     (a ? describe(*a) : a.status().message()) +
                     "): another replica takes over once it expires");
        }
        work_.reset();
      });
}

}  // namespace eventhost::kubelease
