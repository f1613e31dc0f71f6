// A peer that stops reading (limits.max_send_queue_bytes): what the server has for it piles up in
// the kernel's buffers and then in the connection's own queue; once that passes the cap the peer
// is dropped, as if its connection had been lost, and its connection is closed. Meanwhile another
// conversation on the same server gets every message, in order, as if nothing happened.

#include "collaboration_steps.hpp"
#include "raw_websocket.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

using namespace neuvo::testing;
using namespace neuvo::testing::frame_opcodes;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

const std::vector<AdvisorLogin> accounts = {{"aino", "Aino", "091-virka", "fi,ar"},
                                            {"leila", "Leila", "837-mainio", "fi,ar,fa"}};

// Long enough that the kernel's buffers and the 1 MiB queue fill after some hundreds.
const std::string padding(3900, 'x');
constexpr int max_messages_to_the_slow_one = 4000; // about 16 MB: far past any buffer

std::string numbered(const std::string& prefix, int i) {
    return prefix + "-" + std::to_string(i);
}

struct Scene {
    std::unique_ptr<WssClient> aino; // writes to the slow reader
    std::unique_ptr<RawWebSocket> slow;
    std::string slow_conversation;
    std::unique_ptr<WssClient> leila; // and her client, who talk all the while
    std::unique_ptr<WssClient> client;
    std::string conversation;
};

// The advisor writes thousands of messages at machine speed to fill the slow reader's queue:
// the per-sender message rate limit (limits_test) would stop it first.
void lift_message_rate(json& config) {
    config["limits"]["messages_per_minute"] = 6000;
    config["limits"]["message_burst"] = 1000;
}

Scene start_scene(TestServer& server) {
    Scene scene;
    scene.aino = available_advisor(server, "aino", 3);
    scene.leila = available_advisor(server, "leila", 3);
    // A small receive window, so that the kernel holds little of what the server sends it.
    scene.slow = std::make_unique<RawWebSocket>(
        server.port(), RawWebSocket::Options{.receive_buffer_bytes = 4096});
    scene.slow->send({{"type", "request"}, {"id", "r-slow"}, {"language", "ar"}, {"home", "091"}});
    scene.slow_conversation = accept_next_offer(*scene.aino)["conversation"];
    scene.client = welcomed_client(server);
    scene.conversation = start_conversation(*scene.client, *scene.leila, "r-1", "fa", "837");
    return scene;
}

// The other conversation, both ways, one message each per round.
struct Talk {
    int sent = 0;
    std::vector<json> to_client; // every frame the client got
    std::vector<json> to_leila;

    void round(Scene& scene) {
        scene.client->send({{"type", "message"},
                            {"id", numbered("c", sent)},
                            {"conversation", scene.conversation},
                            {"text", numbered("client", sent)}});
        scene.leila->send({{"type", "message"},
                           {"id", numbered("l", sent)},
                           {"conversation", scene.conversation},
                           {"text", numbered("leila", sent)}});
        ++sent;
        collect(scene, std::chrono::milliseconds(1));
    }

    void collect(Scene& scene, std::chrono::milliseconds wait) {
        while (auto frame = scene.client->try_receive(wait))
            to_client.push_back(*frame);
        while (auto frame = scene.leila->try_receive(wait))
            to_leila.push_back(*frame);
    }

    // Reads until each side has the other's every message, then checks them: all there, once,
    // in the order sent, numbered one after another, and every own message accepted.
    void check_complete(Scene& scene) {
        auto messages = [](const std::vector<json>& frames) { return of_type(frames, "message"); };
        const auto deadline = Clock::now() + std::chrono::seconds(30);
        while ((messages(to_client).size() < static_cast<std::size_t>(sent) ||
                messages(to_leila).size() < static_cast<std::size_t>(sent) ||
                of_type(to_client, "accepted").size() < static_cast<std::size_t>(sent) ||
                of_type(to_leila, "accepted").size() < static_cast<std::size_t>(sent)) &&
               Clock::now() < deadline)
            collect(scene, std::chrono::milliseconds(50));
        for (const auto& [frames, from] : {std::pair{&to_client, std::string("leila")},
                                           std::pair{&to_leila, std::string("client")}}) {
            INFO("messages from " << from);
            auto got = messages(*frames);
            REQUIRE(got.size() == static_cast<std::size_t>(sent));
            std::uint64_t last_seq = 0;
            for (int i = 0; i < sent; ++i) {
                CHECK(got[i]["text"] == numbered(from, i));
                CHECK(got[i]["conversation"] == scene.conversation);
                CHECK(got[i]["seq"].get<std::uint64_t>() > last_seq);
                last_seq = got[i]["seq"];
            }
            for (const auto& frame : *frames)
                CHECK(frame["type"] != "client_connection");
        }
        CHECK(of_type(to_client, "accepted").size() == static_cast<std::size_t>(sent));
        CHECK(of_type(to_leila, "accepted").size() == static_cast<std::size_t>(sent));
    }
};

