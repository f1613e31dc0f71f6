// The per-address connection limits over the real server: connections from one address past
// limits.max_connections_per_address, and handshakes past limits.max_handshakes_per_address, are
// closed at once without a byte of TLS, while other addresses connect and chat as ever. Every
// address of 127.0.0.0/8 is the loopback's, so each test plays several client addresses.

#include "journey_steps.hpp"
#include "metrics_scrape.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <netinet/in.h>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace neuvo::testing;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const std::vector<AdvisorLogin> advisors = {{"aino", "Aino", "091-virka", "fi,ar"}};

// A TCP connection from `source` to the server that sends nothing: a stalled handshake, or a
// connection refused at once.
class BareConnection {
public:
    BareConnection(unsigned short port, const std::string& source) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd_ < 0)
            throw std::runtime_error("socket failed");
        sockaddr_in local{};
        local.sin_family = AF_INET;
        ::inet_pton(AF_INET, source.c_str(), &local.sin_addr);
        sockaddr_in remote{};
        remote.sin_family = AF_INET;
        remote.sin_port = htons(port);
        ::inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
            ::connect(fd_, reinterpret_cast<sockaddr*>(&remote), sizeof remote) != 0) {
            auto error = std::string(std::strerror(errno));
            ::close(fd_);
            throw std::runtime_error("could not connect from " + source + ": " + error);
        }
    }
    ~BareConnection() { close(); }
    BareConnection(const BareConnection&) = delete;
    BareConnection& operator=(const BareConnection&) = delete;

    // True when the server ends the connection within the time (end of stream or a reset), with
    // nothing sent first; false when it is still open then. A byte from the server fails the test.
    bool closed_within(std::chrono::milliseconds timeout) {
        pollfd ready{fd_, POLLIN, 0};
        if (::poll(&ready, 1, static_cast<int>(timeout.count())) == 0)
            return false;
        char byte = 0;
        auto got = ::recv(fd_, &byte, 1, 0);
        if (got > 0)
            FAIL("the server sent something to a connection it should have closed or waited on");
        return true;
    }

    void close() {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_ = -1;
};

WssClient::Options from(const std::string& source) {
    WssClient::Options options;
    options.source_address = source;
    return options;
}

std::unique_ptr<WssClient> welcomed_from(const TestServer& server, const std::string& source) {
    auto client = std::make_unique<WssClient>(server.port(), from(source));
    REQUIRE(client->expect("welcome")["role"] == "client");
    return client;
}

// A WebSocket session from `source` once the server has noticed that one of the address's
// connections has gone: its end reaches the server a moment after the client's close.
std::unique_ptr<WssClient> welcomed_soon(const TestServer& server, const std::string& source) {
    auto deadline = std::chrono::steady_clock::now() + 5s;
    for (;;) {
        try {
            return welcomed_from(server, source);
        } catch (const std::exception& error) {
            if (std::chrono::steady_clock::now() > deadline)
                FAIL("no connection from " << source << " was accepted again: " << error.what());
            std::this_thread::sleep_for(50ms);
        }
    }
}

// Updates a step does not wait for: queue estimates, presence, the wrap-ups of earlier chats.
const std::vector<std::string> updates = {"queued", "presence", "wrapup_due", "accepted"};

// The client asks, the advisor accepts, they write to each other and the client ends it.
void chats(WssClient& client, WssClient& advisor, const std::string& tag) {
    client.send({{"type", "request"}, {"id", "r-" + tag}, {"language", "ar"}, {"home", "091"}});
    const std::string conversation = accept_next_offer(advisor)["conversation"];
    REQUIRE(client.await("conversation_started")["conversation"] == conversation);
    client.send({{"type", "message"},
                 {"id", "m-" + tag},
                 {"conversation", conversation},
                 {"text", "hei " + tag}});
    REQUIRE(client.await("accepted")["id"] == "m-" + tag);
    REQUIRE(advisor.await("message", updates)["text"] == "hei " + tag);
    advisor.send({{"type", "message"},
                  {"id", "n-" + tag},
                  {"conversation", conversation},
                  {"text", "moi " + tag}});
    REQUIRE(advisor.await("accepted", {"queued", "presence", "wrapup_due"})["id"] == "n-" + tag);
    REQUIRE(client.await("message", updates)["text"] == "moi " + tag);
    client.send({{"type", "end"}, {"id", "e-" + tag}, {"conversation", conversation}});
    client.await("conversation_ended", updates);
    advisor.await("conversation_ended", updates);
}

// The log's address_limit_reached records; none may name a client address.
std::vector<json> refusals_logged(const TestServer& server,
                                  const std::vector<std::string>& addresses) {
    std::vector<json> refusals;
    std::istringstream lines(server.log());
    for (std::string line; std::getline(lines, line);) {
        for (const auto& address : addresses) {
            INFO("log line: " << line);
            CHECK(line.find(address) == std::string::npos);
        }
        auto record = json::parse(line, nullptr, false);
        if (record.is_object() && record.value("event", "") == "address_limit_reached")
            refusals.push_back(record);
    }
    return refusals;
}

} // namespace

