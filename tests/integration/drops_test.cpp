// A thousand messages through one conversation while both sides' connections drop at random, as
// a phone in a train and a desk on a flaky network would: the client resumes with its token, the
// advisor reconnects with the cookie, each side resends what it never saw accepted. In the end
// each side has every message of the other exactly once, in the order it was written.

#include "journey_steps.hpp"

#include <catch2/catch.hpp>

#include <deque>
#include <map>
#include <random>

using namespace neuvo::testing;
using nlohmann::json;

namespace {

constexpr int messages_each = 500;

// One side of the conversation, as its page behaves: messages waiting for `accepted` are sent
// again after a reconnection; a refused one (the advisor away) is sent again later, and nothing
// newer goes before it, so the order the person wrote in is kept.
struct Side {
    Side(std::unique_ptr<WssClient> socket_, std::string name_)
        : socket(std::move(socket_)), name(std::move(name_)) {}

    std::unique_ptr<WssClient> socket;
    std::string name;
    int written = 0;
    std::deque<std::string> unaccepted; // ids, oldest first
    std::map<std::string, std::string> text_of;
    bool refused = false;                          // the first unaccepted one was turned away
    std::map<std::uint64_t, std::string> received; // the other side's messages by seq
    std::uint64_t last_seq = 0;                    // the highest seq received
    int drops = 0;
    int duplicates_accepted = 0;

    void send(const std::string& conversation, const std::string& id) {
        socket->send({{"type", "message"},
                      {"id", id},
                      {"conversation", conversation},
                      {"text", text_of.at(id)}});
    }

    void write_next(const std::string& conversation) {
        const std::string id = name + "-" + std::to_string(written);
        text_of[id] = name + " says " + std::to_string(written++);
        unaccepted.push_back(id);
        send(conversation, id);
    }

    void resend_all(const std::string& conversation) {
        refused = false;
        for (const std::string& id : unaccepted) {
            send(conversation, id);
        }
    }

    // Messages of the other side, this side's own accepted ones and refusals; others pass.
    void take(const json& frame, const std::string& conversation) {
        const std::string type = frame["type"];
        if (type == "message") {
            const auto seq = frame["seq"].get<std::uint64_t>();
            if (frame["from"] == (name == "client" ? "client" : "advisor")) {
                return; // an advisor's own message replayed to the desk
            }
            // A replay of what this side already has passes over by seq, as the pages do.
            if (!received.contains(seq)) {
                received[seq] = frame["text"];
            }
            last_seq = std::max(last_seq, seq);
            socket->send({{"type", "ack"}, {"conversation", conversation}, {"seq", seq}});
        } else if (type == "accepted") {
            const std::string id = frame["id"];
            auto it = std::find(unaccepted.begin(), unaccepted.end(), id);
            if (it != unaccepted.end()) {
                unaccepted.erase(it);
            }
            if (frame["duplicate"] == true) {
                ++duplicates_accepted;
            }
        } else if (type == "error") {
            REQUIRE(frame["code"] == "advisor_unavailable");
            refused = true;
        }
    }
};

} // namespace

TEST_CASE("1,000 messages with random drops on both sides: none lost, none doubled, order kept",
          "[integration][drops]") {
    // Both sides write at machine speed here: the per-sender message rate limit (limits_test)
    // would turn this into a test of itself.
    TestServer server({{"aino", "Aino", "091-virka", "fi,ar"}}, [](json& config) {
        config["limits"]["messages_per_minute"] = 6000;
        config["limits"]["message_burst"] = 1000;
    });
    const std::string cookie = sign_in(server.port(), "aino", test_password);
    Side advisor{available_advisor(server, "aino"), "advisor"};
    Side client{std::make_unique<WssClient>(server.port()), "client"};
    const std::string token = client.socket->expect("welcome")["resume"]["token"];
    client.socket->send({{"type", "request"}, {"id", "r-1"}, {"language", "ar"}, {"home", "091"}});
    accept_next_offer(*advisor.socket);
    const std::string conversation = client.socket->await("conversation_started")["conversation"];

    std::mt19937 random(20261201);
    std::uniform_int_distribution<int> percent(0, 99);
    auto pump = [&](Side& side) {
        while (auto frame = side.socket->try_receive(std::chrono::milliseconds(1))) {
            side.take(*frame, conversation);
        }
    };
    auto drop_client = [&] {
        client.socket->drop();
        ++client.drops;
        client.socket = std::make_unique<WssClient>(server.port());
        client.socket->expect("welcome");
        client.socket->send({{"type", "resume"},
                             {"id", "s-" + std::to_string(client.drops)},
                             {"token", token},
                             {"last_seq", client.last_seq}});
        REQUIRE(client.socket->expect("resumed")["state"] == "conversation");
        client.resend_all(conversation);
    };
    auto drop_advisor = [&] {
        advisor.socket->drop();
        ++advisor.drops;
        advisor.socket =
            std::make_unique<WssClient>(server.port(), WssClient::Options{"/ws/advisor", cookie});
        advisor.socket->expect("welcome");
        advisor.resend_all(conversation);
    };

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (client.received.size() < messages_each || advisor.received.size() < messages_each ||
           !client.unaccepted.empty() || !advisor.unaccepted.empty()) {
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        // A drop comes at any moment, also right after a message went out and before its
        // `accepted` came back: then the resend is one the server already has.
        const int roll = percent(random);
        if (roll < 2) {
            if (roll == 0 && !client.refused && client.written < messages_each) {
                client.write_next(conversation);
            }
            drop_client();
        } else if (roll < 4) {
            if (roll == 2 && advisor.written < messages_each) {
                advisor.write_next(conversation);
            }
            drop_advisor();
        } else if (roll < 52) {
            if (client.refused) {
                client.resend_all(conversation);
            } else if (client.written < messages_each) {
                client.write_next(conversation);
            }
        } else if (advisor.written < messages_each) {
            advisor.write_next(conversation);
        }
        pump(client);
        pump(advisor);
    }

    // Each side has the other's messages once each, and in seq order they are in written order.
    auto in_order = [](const Side& side) {
        std::vector<std::string> texts;
        for (const auto& [seq, text] : side.received) {
            texts.push_back(text);
        }
        return texts;
    };
    std::vector<std::string> from_advisor;
    std::vector<std::string> from_client;
    for (int i = 0; i < messages_each; ++i) {
        from_advisor.push_back("advisor says " + std::to_string(i));
        from_client.push_back("client says " + std::to_string(i));
    }
    CHECK(in_order(client) == from_advisor);
    CHECK(in_order(advisor) == from_client);
    // The drops really happened, and some resends really were duplicates the server recognised.
    CHECK(client.drops >= 5);
    CHECK(advisor.drops >= 5);
    INFO("duplicates: client " << client.duplicates_accepted << ", advisor "
                               << advisor.duplicates_accepted);
    CHECK(client.duplicates_accepted + advisor.duplicates_accepted > 0);
}
