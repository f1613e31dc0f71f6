// Abuse limits over the real server: a flooding client is refused with rate_limited while
// another conversation gets every message in order; failed sign-ins are throttled per login and
// per address with 429 and Retry-After; wrong join codes are throttled per address.

#include "journey_steps.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <thread>

using namespace neuvo::testing;
using nlohmann::json;

namespace {

const std::vector<AdvisorLogin> advisors = {
    {"aino", "Aino", "091-virka", "fi,ar"},
    {"leila", "Leila", "049-inespoo", "fi,ar"},
};

// A client of Espoo in a conversation with the advisor, the only one free for it; returns the
// conversation's id.
std::string talking(WssClient& client, WssClient& advisor, const std::string& request) {
    client.send({{"type", "request"}, {"id", request}, {"language", "ar"}, {"home", "049"}});
    const std::string conversation = accept_next_offer(advisor)["conversation"];
    REQUIRE(client.await("conversation_started")["conversation"] == conversation);
    return conversation;
}

json message(const std::string& id, const std::string& conversation) {
    return {
        {"type", "message"}, {"id", id}, {"conversation", conversation}, {"text", "viesti " + id}};
}

int count(const std::string& text, const std::string& word) {
    int found = 0;
    for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at + 1))
        ++found;
    return found;
}

} // namespace

TEST_CASE("a flooding client is refused while another conversation gets every message in order",
          "[integration][limits]") {
    // A burst of ten, then one a minute: the flood cannot outlast the burst by chance.
    TestServer server(advisors, [](json& config) {
        config["limits"]["messages_per_minute"] = 1;
        config["limits"]["message_burst"] = 10;
    });
    auto aino = available_advisor(server, "aino", 1);
    auto flooder = welcomed_client(server);
    const std::string flooded = talking(*flooder, *aino, "r-1");
    auto leila = available_advisor(server, "leila", 1);
    auto calm = welcomed_client(server);
    const std::string calm_talk = talking(*calm, *leila, "r-2");

    constexpr int flood = 200;
    for (int i = 1; i <= flood; ++i) {
        flooder->send(message("f-" + std::to_string(i), flooded));
        // The other client writes at a person's pace in between, within its own budget.
        if (i % 20 == 0)
            calm->send(message("c-" + std::to_string(i / 20), calm_talk));
    }

    // Every flood message is answered: accepted or refused with when to retry.
    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < flood; ++i) {
        auto answer = flooder->receive();
        if (answer["type"] == "accepted") {
            ++accepted;
            CHECK(answer["id"] == "f-" + std::to_string(accepted)); // the burst is the first ten
            CHECK(answer["seq"] == accepted);
        } else {
            REQUIRE(answer["type"] == "error");
            CHECK(answer["code"] == "rate_limited");
            CHECK(answer["retry_after_ms"].get<std::int64_t>() > 0);
            CHECK(answer["ref"].get<std::string>().starts_with("f-"));
            ++refused;
        }
    }
    CHECK(accepted == 10);
    CHECK(refused == flood - 10);

    // The flooder's advisor got exactly what was accepted, numbered without a gap.
    for (int seq = 1; seq <= accepted; ++seq) {
        auto got = aino->await("message", {"presence", "typing"});
        CHECK(got["seq"] == seq);
        CHECK(got["id"] == "f-" + std::to_string(seq));
    }
    CHECK_FALSE(aino->try_receive(300ms));

    // The other conversation lost nothing and kept its order.
    for (int i = 1; i <= flood / 20; ++i) {
        auto got = leila->await("message", {"presence", "typing"});
        CHECK(got["seq"] == i);
        CHECK(got["id"] == "c-" + std::to_string(i));
        auto answer = calm->await("accepted");
        CHECK(answer["id"] == "c-" + std::to_string(i));
        CHECK(answer["seq"] == i);
    }
    // The flooder's conversation still works both ways: its advisor's budget is its own.
    aino->send(message("a-1", flooded));
    CHECK(aino->await("accepted")["seq"] == accepted + 1);
    CHECK(flooder->await("message")["id"] == "a-1");
}

