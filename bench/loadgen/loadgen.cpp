// The load generator of scripts/bench.sh load: many Neuvo clients and advisors at once, in one
// process on a few threads, over loopback. It also drives the baselines (bench/loadgen's Beast
// echo server and bench/node-relay) with the same frames, so that results are ratios measured by
// the same generator in the same run.
//
// Everyone is connected first (spread over several 127.0.1.x source addresses, since one address
// has only ~28,000 ephemeral ports); then traffic runs for a fixed time. Latency is measured end to
// end, from send to receipt at the other side: every chat text starts with its send time. The
// result is one JSON object on standard output. See bench/README.md for the options.

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <netinet/in.h>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using json = nlohmann::json;

namespace {

// ---- Options ----

struct Options {
    std::string target = "neuvo"; // neuvo | echo | node
    bool tls = false;
    std::string host = "127.0.0.1";
    unsigned short port = 0;
    std::string scenario = "relay"; // connections | relay | churn | mixed
    int clients = 100;              // connections: idle clients; relay: conversations
    int advisors = 10;
    int capacity = 10;
    std::string login_prefix = "load";
    std::string password = "load-password-2026";
    double rate = 0; // chat messages per second in total; 0: as fast as it goes (ping-pong)
    int window = 1;  // ping-pong: messages in flight per conversation
    double duration = 5;
    double setup_timeout = 180;
    int threads = 1;
    int sources = 8;
    int server_pid = 0;
    std::string language = "fi";
    std::string home = "091";
    int text_bytes = 80;
    bool ack = true;
    int connect_parallel = 256; // handshakes in flight per thread
    // mixed day
    int messages_per_conversation = 8; // then the advisor ends it
    double transfer_share = 0.1;       // of conversations handed to the language's queue
    double consult_share = 0.1;        // of conversations with a consult thread
    double think_ms = 0;               // mean time before a reply
};

Options parse_options(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string name = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc)
                throw std::runtime_error(name + " needs a value");
            return argv[++i];
        };
        if (name == "--target")
            o.target = value();
        else if (name == "--tls")
            o.tls = true;
        else if (name == "--host")
            o.host = value();
        else if (name == "--port")
            o.port = static_cast<unsigned short>(std::stoi(value()));
        else if (name == "--scenario")
            o.scenario = value();
        else if (name == "--clients")
            o.clients = std::stoi(value());
        else if (name == "--advisors")
            o.advisors = std::stoi(value());
        else if (name == "--capacity")
            o.capacity = std::stoi(value());
        else if (name == "--login-prefix")
            o.login_prefix = value();
        else if (name == "--password")
            o.password = value();
        else if (name == "--rate")
            o.rate = std::stod(value());
        else if (name == "--window")
            o.window = std::max(1, std::stoi(value()));
        else if (name == "--duration")
            o.duration = std::stod(value());
        else if (name == "--setup-timeout")
            o.setup_timeout = std::stod(value());
        else if (name == "--threads")
            o.threads = std::max(1, std::stoi(value()));
        else if (name == "--sources")
            o.sources = std::clamp(std::stoi(value()), 1, 250);
        else if (name == "--server-pid")
            o.server_pid = std::stoi(value());
        else if (name == "--language")
            o.language = value();
        else if (name == "--home")
            o.home = value();
        else if (name == "--text-bytes")
            o.text_bytes = std::clamp(std::stoi(value()), 24, 3900);
        else if (name == "--no-ack")
            o.ack = false;
        else if (name == "--connect-parallel")
            o.connect_parallel = std::max(1, std::stoi(value()));
        else if (name == "--messages-per-conversation")
            o.messages_per_conversation = std::max(1, std::stoi(value()));
        else if (name == "--transfer-share")
            o.transfer_share = std::stod(value());
        else if (name == "--think-ms")
            o.think_ms = std::stod(value());
        else if (name == "--consult-share")
            o.consult_share = std::stod(value());
        else
            throw std::runtime_error("unknown option " + name);
    }
    if (o.port == 0)
        throw std::runtime_error("--port is required");
    if (o.target != "neuvo" && o.scenario != "relay" && o.scenario != "connections")
        throw std::runtime_error("the baselines run only the relay and connections scenarios");
    return o;
}

Options options;

// ---- Measurements ----

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
        .count();
}

// Log-linear buckets of 1 % in microseconds: enough for p99.9 and cheap to add to.
struct Histogram {
    static constexpr int size = 2600;
    std::vector<std::uint64_t> counts = std::vector<std::uint64_t>(size, 0);
    std::uint64_t total = 0;
    double max_us = 0;
    double sum_us = 0;

