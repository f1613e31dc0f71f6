// Who may do what: every message a peer can send to the server (PROTOCOL.md, to-server) tried by
// every kind of sender, and every HTTP endpoint tried by every role, each against the answer the
// contract gives. Denials name their reason; what is allowed gets its ordinary answer.

#include "collaboration_steps.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <map>

using namespace neuvo::testing;
using nlohmann::json;

namespace {

const std::vector<AdvisorLogin> accounts = {
    {"aino", "Aino", "091-virka", "fi,ar"},
    {"leila", "Leila", "837-mainio", "fi,ar,fa"},
    {"carl", "Carl", "205-monika", "fi,so"},
    {"sanna", "Sanna", "091-virka", "fi", test_password, "supervisor"},
    {"kalle", "Kalle", "091-virka", "fi", test_password, "clerk"},
    {"tilda", "Tilda", "091-virka", "fi", test_password, "statistician"},
    {"ada", "Ada", "091-virka", "fi", test_password, "admin"},
};

// The senders of the WebSocket matrix.
enum class Sender { anonymous, other_client, own_client, other_advisor, supervisor, lead };

const std::vector<std::pair<Sender, std::string>> senders = {
    {Sender::anonymous, "anonymous client (new connection)"},
    {Sender::other_client, "client of another conversation"},
    {Sender::own_client, "the conversation's client"},
    {Sender::other_advisor, "advisor of another point"},
    {Sender::supervisor, "supervisor on the advisor page"},
    {Sender::lead, "the conversation's advisor, in the consult"},
};

// What the world looks like to the frames: a conversation (Aino with a client), a consult of
// Aino with Leila, and Leila in another conversation with another client.
struct Scene {
    std::string conversation;
    std::string consult;
    long long leila = 0;
};

constexpr long long nobody = 987654;

// An expected answer: "error:CODE", the type of the ordinary reply, or "" for no answer at all.
struct Row {
    std::string type;
    std::function<json(const Scene&, bool participant)> frame;
    std::map<Sender, std::string> expected;
};

// The expectation for every sender: clients are refused advisors' messages and the reverse.
std::map<Sender, std::string> for_advisors_only(const std::string& outsider,
                                                const std::string& participant) {
    return {{Sender::anonymous, "error:not_allowed"},
            {Sender::other_client, "error:not_allowed"},
            {Sender::own_client, "error:not_allowed"},
            {Sender::other_advisor, outsider},
            {Sender::supervisor, outsider},
            {Sender::lead, participant}};
}

std::vector<Row> websocket_rows() {
    auto in_conversation = [](std::string type) {
        return [type](const Scene& scene, bool) {
            return json{{"type", type}, {"id", type + "-1"}, {"conversation", scene.conversation}};
        };
    };
    return {
        {"request",
         [](const Scene&, bool) {
             return json{{"type", "request"}, {"id", "r-9"}, {"language", "so"}, {"home", "205"}};
         },
         {{Sender::anonymous, "queued"},
          {Sender::other_client, "error:already_requested"},
          {Sender::own_client, "error:already_requested"},
          {Sender::other_advisor, "error:not_allowed"},
          {Sender::supervisor, "error:not_allowed"},
          {Sender::lead, "error:not_allowed"}}},
        {"cancel",
         [](const Scene&, bool) {
             return json{{"type", "cancel"}, {"id", "x-9"}, {"request", "never-made"}};
         },
         {{Sender::anonymous, "error:unknown_request"},
          {Sender::other_client, "error:unknown_request"},
          {Sender::own_client, "error:unknown_request"},
          {Sender::other_advisor, "error:not_allowed"},
          {Sender::supervisor, "error:not_allowed"},
          {Sender::lead, "error:not_allowed"}}},
        {"message",
         [](const Scene& scene, bool) {
             return json{{"type", "message"},
                         {"id", "m-9"},
                         {"conversation", scene.conversation},
                         {"text", "PROBE-message"}};
         },
         {{Sender::anonymous, "error:not_in_conversation"},
          {Sender::other_client, "error:not_in_conversation"},
          {Sender::own_client, "accepted"},
          {Sender::other_advisor, "error:not_in_conversation"},
          {Sender::supervisor, "error:not_in_conversation"},
          {Sender::lead, "accepted"}}},
        {"ack",
         [](const Scene& scene, bool) {
             return json{{"type", "ack"}, {"conversation", scene.conversation}, {"seq", 1}};
         },
         {{Sender::anonymous, "error:not_in_conversation"},
          {Sender::other_client, "error:not_in_conversation"},
          {Sender::own_client, ""},
          {Sender::other_advisor, "error:not_in_conversation"},
          {Sender::supervisor, "error:not_in_conversation"},
          {Sender::lead, ""}}},
        {"end",
         in_conversation("end"),
         // The participants' own `end` is the ordinary way out (journey_test, collaboration_test).
         {{Sender::anonymous, "error:not_in_conversation"},
          {Sender::other_client, "error:not_in_conversation"},
          {Sender::other_advisor, "error:not_in_conversation"},
          {Sender::supervisor, "error:not_in_conversation"}}},
        {"presence",
         [](const Scene&, bool) {
             return json{{"type", "presence"}, {"id", "p-9"}, {"status", "away"}};
         },
         for_advisors_only("presence", "presence")},
        {"accept", in_conversation("accept"),
         for_advisors_only("error:no_such_offer", "error:no_such_offer")},
        {"decline", in_conversation("decline"),
         for_advisors_only("error:no_such_offer", "error:no_such_offer")},
        {"directory",
         [](const Scene&, bool) {
             return json{{"type", "directory"}, {"id", "dir-9"}};
         },
         for_advisors_only("directory", "directory")},
        {"consult_open",
         [](const Scene& scene, bool) {
             return json{{"type", "consult_open"},
                         {"id", "q-9"},
                         {"colleague", scene.leila},
                         {"about", scene.conversation}};
         },
         for_advisors_only("error:not_in_conversation", "consult_opened")},
        {"consult_message",
         [](const Scene& scene, bool) {
             return json{{"type", "consult_message"},
                         {"id", "qm-9"},
                         {"consult", scene.consult},
                         {"text", "PROBE-consult"}};
         },
         for_advisors_only("error:not_in_consult", "accepted")},
        {"invite",
         [](const Scene& scene, bool participant) {
             // A participant's invitation names nobody, so that nothing is left pending.
             return json{{"type", "invite"},
                         {"id", "i-9"},
                         {"conversation", scene.conversation},
                         {"colleague", participant ? nobody : scene.leila}};
         },
         for_advisors_only("error:not_in_conversation", "error:unknown_colleague")},
        {"transfer",
         [](const Scene& scene, bool participant) {
             return json{{"type", "transfer"},
                         {"id", "t-9"},
                         {"conversation", scene.conversation},
                         {"colleague", participant ? nobody : scene.leila}};
         },
         for_advisors_only("error:not_in_conversation", "error:unknown_colleague")},
        {"leave", in_conversation("leave"),
         for_advisors_only("error:not_in_conversation", "error:only_advisor")},
        {"consult_close",
         [](const Scene& scene, bool) {
             return json{{"type", "consult_close"}, {"id", "qc-9"}, {"consult", scene.consult}};
         },
         for_advisors_only("error:not_in_consult", "consult_closed")},
        // Codes for a kiosk customer belong to a clerk's language-support conversation only.
        {"customer_code",
         in_conversation("customer_code"),
         {{Sender::anonymous, "error:not_in_conversation"},
          {Sender::other_client, "error:not_in_conversation"},
          {Sender::own_client, "error:not_allowed"},
          {Sender::other_advisor, "error:not_allowed"},
          {Sender::supervisor, "error:not_allowed"},
          {Sender::lead, "error:not_allowed"}}},
        {"join",
         [](const Scene&, bool) {
             return json{{"type", "join"}, {"id", "j-9"}, {"code", "NOSUCH22"}};
         },
         {{Sender::anonymous, "error:unknown_code"},
          {Sender::other_client, "error:already_requested"},
          {Sender::own_client, "error:already_requested"},
          {Sender::other_advisor, "error:not_allowed"},
          {Sender::supervisor, "error:not_allowed"},
          {Sender::lead, "error:not_allowed"}}},
    };
}

// Frames that may arrive at any time and say nothing about the message just sent.
const std::vector<std::string> background = {
    "queued", "presence", "message", "alternatives", "consult_message", "advisor_connection"};

void check_answer(WssClient& peer, const json& frame, const std::string& expected) {
    peer.send(frame);
    if (expected.empty()) {
        // Nothing may come back (no error, no reply): read what arrives for a moment.
        while (auto answer = peer.try_receive(250ms)) {
            INFO("answer: " << answer->dump());
            CHECK(std::find(background.begin(), background.end(), answer->value("type", "")) !=
                  background.end());
        }
        return;
    }
    bool error = expected.starts_with("error:");
    auto answer = peer.await(error ? "error" : expected, background);
    INFO("answer: " << answer.dump());
    if (error)
        CHECK(answer["code"] == expected.substr(6));
    if (frame.contains("id") && error)
        CHECK(answer["ref"] == frame["id"]);
    else if (frame.contains("id") && answer.contains("ref"))
        CHECK(answer["ref"] == frame["id"]);
}

} // namespace