TEST_CASE("a message refused for its rate goes through unchanged when sent again after the wait",
          "[integration][limits]") {
    TestServer server(advisors, [](json& config) {
        config["limits"]["messages_per_minute"] = 60;
        config["limits"]["message_burst"] = 2;
    });
    auto aino = available_advisor(server, "aino", 1);
    auto client = welcomed_client(server);
    const std::string conversation = talking(*client, *aino, "r-1");

    // Sent at once, so that some are surely over a burst of two.
    for (int i = 1; i <= 12; ++i)
        client->send(message("m-" + std::to_string(i), conversation));
    std::int64_t accepted = 0;
    std::optional<json> first_refusal;
    for (int i = 0; i < 12; ++i) {
        auto answer = client->receive();
        if (answer["type"] == "accepted")
            accepted = std::max(accepted, answer["seq"].get<std::int64_t>());
        else if (!first_refusal)
            first_refusal = answer;
    }
    REQUIRE(first_refusal);
    CHECK((*first_refusal)["code"] == "rate_limited");
    const std::string id = (*first_refusal)["ref"];

    // Waiting as told, not guessing: the same message is then taken as new, numbered next.
    std::this_thread::sleep_for(
        std::chrono::milliseconds((*first_refusal)["retry_after_ms"].get<std::int64_t>()));
    client->send(message(id, conversation));
    auto answer = client->await("accepted");
    CHECK(answer["id"] == id);
    CHECK(answer["seq"] == accepted + 1);
    CHECK(answer["duplicate"] == false);
    for (std::int64_t seq = 1; seq <= accepted + 1; ++seq)
        CHECK(aino->await("message", {"presence", "typing"})["seq"] == seq);
}

TEST_CASE("failed sign-ins lock the login out with 429, the right password included",
          "[integration][limits]") {
    TestServer server(advisors);
    const std::string wrong = R"({"login": "aino", "password": "wrong horse"})";
    const std::string right = R"({"login": "aino", "password": "correct horse 1"})";

    SECTION("a success before the limit starts the count afresh") {
        for (int i = 0; i < 4; ++i)
            CHECK(https_request(server.port(), "POST", "/api/sign-in", wrong).status == 401);
        CHECK(https_request(server.port(), "POST", "/api/sign-in", right).status == 200);
        for (int i = 0; i < 4; ++i)
            CHECK(https_request(server.port(), "POST", "/api/sign-in", wrong).status == 401);
        CHECK(https_request(server.port(), "POST", "/api/sign-in", right).status == 200);
    }
    SECTION("the fifth failure locks the login; others sign in as usual") {
        for (int i = 0; i < 5; ++i) {
            auto refused = https_request(server.port(), "POST", "/api/sign-in", wrong);
            CHECK(refused.status == 401);
            CHECK(json::parse(refused.body)["error"] == "bad_credentials");
        }
        auto locked = https_request(server.port(), "POST", "/api/sign-in", right);
        CHECK(locked.status == 429);
        CHECK(locked.headers["retry-after"] == "60");
        CHECK_FALSE(locked.headers.contains("set-cookie"));
        auto body = json::parse(locked.body);
        CHECK(body["error"] == "too_many_attempts");
        CHECK(body["retry_after_seconds"] == 60);
        CHECK_FALSE(body["reason"].get<std::string>().empty());

        // Another login is not held up, and its cookie works.
        auto leila = https_request(server.port(), "POST", "/api/sign-in",
                                   R"({"login": "leila", "password": "correct horse 1"})");
        CHECK(leila.status == 200);
        CHECK(https_request(server.port(), "GET", "/api/session", "",
                            sign_in(server.port(), "leila", test_password))
                  .status == 200);

        // A login that does not exist is locked out the same way: nothing tells them apart.
        const std::string nobody = R"({"login": "nobody", "password": "x"})";
        for (int i = 0; i < 5; ++i)
            CHECK(https_request(server.port(), "POST", "/api/sign-in", nobody).status == 401);
        CHECK(https_request(server.port(), "POST", "/api/sign-in", nobody).status == 429);

        // Each refusal is logged without the login or the password, and was not checked.
        const std::string log = server.log();
        CHECK(count(log, "\"sign_in_throttled\"") == 2);
        CHECK(count(log, "\"sign_in_refused\"") == 10);
        CHECK(log.find("wrong horse") == std::string::npos);
    }
}