    void add(double us) {
        int index = us < 1 ? 0 : std::min(size - 1, static_cast<int>(std::log(us) * 100.5) + 1);
        ++counts[static_cast<std::size_t>(index)];
        ++total;
        sum_us += us;
        max_us = std::max(max_us, us);
    }
    void merge(const Histogram& other) {
        for (int i = 0; i < size; ++i)
            counts[static_cast<std::size_t>(i)] += other.counts[static_cast<std::size_t>(i)];
        total += other.total;
        sum_us += other.sum_us;
        max_us = std::max(max_us, other.max_us);
    }
    double percentile(double p) const {
        if (total == 0)
            return 0;
        auto rank = static_cast<std::uint64_t>(std::ceil(p * static_cast<double>(total)));
        std::uint64_t seen = 0;
        for (int i = 0; i < size; ++i) {
            seen += counts[static_cast<std::size_t>(i)];
            if (seen >= rank && seen > 0)
                return i == 0 ? 1.0 : std::min(max_us, std::exp(i / 100.5));
        }
        return max_us;
    }
    json report() const {
        auto round = [](double v) { return std::round(v * 10) / 10; };
        return {{"count", total},
                {"p50_us", round(percentile(0.5))},
                {"p99_us", round(percentile(0.99))},
                {"p999_us", round(percentile(0.999))},
                {"max_us", round(max_us)},
                {"mean_us", round(total ? sum_us / static_cast<double>(total) : 0)}};
    }
};

double process_cpu_seconds(const std::string& pid) {
    std::ifstream in("/proc/" + pid + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto close = text.rfind(')');
    if (close == std::string::npos)
        return 0;
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    double utime = 0, stime = 0;
    // After the command: state is field 3; utime and stime are fields 14 and 15.
    for (int number = 3; number <= 15 && fields >> field; ++number) {
        if (number == 14)
            utime = std::stod(field);
        if (number == 15)
            stime = std::stod(field);
    }
    return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Time the process's threads spent runnable but waiting for a CPU (/proc/<pid>/task/*/schedstat,
// second field, ns): high when other jobs share the machine, so that a latency taken then is
// known to be the machine's and not the server's.
double runqueue_wait_seconds(const std::string& pid) {
    double total = 0;
    std::error_code error;
    for (const auto& task : std::filesystem::directory_iterator("/proc/" + pid + "/task", error)) {
        std::ifstream in(task.path() / "schedstat");
        double on_cpu = 0, waiting = 0;
        if (in >> on_cpu >> waiting)
            total += waiting / 1e9;
    }
    return total;
}

long status_kib(const std::string& pid, const std::string& key) {
    std::ifstream in("/proc/" + pid + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key + ":", 0) == 0)
            return std::stol(line.substr(key.size() + 1));
    return 0;
}

// ---- Cheap frame reading: the hot frames are not parsed as JSON, only searched ----

std::string_view string_field(std::string_view frame, std::string_view key) {
    std::string pattern = "\"";
    pattern += key;
    pattern += "\":\"";
    auto at = frame.find(pattern);
    if (at == std::string_view::npos)
        return {};
    at += pattern.size();
    auto end = frame.find('"', at);
    return end == std::string_view::npos ? std::string_view{} : frame.substr(at, end - at);
}

std::int64_t number_field(std::string_view frame, std::string_view key) {
    std::string pattern = "\"";
    pattern += key;
    pattern += "\":";
    auto at = frame.find(pattern);
    if (at == std::string_view::npos)
        return -1;
    at += pattern.size();
    std::int64_t value = -1;
    std::from_chars(frame.data() + at, frame.data() + frame.size(), value);
    return value;
}

// The send time that every chat text starts with: "t<nanoseconds> ...".
std::int64_t sent_at(std::string_view frame) {
    auto at = frame.find("\"text\":\"t");
    if (at == std::string_view::npos)
        return -1;
    at += 9;
    std::int64_t value = -1;
    std::from_chars(frame.data() + at, frame.data() + frame.size(), value);
    return value;
}

// ---- Shared state ----

std::atomic<bool> running{false};   // traffic phase: send and count
std::atomic<bool> measuring{false}; // count only inside the measured window
std::atomic<int> connected{0};
std::atomic<int> connect_failures{0};
std::atomic<int> advisors_ready{0};
std::atomic<int> clients_ready{0};
std::atomic<int> conversations_open{0};
std::mutex errors_mutex;
std::map<std::string, int> error_counts;

void count_error(const std::string& what) {
    std::lock_guard lock(errors_mutex);
    if (++error_counts[what] <= 3)
        std::cerr << "loadgen: " << what << "\n";
}

asio::ip::address source_address(int index) {
    return asio::ip::make_address_v4("127.0.1." + std::to_string(1 + index % options.sources));
}

void bind_source(tcp::socket& socket, int index) {
    socket.open(tcp::v4());
    // Let connect() choose the port for the (source, destination) pair, not bind().
    socket.set_option(
        asio::detail::socket_option::boolean<IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT>(true));
    socket.bind(tcp::endpoint(source_address(index), 0));
    socket.set_option(tcp::no_delay(true));
}

class Connection;

struct Worker {
    asio::io_context io{1};
    asio::steady_timer ticker{io};
    std::vector<std::shared_ptr<Connection>> connections;
    std::size_t next_to_connect = 0;
    int connecting = 0;
    Histogram latency; // chat messages, send to receipt at the other side
    Histogram cycle;   // churn: request sent to conversation ended, at the client
    Histogram wrapup;  // wrapup sent to wrapup_done
    std::uint64_t delivered = 0;
    std::uint64_t completed = 0; // register rows saved (wrapup_done "saved")
    std::uint64_t transfers = 0;
    std::uint64_t consults = 0;
    std::uint64_t queued = 0;
    // Fixed-rate sending: who sends, round robin, and how fast this thread goes.
    struct Sender {
        Connection* connection;
        std::string conversation;
    };
    std::vector<Sender> senders;
    std::size_t next_sender = 0;
    double rate = 0;
    Clock::time_point rate_start;
    std::uint64_t rate_sent = 0;

    void pump_connects();
    void start_rate();
    void tick();
};

std::vector<std::unique_ptr<Worker>> workers;
ssl::context tls_context(ssl::context::tls_client);

enum class Role { client, advisor, echo, relay };

std::string padding() {
    return std::string(static_cast<std::size_t>(std::max(0, options.text_bytes - 20)), 'x');
}

// One WebSocket connection and the behaviour of the side it plays.
class Connection {
public:
    Connection(Worker& worker, Role role, int index)
        : worker_(worker), role_(role), index_(index) {}
    virtual ~Connection() = default;

    virtual void start() = 0;
    virtual void send(std::string frame) = 0;

    Worker& worker() { return worker_; }
    Role role() const { return role_; }
    std::string cookie;
    std::string target_path;
    Connection* partner = nullptr; // the echo baseline: the other side of a pair, same thread
    bool counted_ready = false;

    // ---- what a side says ----

    void send_chat(const std::string& conversation) {
        std::string frame;
        frame.reserve(static_cast<std::size_t>(options.text_bytes) + 100);
        frame += R"({"type":"message","id":")";
        frame += role_ == Role::advisor ? 'a' : 'c';
        frame += std::to_string(index_);
        frame += '-';
        frame += std::to_string(++sent_);
        frame += R"(","conversation":")";
        frame += conversation;
        frame += R"(","text":"t)";
        frame += std::to_string(now_ns());
        frame += ' ';
        frame += padding_;
        frame += "\"}";
        send(std::move(frame));
    }

    void send_request() {
        request_sent_ = Clock::now();
        send(R"({"type":"request","id":"r)" + std::to_string(index_) + "-" +
             std::to_string(++sent_) + R"(","language":")" + options.language + R"(","home":")" +
             options.home + "\"}");
    }

    void send_end(std::string_view conversation) {
        send(R"({"type":"end","id":"e)" + std::to_string(++sent_) + R"(","conversation":")" +
             std::string(conversation) + "\"}");
    }

    // Ping-pong and fixed rate start here, in the traffic phase.
    void begin_traffic() {
        if (options.scenario == "churn" || options.scenario == "mixed") {
            if (role_ == Role::client)
                send_request();
            return;
        }
        if (options.rate > 0)
            return; // the worker's ticker sends
        // Ping-pong: the client side starts; every receipt is answered.
        if (role_ == Role::client && in_conversation_)
            for (int i = 0; i < options.window; ++i)
                send_chat(conversation_);
        if ((role_ == Role::echo || role_ == Role::relay) && index_ % 2 == 0)
            for (int i = 0; i < options.window; ++i)
                send_chat("p");
    }

    void collect_senders(std::vector<Worker::Sender>& out) {
        if (role_ == Role::client && in_conversation_)
            out.push_back({this, conversation_});
        else if (role_ == Role::advisor)
            for (auto& [conversation, state] : conversations_)
                out.push_back({this, conversation});
        else if (role_ == Role::echo || role_ == Role::relay)
            out.push_back({this, "p"});
    }