TEST_CASE("connections past an address's limit are closed at once, other addresses chat on",
          "[integration][connection_limits]") {
    TestServer server(advisors, [](json& config) {
        config["limits"]["max_connections_per_address"] = 3;
        config["limits"]["max_handshakes_per_address"] = 2;
        config["metrics"] = {{"listen", {{"address", "127.0.0.1"}, {"port", 0}}}};
    });
    // The advisor from 127.0.0.1, the crowd from 127.0.0.2, a bystander from 127.0.0.3.
    auto aino = available_advisor(server, "aino", 3);
    // Three sessions one after the other: each finished handshake makes room for the next,
    // though only two handshakes may be under way at once.
    std::vector<std::unique_ptr<WssClient>> crowd;
    for (int i = 0; i < 3; ++i)
        crowd.push_back(welcomed_from(server, "127.0.0.2"));

    BareConnection fourth(server.port(), "127.0.0.2");
    CHECK(fourth.closed_within(2s));
    CHECK_THROWS(WssClient(server.port(), from("127.0.0.2")));

    // Nobody else notices: another address connects and chats, as do the crowd's own sessions.
    auto bystander = welcomed_from(server, "127.0.0.3");
    chats(*bystander, *aino, "bystander");
    chats(*crowd[0], *aino, "crowd");

    // One of the crowd leaves: the address may connect again, once.
    crowd.back()->close();
    crowd.pop_back();
    crowd.push_back(welcomed_soon(server, "127.0.0.2"));
    chats(*crowd.back(), *aino, "again");
    BareConnection another(server.port(), "127.0.0.2");
    CHECK(another.closed_within(2s));
    // Each refusal is counted as it is made, by the limit that made it.
    const auto counted = scrape(server);

    for (auto& client : crowd)
        client->close();
    bystander->close();
    aino->close();
    REQUIRE(server.stop() == 0);
    const auto refusals = refusals_logged(server, {"127.0.0.2", "127.0.0.3"});
    // Three refused on purpose, and any of welcomed_soon's tries that came too early.
    REQUIRE(refusals.size() >= 3);
    for (const auto& refusal : refusals) {
        CHECK(refusal["level"] == "warning");
        CHECK(refusal["limit"] == "max_connections_per_address");
        CHECK(refusal["family"] == "ipv4");
    }
    CHECK(counted["neuvo_connections_refused_total{reason=\"connections_per_address\"}"] ==
          static_cast<double>(refusals.size()));
    CHECK(counted["neuvo_connections_refused_total{reason=\"handshakes_per_address\"}"] == 0);
    CHECK(counted["neuvo_connections_refused_total{reason=\"connection_limit\"}"] == 0);
}

TEST_CASE("stalled handshakes hold up only their own address's, and are freed by close and timeout",
          "[integration][connection_limits]") {
    TestServer server(advisors, [](json& config) {
        config["limits"]["max_connections_per_address"] = 10;
        config["limits"]["max_handshakes_per_address"] = 2;
        config["metrics"] = {{"listen", {{"address", "127.0.0.1"}, {"port", 0}}}};
    });
    auto aino = available_advisor(server, "aino", 3);
    // A session of 127.0.0.2 from before: its handshake is over, it is not held up.
    auto earlier = welcomed_from(server, "127.0.0.2");

    // Two connections that never say a word take the address's two handshakes.
    auto stalled = std::make_unique<BareConnection>(server.port(), "127.0.0.2");
    BareConnection stalled_too(server.port(), "127.0.0.2");
    CHECK_FALSE(stalled->closed_within(500ms)); // waited on, not refused
    BareConnection third(server.port(), "127.0.0.2");
    CHECK(third.closed_within(2s));
    CHECK_THROWS(WssClient(server.port(), from("127.0.0.2")));

    // Other addresses handshake and chat as ever, and so does the earlier session.
    auto bystander = welcomed_from(server, "127.0.0.3");
    chats(*bystander, *aino, "bystander");
    chats(*earlier, *aino, "earlier");

    // One stalled connection closes: its handshake's place is free again.
    stalled.reset();
    auto later = welcomed_soon(server, "127.0.0.2");
    chats(*later, *aino, "later");

    // The other stalls until the server's handshake timeout (15 s) ends it.
    BareConnection stalled_again(server.port(), "127.0.0.2");
    BareConnection refused_again(server.port(), "127.0.0.2");
    CHECK(refused_again.closed_within(2s));
    CHECK(stalled_too.closed_within(20s));
    CHECK(stalled_again.closed_within(20s));
    auto after_timeout = welcomed_soon(server, "127.0.0.2");
    chats(*after_timeout, *aino, "after-timeout");
    const auto counted = scrape(server);

    for (auto* client : {earlier.get(), bystander.get(), later.get(), after_timeout.get()})
        client->close();
    aino->close();
    REQUIRE(server.stop() == 0);
    const auto refusals = refusals_logged(server, {"127.0.0.2", "127.0.0.3"});
    REQUIRE(refusals.size() >= 3);
    for (const auto& refusal : refusals)
        CHECK(refusal["limit"] == "max_handshakes_per_address");
    CHECK(counted["neuvo_connections_refused_total{reason=\"handshakes_per_address\"}"] ==
          static_cast<double>(refusals.size()));
    CHECK(counted["neuvo_connections_refused_total{reason=\"connections_per_address\"}"] == 0);
}
