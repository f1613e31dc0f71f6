// The WebSocket heartbeat (limits.ping_interval_seconds, limits.ping_timeout_seconds): a peer
// that stops answering the server's pings, as a phone that lost its network without a word, is
// disconnected within interval + timeout of when it was last heard from and counts as a dropped
// connection (its conversation partner hears "reconnecting", a client may resume), while peers
// that answer stay connected however long they say nothing else.

#include "journey_steps.hpp"
#include "raw_websocket.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <vector>

using namespace neuvo::testing;
using namespace neuvo::testing::frame_opcodes;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto ping_interval = std::chrono::seconds(1);
constexpr auto ping_timeout = std::chrono::seconds(1);
// Generous room for a loaded machine: the bound itself is interval + timeout.
constexpr auto slack = std::chrono::seconds(4);

TestServer heartbeat_server(const std::vector<AdvisorLogin>& advisors) {
    return TestServer(advisors, [](json& config) {
        config["limits"]["ping_interval_seconds"] = ping_interval.count();
        config["limits"]["ping_timeout_seconds"] = ping_timeout.count();
    });
}

// Every peer of a test, read in turns, so that each answers the server's pings in time whatever
// the test is waiting for: a library peer answers while it reads, a raw one is answered here.
// A raw peer can be told to fall silent after its next answer: from then on it is not read at
// all and sends nothing.
class Peers {
public:
    int add(WssClient& peer) {
        Member member;
        member.wss = &peer;
        return add_member(std::move(member));
    }
    int add(RawWebSocket& peer) {
        Member member;
        member.raw = &peer;
        return add_member(std::move(member));
    }

    void fall_silent_after_next_ping(int peer) { members_.at(peer).silent_after_ping = true; }
    bool silent(int peer) const { return members_.at(peer).silent; }
    // When the peer last answered a ping (raw peers only).
    std::optional<Clock::time_point> last_answer(int peer) const {
        return members_.at(peer).last_answer;
    }
    // Every frame the peer has received, in order (also those that await passed over).
    const std::vector<json>& history(int peer) const { return members_.at(peer).history; }

    // Reads what has arrived for everyone.
    void poll() {
        for (auto& member : members_) {
            if (member.wss) {
                while (auto frame = member.wss->try_receive(std::chrono::milliseconds(5)))
                    member.arrived(*frame);
            } else if (!member.silent) {
                while (auto frame = member.raw->read_frame(std::chrono::milliseconds(5))) {
                    if (frame->opcode == ping) {
                        member.raw->send_frame(true, pong, frame->payload);
                        member.last_answer = Clock::now();
                        if (member.silent_after_ping) {
                            member.silent = true;
                            break;
                        }
                    } else if (frame->opcode == text) {
                        member.arrived(json::parse(frame->payload));
                    }
                }
            }
        }
    }

    // Polls everyone until the peer's next frame of this type, passing over its others.
    json await(int peer, const std::string& type,
               std::chrono::seconds timeout = std::chrono::seconds(10)) {
        auto& inbox = members_.at(peer).inbox;
        const auto deadline = Clock::now() + timeout;
        for (;;) {
            while (!inbox.empty()) {
                auto frame = std::move(inbox.front());
                inbox.pop_front();
                if (frame.value("type", "") == type)
                    return frame;
            }
            if (Clock::now() > deadline)
                FAIL("no \"" << type << "\" arrived for peer " << peer);
            poll();
        }
    }

    // Polls everyone for this long (or until `done`).
    template <class Done> void run(Clock::time_point until, Done done) {
        while (Clock::now() < until && !done())
            poll();
    }

private:
    struct Member {
        WssClient* wss = nullptr;
        RawWebSocket* raw = nullptr;
        bool silent_after_ping = false;
        bool silent = false;
        std::optional<Clock::time_point> last_answer;
        std::deque<json> inbox;
        std::vector<json> history;

        void arrived(const json& frame) {
            inbox.push_back(frame);
            history.push_back(frame);
        }
    };

    int add_member(Member member) {
        members_.push_back(std::move(member));
        return static_cast<int>(members_.size()) - 1;
    }

    std::vector<Member> members_;
};