protected:
    void on_open() {
        ++connected;
        --worker_.connecting;
        worker_.pump_connects();
        if (role_ == Role::echo || role_ == Role::relay)
            mark_ready(clients_ready);
    }
    void on_failed(const std::string& what) {
        ++connect_failures;
        count_error("connect: " + what);
        --worker_.connecting;
        worker_.pump_connects();
    }
    void on_closed(const std::string& what) {
        if (running.load())
            count_error("connection lost: " + what);
    }

    void mark_ready(std::atomic<int>& counter) {
        if (!counted_ready) {
            counted_ready = true;
            ++counter;
        }
    }

    void record_latency(std::string_view frame) {
        auto at = sent_at(frame);
        if (at > 0 && measuring.load(std::memory_order_relaxed)) {
            worker_.latency.add(static_cast<double>(now_ns() - at) / 1000.0);
            ++worker_.delivered;
        }
    }

    void on_text(std::string_view frame) {
        if (role_ == Role::echo) {
            record_latency(frame);
            if (running.load(std::memory_order_relaxed) && options.rate == 0 && partner)
                partner->send_chat("p"); // ping-pong across the pair, as a relay would
            return;
        }
        if (role_ == Role::relay) {
            record_latency(frame);
            if (running.load(std::memory_order_relaxed) && options.rate == 0)
                send_chat("p");
            return;
        }
        auto type = string_field(frame, "type");
        if (role_ == Role::client)
            on_client_frame(type, frame);
        else
            on_advisor_frame(type, frame);
    }

    void ack(std::string_view conversation, std::int64_t seq) {
        if (!options.ack || seq < 0)
            return;
        std::string frame = R"({"type":"ack","conversation":")";
        frame += conversation;
        frame += R"(","seq":)";
        frame += std::to_string(seq);
        frame += '}';
        send(std::move(frame));
    }

    void on_client_frame(std::string_view type, std::string_view frame) {
        if (type == "message") {
            auto conversation = string_field(frame, "conversation");
            ack(conversation, number_field(frame, "seq"));
            if (string_field(frame, "from") != "advisor")
                return; // our own
            record_latency(frame);
            if (options.scenario == "relay" && options.rate == 0 &&
                running.load(std::memory_order_relaxed))
                send_chat(conversation_);
            if (options.scenario == "mixed" && running.load(std::memory_order_relaxed))
                send_chat_later(conversation_); // a client answers every advisor message
        } else if (type == "accepted" || type == "typing") {
        } else if (type == "welcome") {
            if (options.scenario == "connections")
                mark_ready(clients_ready);
            else if (options.scenario == "relay")
                send_request();
            else
                mark_ready(clients_ready);
        } else if (type == "conversation_started") {
            conversation_ = std::string(string_field(frame, "conversation"));
            in_conversation_ = true;
            if (options.scenario == "relay") {
                mark_ready(clients_ready);
                ++conversations_open;
            } else if (running.load()) {
                send_chat_later(conversation_); // churn and mixed: the client opens with a question
            }
        } else if (type == "queued") {
            if (measuring.load(std::memory_order_relaxed) && number_field(frame, "position") >= 1 &&
                !queued_once_) {
                queued_once_ = true;
                ++worker_.queued;
            }
        } else if (type == "conversation_ended") {
            // No ack: the conversation is gone, and an ack would be answered not_in_conversation.
            in_conversation_ = false;
            queued_once_ = false;
            if (measuring.load(std::memory_order_relaxed))
                worker_.cycle.add(
                    std::chrono::duration<double, std::micro>(Clock::now() - request_sent_)
                        .count());
            if (running.load())
                send_request();
        } else if (type == "advisor_joined" || type == "advisor_left") {
            ack(string_field(frame, "conversation"), number_field(frame, "seq"));
        } else if (type == "error") {
            count_error("client error: " + std::string(string_field(frame, "code")));
        }
    }

    struct AdvisorConversation {
        int received = 0;
        bool consulted = false;
        bool transferred = false;
    };

    void on_advisor_frame(std::string_view type, std::string_view frame) {
        if (type == "message") {
            auto conversation = string_field(frame, "conversation");
            ack(conversation, number_field(frame, "seq"));
            if (string_field(frame, "from") != "client")
                return; // our own, coming back
            record_latency(frame);
            std::string id(conversation);
            if (options.scenario == "relay") {
                if (options.rate == 0 && running.load(std::memory_order_relaxed))
                    send_chat(id);
            } else if (options.scenario == "churn") {
                send_end(id);
            } else if (options.scenario == "mixed") {
                mixed_step(id);
            }
        } else if (type == "accepted" || type == "typing" || type == "handover" ||
                   type == "consult_message" || type == "conversation_left") {
        } else if (type == "offer") {
            auto conversation = string_field(frame, "conversation");
            if (frame.find("\"transferred\":true") != frame.npos)
                greet_.insert(std::string(conversation));
            send(R"({"type":"accept","id":"o)" + std::to_string(++sent_) + R"(","conversation":")" +
                 std::string(conversation) + "\"}");
        } else if (type == "conversation_started") {
            auto conversation = std::string(string_field(frame, "conversation"));
            conversations_[conversation] = {};
            // A client handed over from a queue says nothing until the new advisor does.
            if (greet_.erase(conversation) > 0 && running.load())
                send_chat_later(conversation);
        } else if (type == "conversation_ended") {
            conversations_.erase(std::string(string_field(frame, "conversation")));
        } else if (type == "wrapup_due") {
            auto conversation = std::string(string_field(frame, "conversation"));
            wrapups_[conversation] = Clock::now();
            send(
                R"({"type":"wrapup","id":"w)" + std::to_string(++sent_) + R"(","conversation":")" +
                conversation +
                R"(","fields":{"age_group":"25-34","residence":"1-3","immigration_reason":"family","topics":["residence-permits","forms"],"referrals":["migri"]}})");
        } else if (type == "wrapup_done") {
            auto conversation = std::string(string_field(frame, "conversation"));
            auto found = wrapups_.find(conversation);
            if (string_field(frame, "status") == "saved" &&
                measuring.load(std::memory_order_relaxed)) {
                ++worker_.completed;
                if (found != wrapups_.end())
                    worker_.wrapup.add(
                        std::chrono::duration<double, std::micro>(Clock::now() - found->second)
                            .count());
            }
            if (found != wrapups_.end())
                wrapups_.erase(found);
        } else if (type == "welcome") {
            send(R"({"type":"presence","id":"p1","status":"available","capacity":)" +
                 std::to_string(options.capacity) + "}");
        } else if (type == "presence") {
            if (string_field(frame, "status") == "available")
                mark_ready(advisors_ready);
        } else if (type == "consult_opened") {
            // The one who opened it asks one question and closes it; the colleague only reads.
            if (frame.find("\"ref\":\"q") != frame.npos) {
                auto consult = std::string(string_field(frame, "consult"));
                send(R"({"type":"consult_message","id":"qm)" + std::to_string(++sent_) +
                     R"(","consult":")" + consult + R"(","text":"Onko tämä Kelan asia?"})");
                send(R"({"type":"consult_close","id":"qc)" + std::to_string(++sent_) +
                     R"(","consult":")" + consult + "\"}");
                if (measuring.load(std::memory_order_relaxed))
                    ++worker_.consults;
            }
        } else if (type == "directory") {
            auto at = frame.find("\"advisors\"");
            if (at != frame.npos)
                colleague_ = number_field(frame.substr(at), "id");
        } else if (type == "consult_closed" || type == "offer_withdrawn") {
        } else if (type == "error") {
            count_error("advisor error: " + std::string(string_field(frame, "code")));
        }
    }

    // Mixed day: a conversation of a few messages each way; some get a consult with a colleague,
    // some are handed to the language's queue (and routed again); then end and wrap-up.
    void mixed_step(const std::string& conversation) {
        auto found = conversations_.find(conversation);
        if (found == conversations_.end())
            return;
        auto& state = found->second;
        ++state.received;
        std::uniform_real_distribution<double> chance(0, 1);
        if (state.received == 1 && colleague_ > 0 && chance(random_) < options.consult_share) {
            state.consulted = true;
            send(R"({"type":"consult_open","id":"q)" + std::to_string(++sent_) +
                 R"(","colleague":)" + std::to_string(colleague_) + R"(,"about":")" + conversation +
                 "\"}");
        }
        if (state.received == 2 && !state.transferred && chance(random_) < options.transfer_share) {
            state.transferred = true;
            send(R"({"type":"transfer","id":"t)" + std::to_string(++sent_) +
                 R"(","conversation":")" + conversation + R"(","language":")" + options.language +
                 "\"}");
            conversations_.erase(found);
            if (measuring.load(std::memory_order_relaxed))
                ++worker_.transfers;
            return;
        }
        if (state.received >= options.messages_per_conversation) {
            send_end(conversation);
            return;
        }
        send_chat_later(conversation);
    }

    // Mixed day: people take a moment to read and type (--think-ms on average); otherwise at once.
    void send_chat_later(const std::string& conversation) {
        if (options.think_ms <= 0 || options.scenario != "mixed") {
            send_chat(conversation);
            return;
        }
        std::exponential_distribution<double> think(1.0 / options.think_ms);
        auto timer = std::make_shared<asio::steady_timer>(
            worker_.io, std::chrono::microseconds(static_cast<long>(think(random_) * 1000)));
        timer->async_wait([this, timer, conversation](beast::error_code e) {
            // Meanwhile the conversation may have ended, or been handed to another advisor.
            bool still_in = role_ == Role::client
                                ? in_conversation_ && conversation_ == conversation
                                : conversations_.count(conversation) > 0;
            if (!e && running.load() && still_in)
                send_chat(conversation);
        });
    }