TEST_CASE("every message to the server, from every kind of sender",
          "[integration][authorization]") {
    TestServer server(accounts);
    auto aino = available_advisor(server, "aino", 3);
    auto leila = available_advisor(server, "leila", 3);
    auto carl = available_advisor(server, "carl", 1);
    carl->send({{"type", "presence"}, {"id", "p-away"}, {"status", "away"}});
    carl->await("presence", {});
    auto sanna = std::make_unique<WssClient>(
        server.port(),
        WssClient::Options{"/ws/advisor", sign_in(server.port(), "sanna", test_password)});
    sanna->expect("welcome");

    Scene scene;
    auto own = welcomed_client(server);
    scene.conversation = start_conversation(*own, *aino, "r-1", "ar", "091");
    auto other = welcomed_client(server);
    auto other_conversation = start_conversation(*other, *leila, "r-1", "fa", "837");
    REQUIRE(other_conversation != scene.conversation);
    scene.leila = colleague_id(*aino, "Leila");
    aino->send({{"type", "consult_open"}, {"id", "q-1"}, {"colleague", scene.leila}});
    scene.consult = aino->await("consult_opened", {"presence"})["consult"];

    std::map<Sender, WssClient*> standing = {{Sender::other_client, other.get()},
                                             {Sender::own_client, own.get()},
                                             {Sender::other_advisor, carl.get()},
                                             {Sender::supervisor, sanna.get()},
                                             {Sender::lead, aino.get()}};
    int tried = 0;
    for (const auto& row : websocket_rows()) {
        for (const auto& [sender, label] : senders) {
            auto expected = row.expected.find(sender);
            if (expected == row.expected.end())
                continue;
            bool participant = sender == Sender::own_client || sender == Sender::lead;
            auto frame = row.frame(scene, participant);
            INFO(row.type << " from " << label << ": " << frame.dump() << " -> "
                          << (expected->second.empty() ? "no answer" : expected->second));
            if (sender == Sender::anonymous) {
                auto fresh = welcomed_client(server);
                check_answer(*fresh, frame, expected->second);
            } else {
                check_answer(*standing.at(sender), frame, expected->second);
            }
            ++tried;
        }
    }
    CHECK(tried == 100);

    // None of the refused messages reached the other conversation or its people.
    for (auto* peer : {other.get(), leila.get(), carl.get(), sanna.get()})
        for (const auto& frame : drain(*peer))
            if (frame["type"] == "message")
                CHECK(frame["text"] != "PROBE-message");
}

