// Language support over real WSS: a clerk signed in on /ws/clerk asks for an advisor for a
// customer, the advisor learns who asks, a customer joins from a kiosk with the clerk's code, and
// supervisors see the conversation only where they may.

#include "journey_steps.hpp"

#include "neuvo/store/database.hpp"

#include <catch2/catch.hpp>

#include <cctype>

using namespace neuvo::testing;
using nlohmann::json;

namespace {

const AdvisorLogin hodan{"hodan", "Hodan", "092-vantaa", "fi,so"};
const AdvisorLogin kaisa{"kaisa",       "Kaisa", "091-virka",      "fi",
                         test_password, "clerk", "Kela, Itäkeskus"};
const AdvisorLogin vantaa_supervisor{"ville", "Ville",       "092-vantaa",
                                     "fi",    test_password, "supervisor"};
const AdvisorLogin espoo_supervisor{"eeva", "Eeva",        "049-inespoo",
                                    "fi",   test_password, "supervisor"};
const AdvisorLogin national_supervisor{"nina",        "Nina",       "091-virka", "fi",
                                       test_password, "supervisor", "",          true};

std::unique_ptr<WssClient> signed_in_clerk(const TestServer& server) {
    auto clerk = std::make_unique<WssClient>(
        server.port(),
        WssClient::Options{"/ws/clerk", sign_in(server.port(), "kaisa", test_password)});
    auto welcome = clerk->expect("welcome");
    REQUIRE(welcome["role"] == "clerk");
    REQUIRE(welcome["clerk"]["organisation"] == "Kela, Itäkeskus");
    return clerk;
}

json live_view_of(const TestServer& server, const std::string& login) {
    auto answer = https_request(server.port(), "GET", "/api/live", {},
                                sign_in(server.port(), login, test_password));
    REQUIRE(answer.status == 200);
    return json::parse(answer.body);
}

} // namespace

TEST_CASE("a clerk's language support is routed, named to the advisor, and joined from a kiosk",
          "[integration][language-support]") {
    TestServer server({hodan, kaisa, vantaa_supervisor, espoo_supervisor, national_supervisor});
    auto advisor = available_advisor(server, "hodan", 2);
    auto clerk = signed_in_clerk(server);

    clerk->send({{"type", "request"}, {"id", "r-1"}, {"language", "so"}});
    auto offer = advisor->await("offer");
    CHECK(offer["channel"] == "language-support");
    CHECK(offer["organisation"] == "Kela, Itäkeskus");
    CHECK(offer["home"] == "091"); // the clerk's point's municipality
    advisor->send({{"type", "accept"}, {"id", "a-1"}, {"conversation", offer["conversation"]}});
    auto started = advisor->await("conversation_started");
    CHECK(started["channel"] == "language-support");
    CHECK(started["organisation"] == "Kela, Itäkeskus");
    const std::string conversation = started["conversation"];
    auto clerk_started = clerk->await("conversation_started");
    CHECK(clerk_started["advisor"]["name"] == "Hodan");
    CHECK_FALSE(clerk_started.contains("organisation"));

    // The clerk gets a code; the customer joins with it from a kiosk, in lower case.
    clerk->send({{"type", "customer_code"}, {"id", "cc-1"}, {"conversation", conversation}});
    auto code = clerk->await("customer_code");
    CHECK(code["ref"] == "cc-1");
    const std::string text = code["code"];
    REQUIRE(text.size() == 8);
    auto kiosk = welcomed_client(server);
    kiosk->send({{"type", "join"}, {"id", "j-1"}, {"code", "WRONG234"}});
    CHECK(kiosk->await("error")["code"] == "unknown_code");
    std::string lower = text;
    for (char& c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    kiosk->send({{"type", "join"}, {"id", "j-2"}, {"code", lower}});
    auto kiosk_started = kiosk->await("conversation_started");
    CHECK(kiosk_started["conversation"] == conversation);
    CHECK(advisor->await("customer_joined")["conversation"] == conversation);
    CHECK(clerk->await("customer_joined")["conversation"] == conversation);
    // Once only.
    auto stranger = welcomed_client(server);
    stranger->send({{"type", "join"}, {"id", "j-3"}, {"code", text}});
    CHECK(stranger->await("error")["code"] == "unknown_code");

    kiosk->send({{"type", "message"},
                 {"id", "m-1"},
                 {"conversation", conversation},
                 {"text", "Waxaan qabaa warqad Kela"}});
    CHECK(kiosk->await("accepted")["conversation"] == conversation);
    CHECK(advisor->await("message")["text"] == "Waxaan qabaa warqad Kela");
    CHECK(clerk->await("message")["text"] == "Waxaan qabaa warqad Kela");
    advisor->send({{"type", "message"},
                   {"id", "m-1"},
                   {"conversation", conversation},
                   {"text", "Waan arkaa"}});
    CHECK(kiosk->await("message")["author"] == "Hodan");
    CHECK(clerk->await("message")["text"] == "Waan arkaa");

    // The supervisor of the serving point and a national one see it; another point's does not.
    auto seen_by = [&](const std::string& login) {
        auto live = live_view_of(server, login);
        INFO(login << " sees " << live.dump());
        for (const auto& talk : live["conversations"])
            if (talk["conversation"] == conversation) {
                CHECK(talk["channel"] == "language-support");
                CHECK(talk.dump().find("Waxaan") == std::string::npos);
                return true;
            }
        return false;
    };
    CHECK(seen_by("ville"));
    CHECK(seen_by("nina"));
    CHECK_FALSE(seen_by("eeva"));

    // The customer goes; the clerk carries on, then ends it.
    kiosk->close();
    CHECK(clerk->await("customer_left")["conversation"] == conversation);
    clerk->send({{"type", "end"}, {"id", "e-1"}, {"conversation", conversation}});
    CHECK(advisor->await("conversation_ended",
                         {"accepted", "customer_left", "presence"})["reason"] == "client");

    REQUIRE(server.stop() == 0);
    neuvo::store::Database database(server.database().string());
    auto rows = database.visits();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0]["channel"] == "language-support");
    CHECK(rows[0]["point_id"] == "092-vantaa");
    for (const auto& [column, value] : rows[0])
        CHECK(value.find("Kela") == std::string::npos);
}