public:
    void ask_directory() { send(R"({"type":"directory","id":"dir"})"); }
    bool is_open_conversation() const { return in_conversation_; }

protected:
    Worker& worker_;
    Role role_;
    int index_;
    std::uint64_t sent_ = 0;
    std::string padding_ = padding();
    std::string conversation_;
    bool in_conversation_ = false;
    bool queued_once_ = false;
    Clock::time_point request_sent_;
    std::unordered_map<std::string, AdvisorConversation> conversations_;
    std::unordered_map<std::string, Clock::time_point> wrapups_;
    std::int64_t colleague_ = -1;
    std::set<std::string> greet_;
    std::minstd_rand random_{static_cast<unsigned>(index_ + 1)};
};

template <class Next>
class WsConnection : public Connection, public std::enable_shared_from_this<WsConnection<Next>> {
public:
    static constexpr bool secure = !std::is_same_v<Next, tcp::socket>;

    WsConnection(Worker& worker, Role role, int index)
        : Connection(worker, role, index), ws_(make_stream(worker.io)) {}

    void start() override {
        auto& socket = beast::get_lowest_layer(ws_);
        try {
            bind_source(socket, index_);
        } catch (const std::exception& error) {
            on_failed(std::string("bind: ") + error.what());
            return;
        }
        tcp::endpoint server(asio::ip::make_address(options.host), options.port);
        socket.async_connect(server, [self = this->shared_from_this()](beast::error_code e) {
            if (e)
                return self->on_failed("tcp: " + e.message());
            if constexpr (secure) {
                self->ws_.next_layer().async_handshake(
                    ssl::stream_base::client, [self](beast::error_code e) {
                        if (e)
                            return self->on_failed("tls: " + e.message());
                        self->handshake();
                    });
            } else {
                self->handshake();
            }
        });
    }

