// Open conversations survive the server's restart: killed with SIGKILL under 200 open
// conversations, or stopped with SIGTERM, the server starts again on the same database, every
// client resumes with its token and every advisor comes back with their cookie, and the
// conversations carry on where they were, nothing lost or doubled. Once a conversation ends, its
// messages are gone from the database.

#include "journey_steps.hpp"

#include "neuvo/store/database.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <thread>

using namespace neuvo::testing;
using nlohmann::json;

namespace {

constexpr int advisor_count = 20;
constexpr int conversations_each = 10; // the demo configuration's max_capacity

std::vector<AdvisorLogin> advisor_logins() {
    std::vector<AdvisorLogin> logins;
    for (int i = 0; i < advisor_count; ++i) {
        const std::string login = "advisor" + std::to_string(i);
        logins.push_back({login, "Advisor " + std::to_string(i), "091-virka", "fi,ar"});
    }
    return logins;
}

json message(const std::string& id, const std::string& conversation, const std::string& text) {
    return {{"type", "message"}, {"id", id}, {"conversation", conversation}, {"text", text}};
}

json ack(const std::string& conversation, std::uint64_t seq) {
    return {{"type", "ack"}, {"conversation", conversation}, {"seq", seq}};
}

struct Client {
    std::unique_ptr<WssClient> socket;
    std::string token;
    std::string conversation;
    int advisor = 0;
};

struct Advisor {
    std::unique_ptr<WssClient> socket;
    std::string cookie;
};

// An advisor's connection after the restart: the same cookie, and the conversations come back,
// each followed by its events again (the advisor's confirmations are not kept across a restart;
// the desk passes over what it has by seq).
std::set<std::string> reconnect(Advisor& advisor, unsigned short port) {
    advisor.socket =
        std::make_unique<WssClient>(port, WssClient::Options{"/ws/advisor", advisor.cookie});
    advisor.socket->expect("welcome");
    std::set<std::string> conversations;
    std::map<std::string, std::vector<std::uint64_t>> replayed;
    for (;;) {
        auto frame = advisor.socket->receive();
        if (frame["type"] == "conversation_started") {
            CHECK(frame["joined_as"] == "lead");
            conversations.insert(frame["conversation"].get<std::string>());
        } else if (frame["type"] == "message") {
            replayed[frame["conversation"]].push_back(frame["seq"].get<std::uint64_t>());
        } else if (frame["type"] == "presence") {
            // Back within the grace period: the presence it had, with its conversations.
            CHECK(frame["status"] == "available");
            CHECK(frame["active"] == conversations_each);
            break;
        }
    }
    for (const std::string& conversation : conversations) {
        CHECK(replayed[conversation] == std::vector<std::uint64_t>{1, 2, 3});
    }
    return conversations;
}

} // namespace

TEST_CASE("kill -9 under 200 open conversations: every client resumes, every advisor comes back, "
          "nothing is lost or doubled",
          "[integration][restart]") {
    // Each advisor writes twenty messages at machine speed: above the per-sender rate limit,
    // which is not what this test is about.
    TestServer server(advisor_logins(), [](json& config) {
        config["limits"]["messages_per_minute"] = 6000;
        config["limits"]["message_burst"] = 1000;
    });
    std::vector<Advisor> advisors;
    std::vector<Client> clients;
    for (int a = 0; a < advisor_count; ++a) {
        Advisor advisor;
        advisor.cookie = sign_in(server.port(), "advisor" + std::to_string(a), test_password);
        advisor.socket =
            available_advisor(server, "advisor" + std::to_string(a), conversations_each);
        // The others are full, so this advisor gets the next ten clients.
        for (int c = 0; c < conversations_each; ++c) {
            Client client;
            client.socket = std::make_unique<WssClient>(server.port());
            client.token = client.socket->expect("welcome")["resume"]["token"];
            client.socket->send(
                {{"type", "request"}, {"id", "r-1"}, {"language", "ar"}, {"home", "091"}});
            accept_next_offer(*advisor.socket);
            client.conversation = client.socket->await("conversation_started")["conversation"];
            client.advisor = a;
            clients.push_back(std::move(client));
        }
        advisors.push_back(std::move(advisor));
    }

    // Each conversation: the advisor writes, the client confirms and answers; then the advisor
    // writes once more, and that one the client will not have seen when the server dies.
    for (std::size_t i = 0; i < clients.size(); ++i) {
        Client& client = clients[i];
        WssClient& advisor = *advisors[static_cast<std::size_t>(client.advisor)].socket;
        const std::string tag = std::to_string(i);
        advisor.send(message("a-1", client.conversation, "مرحبا " + tag));
        CHECK(advisor.await("accepted")["seq"] == 1);
        CHECK(client.socket->await("message")["text"] == "مرحبا " + tag);
        client.socket->send(ack(client.conversation, 1));
        client.socket->send(message("m-1", client.conversation, "kirje " + tag));
        CHECK(client.socket->await("accepted")["seq"] == 2);
        CHECK(advisor.await("message")["text"] == "kirje " + tag);
        advisor.send(ack(client.conversation, 2));
    }
    for (std::size_t i = 0; i < clients.size(); ++i) {
        Client& client = clients[i];
        WssClient& advisor = *advisors[static_cast<std::size_t>(client.advisor)].socket;
        advisor.send(message("a-2", client.conversation, "näytä kirje " + std::to_string(i)));
        // "accepted" comes once the store has it: from here on a crash must not lose it.
        CHECK(advisor.await("accepted")["seq"] == 3);
    }

    server.kill();
    server.restart();
    CHECK(server.log().find("open_work_restored") != std::string::npos);

    // Every client comes back first (its advisor is not back yet), with the last seq it had.
    for (std::size_t i = 0; i < clients.size(); ++i) {
        Client& client = clients[i];
        client.socket = std::make_unique<WssClient>(server.port());
        client.socket->expect("welcome");
        client.socket->send(
            {{"type", "resume"}, {"id", "s-1"}, {"token", client.token}, {"last_seq", 2}});
        auto resumed = client.socket->expect("resumed");
        REQUIRE(resumed["state"] == "conversation");
        CHECK(resumed["conversation"] == client.conversation);
        CHECK(client.socket->expect("conversation_started")["conversation"] == client.conversation);
        CHECK(client.socket->expect("advisor_connection")["status"] == "reconnecting");
        auto missed = client.socket->expect("message");
        CHECK(missed["seq"] == 3);
        CHECK(missed["text"] == "näytä kirje " + std::to_string(i));
        client.socket->send(ack(client.conversation, 3));
    }

    // Every advisor comes back to exactly their ten conversations.
    std::map<int, std::set<std::string>> expected;
    for (const Client& client : clients) {
        expected[client.advisor].insert(client.conversation);
    }
    for (int a = 0; a < advisor_count; ++a) {
        CHECK(reconnect(advisors[static_cast<std::size_t>(a)], server.port()) == expected[a]);
    }

    // And the conversations go on, numbered on from where they were.
    for (std::size_t i = 0; i < clients.size(); ++i) {
        Client& client = clients[i];
        WssClient& advisor = *advisors[static_cast<std::size_t>(client.advisor)].socket;
        CHECK(client.socket->await("advisor_connection")["status"] == "back");
        // The message it wrote before the crash, resent, is known: shown once, not twice.
        client.socket->send(message("m-1", client.conversation, "kirje " + std::to_string(i)));
        auto again = client.socket->await("accepted");
        CHECK(again["seq"] == 2);
        CHECK(again["duplicate"] == true);
        client.socket->send(message("m-2", client.conversation, "kiitos " + std::to_string(i)));
        CHECK(client.socket->await("accepted")["seq"] == 4);
        auto delivered = advisor.await("message", {"client_connection", "presence"});
        CHECK(delivered["seq"] == 4);
        CHECK(delivered["conversation"] == client.conversation);
        CHECK(delivered["text"] == "kiitos " + std::to_string(i));
    }

    // Every conversation ends: its content leaves the database, its register row stays.
    for (Client& client : clients) {
        client.socket->send(
            {{"type", "end"}, {"id", "e-1"}, {"conversation", client.conversation}});
        CHECK(client.socket->await("conversation_ended", {"accepted"})["reason"] == "client");
    }
    for (Advisor& advisor : advisors) {
        advisor.socket->close();
    }
    REQUIRE(server.stop() == 0);
    neuvo::store::Database database(server.database().string());
    CHECK(database.visits().size() == clients.size());
    const auto left = database.open_work();
    CHECK(left.events.empty());
    CHECK(left.clients.empty());
    // An advisor's presence may still be kept (the stop can come before their sign-out is
    // handled); the next start forgets an advisor who leads nothing.
}

