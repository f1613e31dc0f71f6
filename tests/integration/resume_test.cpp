// A client's connection dropped without a goodbye, as a phone changing cells does, and a new
// connection resuming the session with its token: over real WSS, against the real server.

#include "journey_steps.hpp"

#include "neuvo/store/database.hpp"

#include <catch2/catch.hpp>

using namespace neuvo::testing;
using nlohmann::json;

namespace {

const std::vector<AdvisorLogin> advisors = {{"aino", "Aino", "091-virka", "fi,ar"}};

std::function<void(json&)> client_grace(int seconds) {
    return [seconds](json& config) { config["routing"]["client_grace_seconds"] = seconds; };
}

struct Resumable {
    std::unique_ptr<WssClient> socket;
    std::string token;
};

Resumable resumable_client(const TestServer& server) {
    auto client = std::make_unique<WssClient>(server.port());
    auto welcome = client->expect("welcome");
    REQUIRE(welcome.contains("resume"));
    const std::string token = welcome["resume"]["token"];
    CHECK(token.size() == 32);
    return {std::move(client), token};
}

std::string start_conversation(WssClient& client, WssClient& advisor) {
    client.send({{"type", "request"}, {"id", "r-1"}, {"language", "ar"}, {"home", "091"}});
    accept_next_offer(advisor);
    return client.await("conversation_started")["conversation"];
}

json message(const std::string& id, const std::string& conversation, const std::string& text) {
    return {{"type", "message"}, {"id", id}, {"conversation", conversation}, {"text", text}};
}

} // namespace

TEST_CASE("a client that drops and resumes gets exactly what it missed, once, in order",
          "[integration][resume]") {
    TestServer server(advisors, client_grace(30));
    auto aino = available_advisor(server, "aino");
    auto [phone, token] = resumable_client(server);
    CHECK(resumable_client(server).token != token); // every connection gets its own
    const std::string conversation = start_conversation(*phone, *aino);

    aino->send(message("a-1", conversation, "مرحبا"));
    CHECK(aino->await("accepted")["seq"] == 1);
    CHECK(phone->await("message")["seq"] == 1);
    phone->send({{"type", "ack"}, {"conversation", conversation}, {"seq", 1}});
    phone->send(message("m-1", conversation, "لدي رسالة من كيلا"));
    CHECK(phone->await("accepted")["seq"] == 2);
    CHECK(aino->await("message")["id"] == "m-1");

    phone->drop();
    auto dropped = aino->await("client_connection");
    CHECK(dropped["conversation"] == conversation);
    CHECK(dropped["status"] == "reconnecting");
    // The advisor writes on while the phone is away.
    for (int i = 2; i <= 4; ++i) {
        aino->send(message("a-" + std::to_string(i), conversation, "رسالة " + std::to_string(i)));
        CHECK(aino->await("accepted")["seq"] == i + 1);
    }

    WssClient back(server.port());
    back.expect("welcome");
    // It had seq 1 and its own seq 2.
    back.send({{"type", "resume"}, {"id", "s-1"}, {"token", token}, {"last_seq", 2}});
    auto resumed = back.expect("resumed");
    CHECK(resumed["ref"] == "s-1");
    CHECK(resumed["state"] == "conversation");
    CHECK(resumed["conversation"] == conversation);
    auto started = back.expect("conversation_started");
    CHECK(started["conversation"] == conversation);
    CHECK(started["advisor"]["name"] == "Aino");
    for (int seq = 3; seq <= 5; ++seq) {
        auto missed = back.expect("message");
        CHECK(missed["seq"] == seq);
        CHECK(missed["id"] == "a-" + std::to_string(seq - 1));
    }
    CHECK(aino->await("client_connection")["status"] == "back");

    // Its message whose `accepted` it never saw goes again: stored and shown once.
    back.send(message("m-1", conversation, "لدي رسالة من كيلا"));
    auto again = back.expect("accepted");
    CHECK(again["duplicate"] == true);
    CHECK(again["seq"] == 2);
    back.send(message("m-2", conversation, "شكرا"));
    CHECK(back.expect("accepted")["seq"] == 6);
    auto next = aino->await("message");
    CHECK(next["id"] == "m-2"); // not m-1 a second time

    // The same session goes on: the advisor's next message reaches the new connection.
    aino->send(message("a-5", conversation, "تفضل"));
    CHECK(back.await("message")["seq"] == 7);
}