    void send(std::string frame) override {
        queue_.push_back(std::move(frame));
        if (queue_.size() == 1 && open_)
            write_next();
    }

private:
    static websocket::stream<Next> make_stream(asio::io_context& io) {
        if constexpr (secure)
            return websocket::stream<Next>(io, tls_context);
        else
            return websocket::stream<Next>(io);
    }

    void handshake() {
        ws_.set_option(websocket::stream_base::decorator([cookie = cookie](
                                                             websocket::request_type& request) {
            request.set(http::field::sec_websocket_protocol, "neuvo.v1");
            // The server's own origin, as its pages send it (PROTOCOL.md, Transport).
            request.set(http::field::origin, std::string(secure ? "https://" : "http://") +
                                                 options.host + ":" + std::to_string(options.port));
            if (!cookie.empty())
                request.set(http::field::cookie, "neuvo_session=" + cookie);
        }));
        ws_.auto_fragment(false);
        ws_.async_handshake(options.host, target_path,
                            [self = this->shared_from_this()](beast::error_code e) {
                                if (e)
                                    return self->on_failed("websocket: " + e.message());
                                self->open_ = true;
                                self->ws_.text(true);
                                self->on_open();
                                self->read();
                                if (!self->queue_.empty())
                                    self->write_next();
                            });
    }