TEST_CASE("failed sign-ins from one address lock it out for every login", "[integration][limits]") {
    TestServer server(advisors,
                      [](json& config) { config["limits"]["sign_in_failures_per_address"] = 3; });
    for (const char* login : {"aino", "leila", "nobody"}) {
        const json attempt = {{"login", login}, {"password", "wrong horse"}};
        CHECK(https_request(server.port(), "POST", "/api/sign-in", attempt.dump()).status == 401);
    }
    auto locked = https_request(server.port(), "POST", "/api/sign-in",
                                R"({"login": "leila", "password": "correct horse 1"})");
    CHECK(locked.status == 429);
    CHECK(std::stoi(locked.headers["retry-after"]) == 60);
    CHECK(json::parse(locked.body)["error"] == "too_many_attempts");
    // A malformed request is still told what is wrong with it, not throttled.
    CHECK(https_request(server.port(), "POST", "/api/sign-in", "{}").status == 400);
}

TEST_CASE("wrong join codes from one address are refused for a while, the clerk undisturbed",
          "[integration][limits]") {
    const std::vector<AdvisorLogin> people = {
        {"hodan", "Hodan", "092-vantaa", "fi,so"},
        {"kaisa", "Kaisa", "091-virka", "fi", test_password, "clerk", "Kela, Itäkeskus"},
    };
    TestServer server(people);
    auto hodan = available_advisor(server, "hodan", 1);
    WssClient clerk(server.port(), WssClient::Options{"/ws/clerk", sign_in(server.port(), "kaisa",
                                                                           test_password)});
    clerk.expect("welcome");
    clerk.send({{"type", "request"}, {"id", "r-1"}, {"language", "so"}});
    const std::string conversation = accept_next_offer(*hodan)["conversation"];
    clerk.await("conversation_started");
    clerk.send({{"type", "customer_code"}, {"id", "cc-1"}, {"conversation", conversation}});
    const std::string code = clerk.await("customer_code")["code"];

    auto kiosk = welcomed_client(server);
    for (int i = 1; i <= 5; ++i) {
        kiosk->send({{"type", "join"}, {"id", "j-" + std::to_string(i)}, {"code", "WRONG234"}});
        auto refused = kiosk->await("error");
        CHECK(refused["code"] == "unknown_code");
        CHECK(refused["ref"] == "j-" + std::to_string(i));
    }
    // The right code is not looked at now, on this connection or a new one from the address.
    kiosk->send({{"type", "join"}, {"id", "j-6"}, {"code", code}});
    auto throttled = kiosk->await("error");
    CHECK(throttled["code"] == "too_many_attempts");
    CHECK(throttled["ref"] == "j-6");
    CHECK(throttled["retry_after_ms"] == 60000);
    auto another = welcomed_client(server);
    another->send({{"type", "join"}, {"id", "j-1"}, {"code", code}});
    CHECK(another->await("error")["code"] == "too_many_attempts");

    // Nobody joined: the advisor hears of no customer, and the conversation carries on.
    while (auto frame = hodan->try_receive(300ms))
        CHECK((*frame)["type"] != "customer_joined");
    clerk.send(message("m-1", conversation));
    CHECK(clerk.await("accepted")["seq"] == 1);
    CHECK(hodan->await("message")["id"] == "m-1");
}