namespace {

enum class Role { none, advisor, supervisor, clerk, statistician, admin };

const std::vector<std::pair<Role, std::string>> roles = {
    {Role::none, ""},       {Role::advisor, "aino"},       {Role::supervisor, "sanna"},
    {Role::clerk, "kalle"}, {Role::statistician, "tilda"}, {Role::admin, "ada"},
};

struct Endpoint {
    std::string method;
    std::string target;
    std::map<Role, int> expected; // HTTP status; 101 for a WebSocket upgrade
    std::string body = {};
};

int upgrade_status(unsigned short port, const std::string& path, const std::string& cookie) {
    try {
        WssClient peer(port, WssClient::Options{path, cookie});
        peer.expect("welcome");
        peer.close();
        return 101;
    } catch (const HandshakeRefused& refused) {
        auto body = json::parse(refused.body);
        if (refused.status == 401)
            CHECK(body["error"] == "not_authenticated");
        if (refused.status == 403)
            CHECK(body["error"] == "not_allowed");
        return refused.status;
    }
}

} // namespace

TEST_CASE("every HTTP endpoint, from every role", "[integration][authorization]") {
    TestServer server(accounts);
    std::map<Role, std::string> cookies;
    for (const auto& [role, login] : roles)
        cookies[role] = login.empty() ? "" : sign_in(server.port(), login, test_password);

    // Two shared answers to change and to remove.
    const std::string answer = json{{"language", "fi"},
                                    {"title", "Oleskelulupa"},
                                    {"body", "Hae oleskelulupaa Enter Finland -palvelussa."},
                                    {"url", "https://migri.fi/oleskelulupa"}}
                                   .dump();
    std::vector<std::string> answer_paths;
    for (int i = 0; i < 2; ++i) {
        auto created =
            https_request(server.port(), "POST", "/api/answers", answer, cookies[Role::admin]);
        REQUIRE(created.status == 201);
        answer_paths.push_back(
            "/api/answers/" +
            std::to_string(json::parse(created.body)["answer"]["id"].get<long long>()));
    }
    const std::map<Role, int> readers = {{Role::none, 401},         {Role::advisor, 200},
                                         {Role::supervisor, 200},   {Role::clerk, 403},
                                         {Role::statistician, 403}, {Role::admin, 200}};
    const std::map<Role, int> everyone_200 = {{Role::none, 200},         {Role::advisor, 200},
                                              {Role::supervisor, 200},   {Role::clerk, 200},
                                              {Role::statistician, 200}, {Role::admin, 200}};
    // Suppressed aggregates: every point's, for those who work with statistics.
    const std::map<Role, int> statistics = {{Role::none, 401},         {Role::advisor, 403},
                                            {Role::supervisor, 200},   {Role::clerk, 403},
                                            {Role::statistician, 200}, {Role::admin, 200}};
    const std::vector<Endpoint> endpoints = {
        {"GET", "/healthz", everyone_200},
        {"GET", "/", everyone_200},
        {"GET",
         "/api/session",
         {{Role::none, 401},
          {Role::advisor, 200},
          {Role::supervisor, 200},
          {Role::clerk, 200},
          {Role::statistician, 200},
          {Role::admin, 200}}},
        {"GET",
         "/api/live",
         {{Role::none, 401},
          {Role::advisor, 403},
          {Role::supervisor, 200},
          {Role::clerk, 403},
          {Role::statistician, 403},
          {Role::admin, 200}}},
        {"WS",
         "/ws/advisor",
         {{Role::none, 401},
          {Role::advisor, 101},
          {Role::supervisor, 101},
          {Role::clerk, 403},
          {Role::statistician, 403},
          {Role::admin, 403}}},
        {"WS",
         "/ws/clerk",
         {{Role::none, 401},
          {Role::advisor, 403},
          {Role::supervisor, 403},
          {Role::clerk, 101},
          {Role::statistician, 403},
          {Role::admin, 403}}},
        {"WS",
         "/ws/client",
         {{Role::none, 101},
          {Role::advisor, 101},
          {Role::supervisor, 101},
          {Role::clerk, 101},
          {Role::statistician, 101},
          {Role::admin, 101}}},
        {"POST",
         "/api/sign-in",
         {{Role::none, 400},
          {Role::advisor, 400},
          {Role::supervisor, 400},
          {Role::clerk, 400},
          {Role::statistician, 400},
          {Role::admin, 400}}}, // no credentials in the body: a malformed request for anyone
        {"GET", "/api/answers", readers},
        {"GET", "/api/answers?language=fi", readers},
        {"POST",
         "/api/answers",
         {{Role::none, 401},
          {Role::advisor, 403},
          {Role::supervisor, 201},
          {Role::clerk, 403},
          {Role::statistician, 403},
          {Role::admin, 201}},
         answer},
        {"PUT",
         answer_paths[0],
         {{Role::none, 401},
          {Role::advisor, 403},
          {Role::supervisor, 200},
          {Role::clerk, 403},
          {Role::statistician, 403},
          {Role::admin, 200}},
         answer},
        {"PUT",
         "/api/answers/987654",
         {{Role::none, 401}, {Role::advisor, 403}, {Role::supervisor, 404}, {Role::admin, 404}},
         answer},
        // The supervisor removes it; by the admin's turn it is gone.
        {"DELETE",
         answer_paths[1],
         {{Role::none, 401},
          {Role::advisor, 403},
          {Role::supervisor, 204},
          {Role::clerk, 403},
          {Role::statistician, 403},
          {Role::admin, 404}}},
        {"GET",
         "/api/register/fields",
         {{Role::none, 401},
          {Role::advisor, 200},
          {Role::supervisor, 200},
          {Role::clerk, 200},
          {Role::statistician, 200},
          {Role::admin, 200}}},
        {"GET", "/api/statistics/counts?by=language,point", statistics},
        {"GET", "/api/statistics/counts?by=residence&format=csv&lang=fi", statistics},
        {"GET", "/api/statistics/times?by=language", statistics},
        {"GET", "/api/statistics/unmet", statistics},
        {"GET", "/api/statistics/reciprocity?format=csv&separator=semicolon", statistics},
        {"GET", "/api/nothing-here", {{Role::none, 404}, {Role::advisor, 404}, {Role::admin, 404}}},
        // Last: signing out ends each session.
        {"POST",
         "/api/sign-out",
         {{Role::none, 204},
          {Role::advisor, 204},
          {Role::supervisor, 204},
          {Role::clerk, 204},
          {Role::statistician, 204},
          {Role::admin, 204}}},
    };

    int tried = 0;
    for (const auto& endpoint : endpoints) {
        for (const auto& [role, login] : roles) {
            auto expected = endpoint.expected.find(role);
            if (expected == endpoint.expected.end())
                continue;
            INFO(endpoint.method << " " << endpoint.target << " as "
                                 << (login.empty() ? "nobody signed in" : login));
            const auto& cookie = cookies[role];
            int status = 0;
            if (endpoint.method == "WS") {
                status = upgrade_status(server.port(), endpoint.target, cookie);
            } else {
                auto response = https_request(server.port(), endpoint.method, endpoint.target,
                                              endpoint.body, cookie);
                status = response.status;
                INFO("body: " << response.body);
                if (status == 401)
                    CHECK(json::parse(response.body)["error"] == "not_authenticated");
                if (status == 403)
                    CHECK(json::parse(response.body)["error"] == "not_allowed");
                if (endpoint.target == "/api/session" && status == 200)
                    CHECK(json::parse(response.body)["advisor"]["login"] == login);
                if (endpoint.target == "/api/live" && status == 200)
                    CHECK(json::parse(response.body)["languages"].is_array());
            }
            CHECK(status == expected->second);
            ++tried;
        }
    }
    CHECK(tried == 127);

    // After signing out, no session opens anything.
    for (const auto& [role, login] : roles) {
        if (login.empty())
            continue;
        INFO(login);
        CHECK(https_request(server.port(), "GET", "/api/session", {}, cookies[role]).status == 401);
        CHECK(https_request(server.port(), "GET", "/api/live", {}, cookies[role]).status == 401);
        CHECK(https_request(server.port(), "GET", "/api/answers", {}, cookies[role]).status == 401);
        CHECK(upgrade_status(server.port(), "/ws/advisor", cookies[role]) == 401);
    }
}