    void read() {
        ws_.async_read(
            buffer_, [self = this->shared_from_this()](beast::error_code e, std::size_t) {
                if (e)
                    return self->on_closed(e.message());
                auto data = self->buffer_.cdata();
                self->on_text(std::string_view(static_cast<const char*>(data.data()), data.size()));
                self->buffer_.consume(self->buffer_.size());
                self->read();
            });
    }

    void write_next() {
        ws_.async_write(asio::buffer(queue_.front()),
                        [self = this->shared_from_this()](beast::error_code e, std::size_t) {
                            if (e)
                                return self->on_closed(e.message());
                            self->queue_.pop_front();
                            if (!self->queue_.empty())
                                self->write_next();
                        });
    }

    websocket::stream<Next> ws_;
    beast::flat_buffer buffer_;
    std::deque<std::string> queue_;
    bool open_ = false;
};

void Worker::pump_connects() {
    while (connecting < options.connect_parallel && next_to_connect < connections.size()) {
        ++connecting;
        connections[next_to_connect++]->start();
    }
}

void Worker::start_rate() {
    rate_start = Clock::now();
    rate_sent = 0;
    if (rate > 0 && !senders.empty())
        tick();
}

void Worker::tick() {
    if (!running.load())
        return;
    auto elapsed = std::chrono::duration<double>(Clock::now() - rate_start).count();
    auto due = static_cast<std::uint64_t>(elapsed * rate);
    while (rate_sent < due) {
        auto& sender = senders[next_sender];
        next_sender = (next_sender + 1) % senders.size();
        sender.connection->send_chat(sender.conversation);
        ++rate_sent;
    }
    ticker.expires_after(std::chrono::milliseconds(1));
    ticker.async_wait([this](beast::error_code e) {
        if (!e)
            tick();
    });
}

// ---- Sign-in over HTTP(S), before the traffic: one advisor after another ----

template <class Stream> std::string sign_in_over(Stream& stream, const std::string& login) {
    http::request<http::string_body> request{http::verb::post, "/api/sign-in", 11};
    request.set(http::field::host, options.host);
    request.set(http::field::content_type, "application/json");
    request.body() = json{{"login", login}, {"password", options.password}}.dump();
    request.prepare_payload();
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    if (response.result() != http::status::ok)
        throw std::runtime_error("sign-in of " + login + ": HTTP " +
                                 std::to_string(response.result_int()) + " " + response.body());
    std::string cookie(response[http::field::set_cookie]);
    auto start = cookie.find("neuvo_session=");
    if (start == std::string::npos)
        throw std::runtime_error("sign-in of " + login + ": no session cookie");
    start += 14;
    return cookie.substr(start, cookie.find(';', start) - start);
}

std::string sign_in(const std::string& login, int index) {
    asio::io_context io;
    tcp::endpoint server(asio::ip::make_address(options.host), options.port);
    if (options.tls) {
        ssl::stream<tcp::socket> stream(io, tls_context);
        bind_source(stream.next_layer(), index);
        stream.next_layer().connect(server);
        stream.handshake(ssl::stream_base::client);
        return sign_in_over(stream, login);
    }
    tcp::socket socket(io);
    bind_source(socket, index);
    socket.connect(server);
    return sign_in_over(socket, login);
}

// ---- The run ----

void raise_file_limit() {
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
}

