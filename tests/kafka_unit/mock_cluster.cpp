#include "mock_cluster.hpp"

#include <stdexcept>
#include <thread>

namespace eventhost::testing {
namespace {

rd_kafka_t* client(rd_kafka_type_t type, const std::vector<std::pair<std::string, std::string>>& props) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  for (const auto& [k, v] : props) {
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) throw std::runtime_error(err);
  }
  rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof err);
  if (rk == nullptr) throw std::runtime_error(err);
  return rk;
}

}  // namespace

MockCluster::MockCluster(int brokers) {
  rk_ = client(RD_KAFKA_PRODUCER, {{"log_level", "0"}});
  cluster_ = rd_kafka_mock_cluster_new(rk_, brokers);
  if (cluster_ == nullptr) throw std::runtime_error("rd_kafka_mock_cluster_new failed");
  bootstrap_ = rd_kafka_mock_cluster_bootstraps(cluster_);
}

MockCluster::~MockCluster() {
  rd_kafka_mock_cluster_destroy(cluster_);
  rd_kafka_destroy(rk_);
}

void MockCluster::create_topic(const std::string& topic, int partitions) {
  if (rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions, 1) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw std::runtime_error("cannot create mock topic " + topic);
  }
}

void MockCluster::produce(const std::string& topic, int32_t partition, const std::vector<std::string>& values,
                          const std::optional<std::string>& key,
                          const std::vector<std::pair<std::string, std::string>>& headers) {
  rd_kafka_t* p = client(RD_KAFKA_PRODUCER, {{"bootstrap.servers", bootstrap_}, {"linger.ms", "0"}});
  const void* key_ptr = key ? key->data() : nullptr;
  const size_t key_len = key ? key->size() : 0;
  for (const auto& v : values) {
    rd_kafka_headers_t* h = rd_kafka_headers_new(headers.size());
    for (const auto& [n, hv] : headers) rd_kafka_header_add(h, n.data(), n.size(), hv.data(), hv.size());
    rd_kafka_resp_err_t e = rd_kafka_producev(
        p, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_VALUE(const_cast<char*>(v.data()), v.size()),
        RD_KAFKA_V_KEY(key_ptr, key_len), RD_KAFKA_V_HEADERS(h), RD_KAFKA_V_END);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR) throw std::runtime_error(rd_kafka_err2str(e));
  }
  if (rd_kafka_flush(p, 10000) != RD_KAFKA_RESP_ERR_NO_ERROR) throw std::runtime_error("flush timed out");
  rd_kafka_destroy(p);
}

std::vector<ReadRecord> MockCluster::read(const std::string& topic, int partitions, size_t count,
                                          std::chrono::milliseconds timeout) {
  rd_kafka_t* c = client(RD_KAFKA_CONSUMER, {{"bootstrap.servers", bootstrap_}, {"group.id", "test-reader"},
                                             {"enable.auto.commit", "false"}});
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(partitions);
  for (int i = 0; i < partitions; ++i) {
    rd_kafka_topic_partition_list_add(list, topic.c_str(), i)->offset = RD_KAFKA_OFFSET_BEGINNING;
  }
  rd_kafka_assign(c, list);
  rd_kafka_topic_partition_list_destroy(list);
  std::vector<ReadRecord> out;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (out.size() < count && std::chrono::steady_clock::now() < deadline) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(c, 100);
    if (m == nullptr) continue;
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      ReadRecord r{m->partition, m->offset, {}};
      if (m->key) r.record.key.emplace(static_cast<const char*>(m->key), m->key_len);
      if (m->payload) r.record.value.emplace(static_cast<const char*>(m->payload), m->len);
      rd_kafka_headers_t* h = nullptr;
      if (rd_kafka_message_headers(m, &h) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        const char* name;
        const void* value;
        size_t size;
        for (size_t i = 0; rd_kafka_header_get_all(h, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i) {
          r.record.headers.emplace_back(name, std::string(static_cast<const char*>(value), size));
        }
      }
      out.push_back(std::move(r));
    }
    rd_kafka_message_destroy(m);
  }
  rd_kafka_consumer_close(c);
  rd_kafka_destroy(c);
  return out;
}

std::map<int32_t, int64_t> MockCluster::committed(const std::string& group, const std::string& topic, int partitions) {
  rd_kafka_t* c = client(RD_KAFKA_CONSUMER, {{"bootstrap.servers", bootstrap_}, {"group.id", group}});
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(partitions);
  for (int i = 0; i < partitions; ++i) rd_kafka_topic_partition_list_add(list, topic.c_str(), i);
  std::map<int32_t, int64_t> out;
  if (rd_kafka_committed(c, list, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    for (int i = 0; i < list->cnt; ++i) out[list->elems[i].partition] = list->elems[i].offset;
  }
  rd_kafka_topic_partition_list_destroy(list);
  rd_kafka_destroy(c);
  return out;
}

bool MockCluster::wait_committed(const std::string& group, const std::string& topic,
                                 const std::map<int32_t, int64_t>& expected, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (committed(group, topic, static_cast<int>(expected.size())) == expected) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

int MockCluster::partition_count(const std::string& topic) {
  rd_kafka_t* p = client(RD_KAFKA_PRODUCER, {{"bootstrap.servers", bootstrap_}});
  rd_kafka_topic_t* t = rd_kafka_topic_new(p, topic.c_str(), nullptr);
  const rd_kafka_metadata_t* md = nullptr;
  int n = -1;
  if (rd_kafka_metadata(p, 0, t, &md, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (md->topic_cnt == 1 && md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR) n = md->topics[0].partition_cnt;
    rd_kafka_metadata_destroy(md);
  }
  rd_kafka_topic_destroy(t);
  rd_kafka_destroy(p);
  return n;
}

}  // namespace eventhost::testing