std::chrono::milliseconds in_ms(Clock::duration duration) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(duration);
}

} // namespace

TEST_CASE("heartbeat: a peer that answers pings stays connected while it says nothing else",
          "[integration][heartbeat]") {
    auto server = heartbeat_server({});
    RawWebSocket peer(server.port());
    // Many times the bound, with nothing sent but pongs.
    const auto until = Clock::now() + 4 * (ping_interval + ping_timeout);
    int pings = 0;
    while (Clock::now() < until) {
        auto frame = peer.read_frame(std::chrono::seconds(10));
        REQUIRE(frame.has_value());
        REQUIRE(frame->opcode == ping);
        peer.send_frame(true, pong, frame->payload);
        ++pings;
    }
    // One ping an interval after each answer: a few in that time, and not a flood.
    CHECK(pings >= 3);
    CHECK(pings <= 10);
    peer.send(json{{"type", "ack"}, {"conversation", "no-such-talk"}, {"seq", 1}});
    for (;;) {
        auto frame = peer.read_frame();
        REQUIRE(frame.has_value());
        if (frame->opcode == ping) {
            peer.send_frame(true, pong, frame->payload);
            continue;
        }
        CHECK(json::parse(frame->payload)["code"] == "not_in_conversation");
        break;
    }
    CHECK_FALSE(peer.ended());
    CHECK(server.log().find("heartbeat_missed") == std::string::npos);
}

TEST_CASE("heartbeat: a client that stops answering is dropped within interval + timeout",
          "[integration][heartbeat]") {
    auto server = heartbeat_server({{"aino", "Aino", "091-virka", "fi,ar"}});
    auto aino_connection = available_advisor(server, "aino", 3);
    auto talking_connection = welcomed_client(server);
    RawWebSocket silent_connection(server.port());
    const std::string token = silent_connection.welcome()["resume"]["token"];

    Peers peers;
    const int aino = peers.add(*aino_connection);
    const int talking = peers.add(*talking_connection);
    const int silent = peers.add(silent_connection);

    // Two conversations of Aino's: one whose client goes on answering, one whose client will not.
    talking_connection->send(
        {{"type", "request"}, {"id", "r-talk"}, {"language", "ar"}, {"home", "091"}});
    auto offer = peers.await(aino, "offer");
    aino_connection->send(
        {{"type", "accept"}, {"id", "a-1"}, {"conversation", offer["conversation"]}});
    const std::string talking_conversation =
        peers.await(aino, "conversation_started")["conversation"];
    peers.await(talking, "conversation_started");

    silent_connection.send(
        {{"type", "request"}, {"id", "r-silent"}, {"language", "ar"}, {"home", "091"}});
    offer = peers.await(aino, "offer");
    aino_connection->send(
        {{"type", "accept"}, {"id", "a-2"}, {"conversation", offer["conversation"]}});
    const std::string silent_conversation =
        peers.await(aino, "conversation_started")["conversation"];
    CHECK(peers.await(silent, "conversation_started")["conversation"] == silent_conversation);

    // From its answer to the next ping on, the silent client sends nothing and reads nothing.
    peers.fall_silent_after_next_ping(silent);
    peers.run(Clock::now() + 2 * ping_interval + slack, [&] { return peers.silent(silent); });
    REQUIRE(peers.silent(silent));
    const auto last_heard = *peers.last_answer(silent);

    auto notice = peers.await(aino, "client_connection",
                              ping_interval + ping_timeout + slack + std::chrono::seconds(1));
    const auto dropped_after = Clock::now() - last_heard;
    INFO("dropped " << in_ms(dropped_after).count() << " ms after it was last heard from");
    CHECK(notice["conversation"] == silent_conversation);
    CHECK(notice["status"] == "reconnecting");
    // Not at the first unanswered ping, and within the bound (with room for a busy machine).
    CHECK(dropped_after >= ping_timeout);
    CHECK(dropped_after <= ping_interval + ping_timeout + slack);

    // Everyone else answered on: nobody else is dropped, long past the bound.
    peers.run(Clock::now() + 2 * (ping_interval + ping_timeout), [] { return false; });
    int notices = 0;
    for (const auto& frame : peers.history(aino))
        notices += frame["type"] == "client_connection" ? 1 : 0;
    CHECK(notices == 1);
    for (const auto& frame : peers.history(talking))
        CHECK(frame["type"] != "conversation_ended");

    // The server cut the silent connection; with no close frame, which it would not have read.
    bool close_frame_sent = false;
    while (auto frame = silent_connection.read_frame(std::chrono::seconds(5)))
        close_frame_sent |= frame->opcode == close_frame;
    CHECK(silent_connection.ended());
    CHECK_FALSE(close_frame_sent);
    CHECK(server.log().find("\"heartbeat_missed\"") != std::string::npos);

    // The conversation that went on answering is untouched, both ways.
    talking_connection->send({{"type", "message"},
                              {"id", "m-1"},
                              {"conversation", talking_conversation},
                              {"text", "Olen vielä täällä."}});
    CHECK(peers.await(talking, "accepted")["seq"] == 1);
    auto heard = peers.await(aino, "message");
    CHECK(heard["conversation"] == talking_conversation);
    CHECK(heard["text"] == "Olen vielä täällä.");

    // A drop, not a goodbye: the silent client's session resumes on a new connection.
    auto back_connection = welcomed_client(server);
    const int back = peers.add(*back_connection);
    back_connection->send({{"type", "resume"}, {"id", "s-1"}, {"token", token}, {"last_seq", 0}});
    auto resumed = peers.await(back, "resumed");
    CHECK(resumed["state"] == "conversation");
    CHECK(resumed["conversation"] == silent_conversation);
    notice = peers.await(aino, "client_connection");
    CHECK(notice["conversation"] == silent_conversation);
    CHECK(notice["status"] == "back");
}