TEST_CASE("a planned restart (SIGTERM) keeps the conversations too; a session that had ended "
          "does not come back",
          "[integration][restart]") {
    TestServer server({{"aino", "Aino", "091-virka", "fi,ar"}});
    Advisor aino{available_advisor(server, "aino"), sign_in(server.port(), "aino", test_password)};
    auto phone = std::make_unique<WssClient>(server.port());
    const std::string token = phone->expect("welcome")["resume"]["token"];
    phone->send({{"type", "request"}, {"id", "r-1"}, {"language", "ar"}, {"home", "091"}});
    accept_next_offer(*aino.socket);
    const std::string conversation = phone->await("conversation_started")["conversation"];

    // A second client whose conversation ends before the restart.
    auto done = std::make_unique<WssClient>(server.port());
    const std::string done_token = done->expect("welcome")["resume"]["token"];
    done->send({{"type", "request"}, {"id", "r-1"}, {"language", "ar"}, {"home", "091"}});
    accept_next_offer(*aino.socket);
    const std::string ended = done->await("conversation_started")["conversation"];
    done->send({{"type", "end"}, {"id", "e-1"}, {"conversation", ended}});
    done->await("conversation_ended");

    aino.socket->send(message("a-1", conversation, "مرحبا"));
    CHECK(aino.socket->await("accepted", {"presence", "wrapup_due", "conversation_ended"})["seq"] ==
          1);
    phone->await("message");

    // The server says it is going away, with a reason a page can show.
    std::thread stopping([&] { CHECK(server.stop() == 0); });
    CHECK(phone->wait_closed(10s) == 1001);
    stopping.join();
    server.restart();

    WssClient late(server.port());
    late.expect("welcome");
    late.send({{"type", "resume"}, {"id", "s-1"}, {"token", done_token}, {"last_seq", 2}});
    CHECK(late.expect("error")["code"] == "resume_expired");

    WssClient back(server.port());
    back.expect("welcome");
    back.send({{"type", "resume"}, {"id", "s-2"}, {"token", token}, {"last_seq", 1}});
    CHECK(back.expect("resumed")["state"] == "conversation");
    CHECK(back.expect("conversation_started")["conversation"] == conversation);
    CHECK(back.expect("advisor_connection")["status"] == "reconnecting");
    auto socket =
        std::make_unique<WssClient>(server.port(), WssClient::Options{"/ws/advisor", aino.cookie});
    socket->expect("welcome");
    CHECK(socket->await("conversation_started", {"client_connection"})["conversation"] ==
          conversation);
    CHECK(back.expect("advisor_connection")["status"] == "back");
    socket->send(message("a-2", conversation, "تفضل"));
    auto next = back.expect("message");
    CHECK(next["seq"] == 2);
    CHECK(next["text"] == "تفضل");
}