// Aino writes to the slow reader, while the other conversation goes on, until the server tells
// her that the slow reader's connection is gone. Returns how many messages she wrote.
int write_until_dropped(Scene& scene, Talk& talk) {
    std::optional<json> notice;
    int written = 0;
    while (!notice && written < max_messages_to_the_slow_one) {
        scene.aino->send({{"type", "message"},
                          {"id", numbered("a", written)},
                          {"conversation", scene.slow_conversation},
                          {"text", numbered("aino", written) + padding}});
        ++written;
        if (written % 20 != 0)
            continue;
        while (auto frame = scene.aino->try_receive(std::chrono::milliseconds(1)))
            if ((*frame)["type"] == "client_connection")
                notice = *frame;
        talk.round(scene);
    }
    INFO(written << " messages written to the slow reader");
    REQUIRE(notice.has_value());
    CHECK((*notice)["conversation"] == scene.slow_conversation);
    CHECK((*notice)["status"] == "reconnecting");
    return written;
}

// What the slow reader got, read now, in order: a prefix of what was written, each once.
int check_prefix_in_order(const std::vector<json>& messages, int written) {
    CHECK(messages.size() < static_cast<std::size_t>(written));
    for (std::size_t i = 0; i < messages.size(); ++i) {
        INFO("message " << i);
        CHECK(messages[i]["text"] == numbered("aino", static_cast<int>(i)) + padding);
        CHECK(messages[i]["seq"] == i + 1);
    }
    return static_cast<int>(messages.size());
}

} // namespace

TEST_CASE("slow reader: a client that never reads is dropped and cut off, others unaffected",
          "[integration][slow-reader]") {
    constexpr auto close_deadline = std::chrono::seconds(2);
    TestServer server(accounts, [&](json& config) {
        // The heartbeat's timeout is also how long a connection being closed may take: short
        // here, and no ping meanwhile that the test's busy peers would answer late.
        config["limits"]["ping_interval_seconds"] = 600;
        config["limits"]["ping_timeout_seconds"] = close_deadline.count();
        lift_message_rate(config);
    });
    auto scene = start_scene(server);
    Talk talk;
    const int written = write_until_dropped(scene, talk);
    for (int i = 0; i < 30; ++i)
        talk.round(scene);
    talk.check_complete(scene);
    CHECK(server.log().find("\"send_queue_full\"") != std::string::npos);

    // It never read its close frame either: within the deadline the server cut the connection.
    const auto deadline = Clock::now() + close_deadline + std::chrono::seconds(10);
    while (server.log().find("\"close_timed_out\"") == std::string::npos && Clock::now() < deadline)
        talk.collect(scene, std::chrono::milliseconds(100));
    CHECK(server.log().find("\"close_timed_out\"") != std::string::npos);

    std::vector<json> got;
    while (auto frame = scene.slow->read_frame(std::chrono::seconds(5)))
        if (frame->opcode == text)
            got.push_back(json::parse(frame->payload));
    CHECK(scene.slow->ended());
    auto messages = of_type(got, "message");
    INFO(messages.size() << " of " << written << " messages reached the slow reader");
    check_prefix_in_order(messages, written);
}

TEST_CASE("slow reader: a client that reads again after the cap gets close 1008",
          "[integration][slow-reader]") {
    TestServer server(accounts, [](json& config) {
        config["limits"]["ping_interval_seconds"] = 600;
        config["limits"]["ping_timeout_seconds"] = 60;
        lift_message_rate(config);
    });
    auto scene = start_scene(server);
    Talk talk;
    const int written = write_until_dropped(scene, talk);
    for (int i = 0; i < 30; ++i)
        talk.round(scene);
    talk.check_complete(scene);

    // It wakes up: what was already on its way, then the close, and nothing after it.
    std::vector<json> got;
    std::optional<Frame> close;
    while (auto frame = scene.slow->read_frame(std::chrono::seconds(5))) {
        if (frame->opcode == close_frame) {
            close = frame;
            break;
        }
        if (frame->opcode == text)
            got.push_back(json::parse(frame->payload));
    }
    REQUIRE(close.has_value());
    REQUIRE(close->payload.size() >= 2);
    CHECK(((static_cast<unsigned char>(close->payload[0]) << 8) |
           static_cast<unsigned char>(close->payload[1])) == 1008);
    CHECK(close->payload.substr(2) == "too many unread messages");
    check_prefix_in_order(of_type(got, "message"), written);
}