TEST_CASE("heartbeat: an advisor that stops answering is dropped within interval + timeout",
          "[integration][heartbeat]") {
    auto server = heartbeat_server({{"aino", "Aino", "091-virka", "fi,ar"}});
    RawWebSocket aino_connection(server.port(),
                                 {"/ws/advisor", sign_in(server.port(), "aino", test_password)});
    CHECK(aino_connection.welcome()["role"] == "advisor");
    auto client_connection = welcomed_client(server);
    Peers peers;
    const int aino = peers.add(aino_connection);
    const int client = peers.add(*client_connection);

    // An advisor starts away (said unasked after the welcome), then says it is available.
    CHECK(peers.await(aino, "presence")["status"] == "away");
    aino_connection.send(
        {{"type", "presence"}, {"id", "p-1"}, {"status", "available"}, {"capacity", 3}});
    CHECK(peers.await(aino, "presence")["status"] == "available");
    client_connection->send(
        {{"type", "request"}, {"id", "r-1"}, {"language", "ar"}, {"home", "091"}});
    auto offer = peers.await(aino, "offer");
    aino_connection.send(
        {{"type", "accept"}, {"id", "a-1"}, {"conversation", offer["conversation"]}});
    const std::string conversation = peers.await(aino, "conversation_started")["conversation"];
    CHECK(peers.await(client, "conversation_started")["conversation"] == conversation);

    peers.fall_silent_after_next_ping(aino);
    peers.run(Clock::now() + 2 * ping_interval + slack, [&] { return peers.silent(aino); });
    REQUIRE(peers.silent(aino));
    const auto last_heard = *peers.last_answer(aino);

    auto notice = peers.await(client, "advisor_connection",
                              ping_interval + ping_timeout + slack + std::chrono::seconds(1));
    const auto dropped_after = Clock::now() - last_heard;
    INFO("dropped " << in_ms(dropped_after).count() << " ms after it was last heard from");
    CHECK(notice["conversation"] == conversation);
    CHECK(notice["status"] == "reconnecting");
    CHECK(dropped_after >= ping_timeout);
    CHECK(dropped_after <= ping_interval + ping_timeout + slack);
    // The client keeps its conversation through the advisor's grace period.
    peers.run(Clock::now() + 2 * (ping_interval + ping_timeout), [] { return false; });
    for (const auto& frame : peers.history(client))
        CHECK(frame["type"] != "conversation_ended");
    CHECK(server.log().find("\"heartbeat_missed\"") != std::string::npos);
}