TEST_CASE("a client away longer than the window ends its conversation and is told plainly",
          "[integration][resume]") {
    TestServer server(advisors, client_grace(1));
    auto aino = available_advisor(server, "aino");
    auto [phone, token] = resumable_client(server);
    const std::string conversation = start_conversation(*phone, *aino);
    phone->drop();
    CHECK(aino->await("client_connection")["status"] == "reconnecting");
    auto ended = aino->await("conversation_ended", {"presence", "wrapup_due"}, 5s);
    CHECK(ended["reason"] == "client_disconnected");

    WssClient late(server.port());
    late.expect("welcome");
    late.send({{"type", "resume"}, {"id", "s-1"}, {"token", token}, {"last_seq", 0}});
    auto refused = late.expect("error");
    CHECK(refused["code"] == "resume_expired");
    CHECK(refused["ref"] == "s-1");
    // The late connection is a client like any other.
    late.send({{"type", "request"}, {"id", "r-2"}, {"language", "ar"}, {"home", "091"}});
    accept_next_offer(*aino);
    CHECK(late.await("conversation_started")["request"] == "r-2");

    REQUIRE(server.stop() == 0);
    neuvo::store::Database database(server.database().string());
    auto rows = database.visits();
    // The late client's conversation is still open at the stop: kept for the next start.
    REQUIRE(rows.size() == 1);
    CHECK(rows[0]["ended_by"] == "client_disconnected");
    CHECK(rows[0]["outcome"] == "served");
    CHECK(database.open_work().clients.size() == 1);
}

TEST_CASE("a resume while the old connection is still open takes the session over",
          "[integration][resume]") {
    TestServer server(advisors, client_grace(30));
    auto aino = available_advisor(server, "aino");
    auto [phone, token] = resumable_client(server);
    const std::string conversation = start_conversation(*phone, *aino);

    WssClient second(server.port());
    second.expect("welcome");
    second.send({{"type", "resume"}, {"id", "s-1"}, {"token", token}, {"last_seq", 0}});
    CHECK(second.expect("resumed")["state"] == "conversation");
    // The older connection is told and closed; the session lives on on the new one.
    CHECK(phone->await("error", {"queued", "presence", "typing"})["code"] == "session_replaced");
    CHECK(phone->wait_closed() == 1008);
    aino->send(message("a-1", conversation, "مرحبا"));
    CHECK(second.await("message", {"conversation_started"})["id"] == "a-1");
}

TEST_CASE("bad resumes are refused with a clear error and disturb nobody",
          "[integration][resume]") {
    TestServer server(advisors, client_grace(30));
    auto aino = available_advisor(server, "aino");
    auto [phone, token] = resumable_client(server);
    const std::string conversation = start_conversation(*phone, *aino);
    phone->drop();
    CHECK(aino->await("client_connection")["status"] == "reconnecting");

    WssClient stranger(server.port());
    stranger.expect("welcome");
    stranger.send({{"type", "resume"},
                   {"id", "s-1"},
                   {"token", "0123456789abcdef0123456789abcdef"},
                   {"last_seq", 0}});
    CHECK(stranger.expect("error")["code"] == "resume_expired");
    stranger.send({{"type", "resume"}, {"id", "s-2"}, {"last_seq", 0}});
    auto missing = stranger.expect("error");
    CHECK(missing["code"] == "missing_field");
    CHECK(missing["ref"] == "s-2");
    stranger.send({{"type", "resume"}, {"id", "s-3"}, {"token", token}, {"last_seq", -4}});
    CHECK(stranger.expect("error")["code"] == "invalid_field");

    // An advisor has nothing to resume.
    aino->send({{"type", "resume"}, {"id", "s-4"}, {"token", token}, {"last_seq", 0}});
    CHECK(aino->await("error")["code"] == "not_allowed");

    // After all that, the phone still comes back to its conversation.
    WssClient back(server.port());
    back.expect("welcome");
    back.send({{"type", "resume"}, {"id", "s-5"}, {"token", token}, {"last_seq", 0}});
    auto resumed = back.expect("resumed");
    CHECK(resumed["state"] == "conversation");
    CHECK(resumed["conversation"] == conversation);
}