long file_limit() {
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    return static_cast<long>(limit.rlim_cur);
}

bool wait_for(const std::function<bool()>& done, double seconds) {
    auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
    while (!done()) {
        if (Clock::now() > deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

void on_all_workers(const std::function<void(Worker&)>& task) {
    std::atomic<int> left{static_cast<int>(workers.size())};
    for (auto& worker : workers)
        asio::post(worker->io, [&task, &left, w = worker.get()] {
            task(*w);
            --left;
        });
    wait_for([&] { return left.load() == 0; }, 60);
}

// Spreads connections over the threads and starts connecting them.
void connect_all(Role role, int count, int first_index,
                 const std::function<void(Connection&, int)>& prepare) {
    std::vector<std::vector<std::shared_ptr<Connection>>> per_worker(workers.size());
    for (int i = 0; i < count; ++i) {
        // The echo baseline's pairs stay on one thread, so one side can answer for the other.
        auto slot = static_cast<std::size_t>(role == Role::echo ? (i / 2) : i) % workers.size();
        std::shared_ptr<Connection> chosen;
        if (options.tls)
            chosen = std::make_shared<WsConnection<ssl::stream<tcp::socket>>>(*workers[slot], role,
                                                                              first_index + i);
        else
            chosen =
                std::make_shared<WsConnection<tcp::socket>>(*workers[slot], role, first_index + i);
        prepare(*chosen, i);
        per_worker[slot].push_back(chosen);
    }
    if (role == Role::echo)
        for (auto& list : per_worker)
            for (std::size_t i = 0; i + 1 < list.size(); i += 2) {
                list[i]->partner = list[i + 1].get();
                list[i + 1]->partner = list[i].get();
            }
    for (std::size_t w = 0; w < workers.size(); ++w)
        asio::post(workers[w]->io, [w, list = std::move(per_worker[w])]() mutable {
            auto& worker = *workers[w];
            for (auto& connection : list)
                worker.connections.push_back(std::move(connection));
            worker.pump_connects();
        });
}

} // namespace

int main(int argc, char** argv) {
    try {
        options = parse_options(argc, argv);
    } catch (const std::exception& error) {
        std::cerr << "loadgen: " << error.what() << "\n";
        return 2;
    }
    raise_file_limit();
    tls_context.set_verify_mode(ssl::verify_none); // the self-signed development certificate
    const std::string server_pid = std::to_string(options.server_pid);
    const bool watch_server = options.server_pid > 0;
    json result = {{"target", options.target},
                   {"tls", options.tls},
                   {"scenario", options.scenario},
                   {"threads", options.threads},
                   {"file_limit", file_limit()}};

    for (int i = 0; i < options.threads; ++i)
        workers.push_back(std::make_unique<Worker>());
    std::vector<std::thread> threads;
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
    for (auto& worker : workers)
        guards.emplace_back(worker->io.get_executor());
    for (auto& worker : workers)
        threads.emplace_back([w = worker.get()] { w->io.run(); });

    auto setup_start = Clock::now();
    long rss_before = watch_server ? status_kib(server_pid, "VmRSS") : 0;
    bool ready = true;
    const bool neuvo = options.target == "neuvo";
    const bool with_advisors = neuvo && options.scenario != "connections";

    if (with_advisors) {
        std::vector<std::string> cookies;
        try {
            for (int a = 0; a < options.advisors; ++a)
                cookies.push_back(sign_in(options.login_prefix + std::to_string(a), a));
        } catch (const std::exception& error) {
            std::cerr << "loadgen: " << error.what() << "\n";
            return 1;
        }
        connect_all(Role::advisor, options.advisors, 0, [&](Connection& c, int i) {
            c.cookie = cookies[static_cast<std::size_t>(i)];
            c.target_path = "/ws/advisor";
        });
        // Done when every advisor is available, or every one has either become so or failed.
        ready = wait_for(
            [] { return advisors_ready.load() + connect_failures.load() >= options.advisors; },
            options.setup_timeout);
        ready = ready && advisors_ready.load() >= options.advisors;
    }
    if (ready) {
        Role role = neuvo ? Role::client : options.target == "echo" ? Role::echo : Role::relay;
        // A baseline's conversation is a pair of connections; idle connections are single.
        int count = options.clients * (neuvo || options.scenario == "connections" ? 1 : 2);
        connect_all(role, count, neuvo ? options.advisors : 0, [&](Connection& c, int i) {
            c.target_path = neuvo ? "/ws/client" : "/relay/" + std::to_string(i / 2);
        });
        ready = wait_for(
            [&] {
                return clients_ready.load() >= count ||
                       clients_ready.load() + connect_failures.load() >= count;
            },
            options.setup_timeout);
        ready = ready && clients_ready.load() >= count;
    }
    auto setup_seconds = std::chrono::duration<double>(Clock::now() - setup_start).count();
    result["setup_seconds"] = std::round(setup_seconds * 100) / 100;
    result["connected"] = connected.load();
    result["connect_failures"] = connect_failures.load();
    result["ready"] = ready;
    result["clients"] = options.clients;
    result["advisors"] = with_advisors ? options.advisors : 0;
    result["capacity"] = options.capacity;
    if (with_advisors)
        result["conversations_open"] = conversations_open.load();

    // Settle: connection work the server still does (e.g. freeing the handshake) is not traffic.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    long rss_connected = watch_server ? status_kib(server_pid, "VmRSS") : 0;

    if (options.scenario == "mixed")
        for (auto& worker : workers)
            asio::post(worker->io, [w = worker.get()] {
                for (auto& c : w->connections)
                    if (c->role() == Role::advisor)
                        c->ask_directory();
            });

    double server_cpu_start = watch_server ? process_cpu_seconds(server_pid) : 0;
    double own_cpu_start = process_cpu_seconds("self");
    double server_wait_start = watch_server ? runqueue_wait_seconds(server_pid) : 0;
    double own_wait_start = runqueue_wait_seconds("self");
    auto run_start = Clock::now();
    if (options.scenario != "connections") {
        running = true;
        measuring = true;
        std::vector<int> local(workers.size(), 0);
        on_all_workers([](Worker& w) {
            w.senders.clear();
            if (options.rate > 0 && options.scenario != "churn")
                for (auto& c : w.connections)
                    c->collect_senders(w.senders);
        });
        std::size_t total_senders = 0;
        for (auto& w : workers)
            total_senders += w->senders.size();
        for (auto& w : workers)
            w->rate = total_senders == 0 ? 0
                                         : options.rate * static_cast<double>(w->senders.size()) /
                                               static_cast<double>(total_senders);
        for (auto& worker : workers)
            asio::post(worker->io, [w = worker.get()] {
                for (auto& c : w->connections)
                    c->begin_traffic();
                w->start_rate();
            });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(options.duration));
    measuring = false;
    auto run_seconds = std::chrono::duration<double>(Clock::now() - run_start).count();
    double server_cpu = watch_server ? process_cpu_seconds(server_pid) - server_cpu_start : 0;
    double own_cpu = process_cpu_seconds("self") - own_cpu_start;
    double server_wait = watch_server ? runqueue_wait_seconds(server_pid) - server_wait_start : 0;
    double own_wait = runqueue_wait_seconds("self") - own_wait_start;
    running = false;
    long rss_after = watch_server ? status_kib(server_pid, "VmRSS") : 0;
    long hwm = watch_server ? status_kib(server_pid, "VmHWM") : 0;

    // Stop the threads, then read their counts.
    for (auto& worker : workers)
        worker->io.stop();
    for (auto& t : threads)
        t.join();
    Histogram latency, cycle, wrapup;
    std::uint64_t delivered = 0, completed = 0, transfers = 0, consults = 0, queued = 0;
    for (auto& w : workers) {
        latency.merge(w->latency);
        cycle.merge(w->cycle);
        wrapup.merge(w->wrapup);
        delivered += w->delivered;
        completed += w->completed;
        transfers += w->transfers;
        consults += w->consults;
        queued += w->queued;
    }
    auto per_second = [&](double n) { return std::round(n / run_seconds * 10) / 10; };
    result["run_seconds"] = std::round(run_seconds * 100) / 100;
    result["rate_target"] = options.rate;
    result["messages"] = delivered;
    result["messages_per_second"] = per_second(static_cast<double>(delivered));
    result["latency"] = latency.report();
    if (options.scenario == "churn" || options.scenario == "mixed") {
        result["conversations_completed"] = completed;
        result["conversations_per_second"] = per_second(static_cast<double>(completed));
        result["cycle_latency"] = cycle.report();
        result["wrapup_latency"] = wrapup.report();
    }
    if (options.scenario == "mixed") {
        result["transfers"] = transfers;
        result["consults"] = consults;
        result["requests_queued"] = queued;
    }
    result["server_cpu_percent"] = std::round(server_cpu / run_seconds * 1000) / 10;
    result["generator_cpu_percent"] = std::round(own_cpu / run_seconds * 1000) / 10;
    // Waiting for a CPU while runnable, in % of the window (summed over threads).
    result["server_cpu_wait_percent"] = std::round(server_wait / run_seconds * 1000) / 10;
    result["generator_cpu_wait_percent"] = std::round(own_wait / run_seconds * 1000) / 10;
    if (watch_server) {
        result["server_rss_kib_before"] = rss_before;
        result["server_rss_kib_connected"] = rss_connected;
        result["server_rss_kib_after"] = rss_after;
        result["server_hwm_kib"] = hwm;
        int connections = connected.load();
        if (connections > 0)
            result["server_rss_bytes_per_connection"] =
                std::round(static_cast<double>(rss_connected - rss_before) * 1024.0 / connections);
    }
    {
        std::lock_guard lock(errors_mutex);
        result["errors"] = error_counts;
    }
    std::cout << result.dump() << std::endl;
    std::fflush(stdout);
    // Connections are not closed one by one: the servers are stopped after the run anyway.
    std::_Exit(0);
}
