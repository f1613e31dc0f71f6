// Who may do what: every message a peer can send to the server (PROTOCOL.md, to-server) tried by
// every kind of sender, and every HTTP endpoint tried by every role, each against the answer the
// contract gives. Denials name their reason and give away nothing: the same answer whether the
// conversation exists or not, no content of it in any frame an outsider gets, and the people in it
// go on undisturbed. What is allowed gets its ordinary answer. Both tables are checked against
// PROTOCOL.md, so that a message type or an endpoint added there fails this test until it is
// listed here.

#include "collaboration_steps.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>

using namespace neuvo::testing;
using nlohmann::json;

namespace {

const std::vector<AdvisorLogin> accounts = {
    {"aino", "Aino", "091-virka", "fi,ar"},
    {"leila", "Leila", "837-mainio", "fi,ar,fa"},
    {"carl", "Carl", "205-monika", "fi,so"},
    {"sanna", "Sanna", "091-virka", "fi", test_password, "supervisor"},
    {"sofia", "Sofia", "205-monika", "fi", test_password, "supervisor"},
    {"kalle", "Kalle", "091-virka", "fi", test_password, "clerk"},
    {"tilda", "Tilda", "091-virka", "fi", test_password, "statistician"},
    {"ada", "Ada", "091-virka", "fi", test_password, "admin"},
};

std::string read_protocol_document() {
    std::ifstream in(source_dir() / "protocol/PROTOCOL.md", std::ios::binary);
    REQUIRE(in.good());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// The `type` of every example in a ```json to-server block of PROTOCOL.md.
std::set<std::string> documented_inbound_types() {
    std::set<std::string> types;
    std::istringstream in(read_protocol_document());
    std::string line, body;
    bool inside = false;
    while (std::getline(in, line)) {
        if (!inside && line == "```json to-server") {
            inside = true;
            body.clear();
        } else if (inside && line.starts_with("```")) {
            inside = false;
            types.insert(json::parse(body).at("type").get<std::string>());
        } else if (inside) {
            body += line + "\n";
        }
    }
    REQUIRE(types.size() > 10);
    return types;
}

// The senders of the WebSocket matrix: everyone who could try a message about Aino's conversation
// with her client, or about her consult thread with Leila.
enum class Sender {
    anonymous,        // a fresh /ws/client connection
    clerk,            // a fresh /ws/clerk connection, with no conversation
    other_client,     // the client of Leila's conversation
    own_client,       // Aino's client
    other_advisor,    // Carl, of another point, in nothing of Aino's
    supervisor,       // Sanna, the supervisor of Aino's point
    other_supervisor, // Sofia, the supervisor of another point
    lead,             // Aino
    colleague,        // Leila: in the consult about the conversation, not in the conversation
};

const std::vector<std::pair<Sender, std::string>> senders = {
    {Sender::anonymous, "anonymous client (new connection)"},
    {Sender::clerk, "clerk (new connection)"},
    {Sender::other_client, "client of another conversation"},
    {Sender::own_client, "the conversation's client"},
    {Sender::other_advisor, "advisor of another point"},
    {Sender::supervisor, "supervisor of the conversation's point"},
    {Sender::other_supervisor, "supervisor of another point"},
    {Sender::lead, "the conversation's advisor, in the consult"},
    {Sender::colleague, "advisor in the consult about the conversation, not in it"},
};

// What the world looks like to the frames: a conversation (Aino with a client), a consult of
// Aino with Leila about it, and Leila in another conversation with another client.
struct Scene {
    std::string conversation;
    std::string consult;
    long long leila = 0;
};

constexpr long long nobody = 987654;
const std::string no_such_id = "zz99-404";

// An expected answer: "error:CODE", the type of the ordinary reply, or "" for no answer at all.
using Expected = std::map<Sender, std::string>;

struct Row {
    std::string type;
    std::function<json(const Scene&, bool participant)> frame;
    Expected expected;
    // Senders not tried, with the reason: the participants' own `end` would end the scene.
    std::set<Sender> not_tried = {};
};

// Clients' messages: advisors are refused them.
Expected for_requesters(const std::string& anonymous, const std::string& clerk,
                        const std::string& other_client, const std::string& own_client) {
    return {{Sender::anonymous, anonymous},
            {Sender::clerk, clerk},
            {Sender::other_client, other_client},
            {Sender::own_client, own_client},
            {Sender::other_advisor, "error:not_allowed"},
            {Sender::supervisor, "error:not_allowed"},
            {Sender::other_supervisor, "error:not_allowed"},
            {Sender::lead, "error:not_allowed"},
            {Sender::colleague, "error:not_allowed"}};
}

// Advisors' messages: clients and clerks are refused them. `outsider` is the answer for an advisor
// of nothing of Aino's (Leila included unless `colleague` says otherwise).
Expected for_advisors(const std::string& outsider, const std::string& lead,
                      std::optional<std::string> colleague = std::nullopt) {
    return {{Sender::anonymous, "error:not_allowed"},
            {Sender::clerk, "error:not_allowed"},
            {Sender::other_client, "error:not_allowed"},
            {Sender::own_client, "error:not_allowed"},
            {Sender::other_advisor, outsider},
            {Sender::supervisor, outsider},
            {Sender::other_supervisor, outsider},
            {Sender::lead, lead},
            {Sender::colleague, colleague.value_or(outsider)}};
}

// Messages of the conversation's participants, client or advisor.
Expected for_participants(const std::string& participant) {
    const std::string outsider = "error:not_in_conversation";
    return {{Sender::anonymous, outsider},        {Sender::clerk, outsider},
            {Sender::other_client, outsider},     {Sender::own_client, participant},
            {Sender::other_advisor, outsider},    {Sender::supervisor, outsider},
            {Sender::other_supervisor, outsider}, {Sender::lead, participant},
            {Sender::colleague, outsider}};
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
         for_requesters("queued", "queued", "error:already_requested", "error:already_requested")},
        {"cancel",
         [](const Scene&, bool) {
             return json{{"type", "cancel"}, {"id", "x-9"}, {"request", "never-made"}};
         },
         for_requesters("error:unknown_request", "error:unknown_request", "error:unknown_request",
                        "error:unknown_request")},
        {"resume",
         [](const Scene&, bool) {
             return json{{"type", "resume"},
                         {"id", "s-9"},
                         {"token", "00000000000000000000000000000000"},
                         {"last_seq", 0}};
         },
         // A connection that has asked for something cannot become another session.
         for_requesters("error:resume_expired", "error:resume_expired", "error:already_requested",
                        "error:already_requested")},
        {"join",
         [](const Scene&, bool) {
             return json{{"type", "join"}, {"id", "j-9"}, {"code", "NOSUCH22"}};
         },
         for_requesters("error:unknown_code", "error:unknown_code", "error:already_requested",
                        "error:already_requested")},
        {"message",
         [](const Scene& scene, bool) {
             return json{{"type", "message"},
                         {"id", "m-9"},
                         {"conversation", scene.conversation},
                         {"text", "PROBE-message"}};
         },
         for_participants("accepted")},
        {"ack",
         [](const Scene& scene, bool) {
             return json{{"type", "ack"}, {"conversation", scene.conversation}, {"seq", 1}};
         },
         for_participants("")},
        {"typing",
         [](const Scene& scene, bool) {
             return json{{"type", "typing"}, {"conversation", scene.conversation}};
         },
         for_participants("")},
        {"end",
         in_conversation("end"),
         for_participants("conversation_ended"),
         // The participants' own `end` is the ordinary way out (journey_test, collaboration_test).
         {Sender::own_client, Sender::lead}},
        // Only after a conversation has ended: refused alike for an open one and someone else's.
        {"rate",
         [](const Scene& scene, bool) {
             return json{{"type", "rate"},
                         {"id", "f-9"},
                         {"conversation", scene.conversation},
                         {"rating", 5}};
         },
         for_requesters("error:not_in_conversation", "error:not_in_conversation",
                        "error:not_in_conversation", "error:not_in_conversation")},
        {"wrapup",
         [](const Scene& scene, bool) {
             return json{{"type", "wrapup"},
                         {"id", "w-9"},
                         {"conversation", scene.conversation},
                         {"fields", json::object()}};
         },
         // No wrap-up is due while the conversation is open, not even from its advisor.
         for_advisors("error:not_in_conversation", "error:not_in_conversation")},
        // Codes for a kiosk customer belong to a clerk's language-support conversation only.
        {"customer_code", in_conversation("customer_code"),
         for_requesters("error:not_in_conversation", "error:not_in_conversation",
                        "error:not_in_conversation", "error:not_allowed")},
        {"presence",
         [](const Scene&, bool) {
             return json{{"type", "presence"}, {"id", "p-9"}, {"status", "away"}};
         },
         for_advisors("presence", "presence")},
        {"accept", in_conversation("accept"),
         for_advisors("error:no_such_offer", "error:no_such_offer")},
        {"decline", in_conversation("decline"),
         for_advisors("error:no_such_offer", "error:no_such_offer")},
        {"directory",
         [](const Scene&, bool) {
             return json{{"type", "directory"}, {"id", "dir-9"}};
         },
         for_advisors("directory", "directory")},
        {"consult_open",
         [](const Scene& scene, bool) {
             return json{{"type", "consult_open"},
                         {"id", "q-9"},
                         {"colleague", scene.leila},
                         {"about", scene.conversation}};
         },
         // It names Leila, who may not consult herself (checked before the conversation).
         for_advisors("error:not_in_conversation", "consult_opened", "error:invalid_field")},
        {"consult_message",
         [](const Scene& scene, bool) {
             return json{{"type", "consult_message"},
                         {"id", "qm-9"},
                         {"consult", scene.consult},
                         {"text", "PROBE-consult"}};
         },
         for_advisors("error:not_in_consult", "accepted", "accepted")},
        {"invite",
         [](const Scene& scene, bool participant) {
             // A participant's invitation names nobody, so that nothing is left pending.
             return json{{"type", "invite"},
                         {"id", "i-9"},
                         {"conversation", scene.conversation},
                         {"colleague", participant ? nobody : scene.leila}};
         },
         for_advisors("error:not_in_conversation", "error:unknown_colleague")},
        {"transfer",
         [](const Scene& scene, bool participant) {
             return json{{"type", "transfer"},
                         {"id", "t-9"},
                         {"conversation", scene.conversation},
                         {"colleague", participant ? nobody : scene.leila}};
         },
         for_advisors("error:not_in_conversation", "error:unknown_colleague")},
        {"leave", in_conversation("leave"),
         for_advisors("error:not_in_conversation", "error:only_advisor")},
        // Last of the consult's: Aino closes it, so that Leila's close finds no thread of hers.
        {"consult_close",
         [](const Scene& scene, bool) {
             return json{{"type", "consult_close"}, {"id", "qc-9"}, {"consult", scene.consult}};
         },
         for_advisors("error:not_in_consult", "consult_closed", "error:not_in_consult")},
    };
}

// Frames that may arrive at any time and say nothing about the message just sent.
const std::vector<std::string> background = {
    "queued", "presence",       "message",        "alternatives",      "consult_message",
    "typing", "consult_opened", "consult_closed", "advisor_connection"};

// Every frame each connection was sent, kept to look for leaks at the end.
using Received = std::vector<json>;

json await_recording(WssClient& peer, Received& received, const std::string& type) {
    for (;;) {
        auto frame = peer.receive();
        received.push_back(frame);
        auto got = frame.value("type", "");
        if (got == type)
            return frame;
        INFO("while waiting for \"" << type << "\": " << frame.dump());
        REQUIRE(std::find(background.begin(), background.end(), got) != background.end());
    }
}

// The fields that name a conversation or a consult thread.
const std::vector<std::string> naming_fields = {"conversation", "consult", "about"};

void check_answer(WssClient& peer, Received& received, const json& frame,
                  const std::string& expected) {
    peer.send(frame);
    if (expected.empty()) {
        // Nothing may come back (no error, no reply): read what arrives for a moment.
        while (auto answer = peer.try_receive(250ms)) {
            received.push_back(*answer);
            INFO("answer: " << answer->dump());
            CHECK(std::find(background.begin(), background.end(), answer->value("type", "")) !=
                  background.end());
        }
        return;
    }
    const bool error = expected.starts_with("error:");
    auto answer = await_recording(peer, received, error ? "error" : expected);
    INFO("answer: " << answer.dump());
    if (error)
        CHECK(answer["code"] == expected.substr(6));
    if (frame.contains("id") && (error || answer.contains("ref")))
        CHECK(answer["ref"] == frame["id"]);
    const auto& code = answer.value("code", "");
    if (code != "not_in_conversation" && code != "not_in_consult")
        return;
    // No hint of existence: the same message about a conversation or thread that does not
    // exist gets the very same answer, reason and all.
    auto twin = frame;
    for (const auto& field : naming_fields)
        if (twin.contains(field))
            twin[field] = no_such_id;
    if (twin.contains("id"))
        twin["id"] = frame["id"].get<std::string>() + "-twin";
    peer.send(twin);
    auto twin_answer = await_recording(peer, received, "error");
    INFO("about one that does not exist: " << twin_answer.dump());
    CHECK(twin_answer["code"] == answer["code"]);
    CHECK(twin_answer["reason"] == answer["reason"]);
}

} // namespace

TEST_CASE("the WebSocket matrix lists every message type of PROTOCOL.md",
          "[integration][authorization]") {
    std::set<std::string> listed;
    for (const auto& row : websocket_rows()) {
        INFO(row.type);
        CHECK(listed.insert(row.type).second);
        // Every sender is tried, or the row says why not.
        for (const auto& [sender, label] : senders) {
            INFO(label);
            CHECK((row.expected.contains(sender) || row.not_tried.contains(sender)));
        }
    }
    CHECK(listed == documented_inbound_types());
}

TEST_CASE("every message to the server, from every kind of sender",
          "[integration][authorization]") {
    TestServer server(accounts);
    auto aino = available_advisor(server, "aino", 3);
    auto leila = available_advisor(server, "leila", 3);
    auto carl = available_advisor(server, "carl", 1);
    carl->send({{"type", "presence"}, {"id", "p-away"}, {"status", "away"}});
    carl->await("presence", {});
    auto supervisor_of = [&](const std::string& login) {
        auto supervisor = std::make_unique<WssClient>(
            server.port(),
            WssClient::Options{"/ws/advisor", sign_in(server.port(), login, test_password)});
        supervisor->expect("welcome");
        return supervisor;
    };
    auto sanna = supervisor_of("sanna");
    auto sofia = supervisor_of("sofia");
    const auto clerk_cookie = sign_in(server.port(), "kalle", test_password);

    Scene scene;
    auto own = welcomed_client(server);
    scene.conversation = start_conversation(*own, *aino, "r-1", "ar", "091");
    auto other = welcomed_client(server);
    auto other_conversation = start_conversation(*other, *leila, "r-1", "fa", "837");
    REQUIRE(other_conversation != scene.conversation);
    scene.leila = colleague_id(*aino, "Leila");
    aino->send({{"type", "consult_open"},
                {"id", "q-1"},
                {"colleague", scene.leila},
                {"about", scene.conversation}});
    scene.consult = aino->await("consult_opened", {"presence"})["consult"];
    leila->await("consult_opened", {"presence"});

    // What is said in the conversation and in the consult, which no outsider may ever see.
    const std::string client_words = "SECRET-client-Kelan-paatos";
    const std::string advisor_words = "SECRET-advisor-oleskelulupa";
    const std::string consult_words = "SECRET-consult-onko-tama-kela";
    own->send({{"type", "message"},
               {"id", "m-secret"},
               {"conversation", scene.conversation},
               {"text", client_words}});
    own->await("accepted");
    aino->await("message", {"presence"});
    aino->send({{"type", "message"},
                {"id", "m-secret"},
                {"conversation", scene.conversation},
                {"text", advisor_words}});
    aino->await("accepted", {"presence"});
    own->await("message");
    aino->send({{"type", "consult_message"},
                {"id", "qm-secret"},
                {"consult", scene.consult},
                {"text", consult_words}});
    aino->await("accepted", {"presence"});
    leila->await("consult_message", {"presence"});

    std::map<Sender, WssClient*> standing = {
        {Sender::other_client, other.get()},     {Sender::own_client, own.get()},
        {Sender::other_advisor, carl.get()},     {Sender::supervisor, sanna.get()},
        {Sender::other_supervisor, sofia.get()}, {Sender::lead, aino.get()},
        {Sender::colleague, leila.get()}};
    std::map<Sender, Received> received;
    int tried = 0;
    for (const auto& row : websocket_rows()) {
        for (const auto& [sender, label] : senders) {
            auto expected = row.expected.find(sender);
            if (expected == row.expected.end() || row.not_tried.contains(sender))
                continue;
            bool participant = sender == Sender::own_client || sender == Sender::lead;
            auto frame = row.frame(scene, participant);
            INFO(row.type << " from " << label << ": " << frame.dump() << " -> "
                          << (expected->second.empty() ? "no answer" : expected->second));
            if (sender == Sender::anonymous || sender == Sender::clerk) {
                WssClient::Options options;
                if (sender == Sender::clerk)
                    options = {"/ws/clerk", clerk_cookie};
                auto fresh = std::make_unique<WssClient>(server.port(), options);
                received[sender].push_back(fresh->expect("welcome"));
                check_answer(*fresh, received[sender], frame, expected->second);
                fresh->close();
            } else {
                check_answer(*standing.at(sender), received[sender], frame, expected->second);
            }
            ++tried;
        }
    }
    CHECK(tried == 21 * 9 - 2);

    for (auto& [sender, peer] : standing)
        for (auto& frame : drain(*peer))
            received[sender].push_back(std::move(frame));
    // Nothing of the conversation reached anyone outside it, nothing of the consult anyone
    // outside that, and no probe another conversation.
    for (auto sender : {Sender::anonymous, Sender::clerk, Sender::other_client,
                        Sender::other_advisor, Sender::supervisor, Sender::other_supervisor}) {
        INFO(static_cast<int>(sender));
        check_none_mentions(received[sender], {client_words, advisor_words, consult_words,
                                               "PROBE-message", "PROBE-consult"});
    }
    INFO("the colleague in the consult");
    check_none_mentions(received[Sender::colleague],
                        {client_words, advisor_words, "PROBE-message"});
    INFO("the conversation's client");
    check_none_mentions(received[Sender::own_client], {consult_words, "PROBE-consult"});

    // Both conversations go on as before, each between its own people.
    own->send({{"type", "message"},
               {"id", "m-after"},
               {"conversation", scene.conversation},
               {"text", "Kiitos, vielä yksi kysymys."}});
    CHECK(own->await("accepted")["conversation"] == scene.conversation);
    auto heard = aino->await("message", {"presence"});
    CHECK(heard["conversation"] == scene.conversation);
    CHECK(heard["text"] == "Kiitos, vielä yksi kysymys.");
    leila->send({{"type", "message"},
                 {"id", "m-after"},
                 {"conversation", other_conversation},
                 {"text", "Palaan asiaan."}});
    leila->await("accepted", {"presence"});
    CHECK(other->await("message")["text"] == "Palaan asiaan.");

    // The live view: Aino's point's supervisor sees the conversation's metadata, and none of
    // its words; the other point's supervisor does not see it at all.
    auto live_of = [&](const std::string& login) {
        auto response = https_request(server.port(), "GET", "/api/live", {},
                                      sign_in(server.port(), login, test_password));
        REQUIRE(response.status == 200);
        return response.body;
    };
    auto own_point = live_of("sanna");
    CHECK(own_point.find(scene.conversation) != std::string::npos);
    auto other_point = live_of("sofia");
    CHECK(other_point.find(scene.conversation) == std::string::npos);
    for (const auto& body : {own_point, other_point})
        for (const auto& words : {client_words, advisor_words, consult_words})
            CHECK(body.find(words) == std::string::npos);
}

namespace {

enum class Role { none, advisor, supervisor, other_supervisor, clerk, statistician, admin };

const std::vector<std::pair<Role, std::string>> roles = {
    {Role::none, ""},
    {Role::advisor, "aino"},
    {Role::supervisor, "sanna"},
    {Role::other_supervisor, "sofia"},
    {Role::clerk, "kalle"},
    {Role::statistician, "tilda"},
    {Role::admin, "ada"},
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
    const std::map<Role, int> readers = {{Role::none, 401},       {Role::advisor, 200},
                                         {Role::supervisor, 200}, {Role::other_supervisor, 200},
                                         {Role::clerk, 403},      {Role::statistician, 403},
                                         {Role::admin, 200}};
    const std::map<Role, int> everyone_200 = {
        {Role::none, 200},       {Role::advisor, 200},
        {Role::supervisor, 200}, {Role::other_supervisor, 200},
        {Role::clerk, 200},      {Role::statistician, 200},
        {Role::admin, 200}};
    // Suppressed aggregates: every point's, for those who work with statistics.
    const std::map<Role, int> statistics = {{Role::none, 401},       {Role::advisor, 403},
                                            {Role::supervisor, 200}, {Role::other_supervisor, 200},
                                            {Role::clerk, 403},      {Role::statistician, 200},
                                            {Role::admin, 200}};
    const std::vector<Endpoint> endpoints = {
        {"GET", "/healthz", everyone_200},
        {"GET", "/", everyone_200},
        {"GET",
         "/api/session",
         {{Role::none, 401},
          {Role::advisor, 200},
          {Role::supervisor, 200},
          {Role::other_supervisor, 200},
          {Role::clerk, 200},
          {Role::statistician, 200},
          {Role::admin, 200}}},
        {"GET",
         "/api/live",
         {{Role::none, 401},
          {Role::advisor, 403},
          {Role::supervisor, 200},
          {Role::other_supervisor, 200},
          {Role::clerk, 403},
          {Role::statistician, 403},
          {Role::admin, 200}}},
        {"WS",
         "/ws/advisor",
         {{Role::none, 401},
          {Role::advisor, 101},
          {Role::supervisor, 101},
          {Role::other_supervisor, 101},
          {Role::clerk, 403},
          {Role::statistician, 403},
          {Role::admin, 403}}},
        {"WS",
         "/ws/clerk",
         {{Role::none, 401},
          {Role::advisor, 403},
          {Role::supervisor, 403},
          {Role::other_supervisor, 403},
          {Role::clerk, 101},
          {Role::statistician, 403},
          {Role::admin, 403}}},
        {"WS",
         "/ws/client",
         {{Role::none, 101},
          {Role::advisor, 101},
          {Role::supervisor, 101},
          {Role::other_supervisor, 101},
          {Role::clerk, 101},
          {Role::statistician, 101},
          {Role::admin, 101}}},
        {"POST",
         "/api/sign-in",
         {{Role::none, 400},
          {Role::advisor, 400},
          {Role::supervisor, 400},
          {Role::other_supervisor, 400},
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
          {Role::other_supervisor, 201},
          {Role::clerk, 403},
          {Role::statistician, 403},
          {Role::admin, 201}},
         answer},
        {"PUT",
         answer_paths[0],
         {{Role::none, 401},
          {Role::advisor, 403},
          {Role::supervisor, 200},
          {Role::other_supervisor, 200},
          {Role::clerk, 403},
          {Role::statistician, 403},
          {Role::admin, 200}},
         answer},
        {"PUT",
         "/api/answers/987654",
         {{Role::none, 401},
          {Role::advisor, 403},
          {Role::supervisor, 404},
          {Role::other_supervisor, 404},
          {Role::admin, 404}},
         answer},
        // The supervisor removes it; by the other supervisor's and the admin's turn it is gone.
        {"DELETE",
         answer_paths[1],
         {{Role::none, 401},
          {Role::advisor, 403},
          {Role::supervisor, 204},
          {Role::other_supervisor, 404},
          {Role::clerk, 403},
          {Role::statistician, 403},
          {Role::admin, 404}}},
        {"GET",
         "/api/register/fields",
         {{Role::none, 401},
          {Role::advisor, 200},
          {Role::supervisor, 200},
          {Role::other_supervisor, 200},
          {Role::clerk, 200},
          {Role::statistician, 200},
          {Role::admin, 200}}},
        {"GET", "/api/statistics/counts?by=language,point", statistics},
        {"GET", "/api/statistics/counts?by=residence&format=csv&lang=fi", statistics},
        {"GET", "/api/statistics/times?by=language", statistics},
        {"GET", "/api/statistics/unmet", statistics},
        {"GET", "/api/statistics/reciprocity?format=csv&separator=semicolon", statistics},
        {"GET", "/api/nothing-here", {{Role::none, 404}, {Role::advisor, 404}, {Role::admin, 404}}},
        // No role's cookie opens it: off here, and otherwise on a listener of its own or behind
        // a bearer token (metrics_test.cpp).
        {"GET",
         "/metrics",
         {{Role::none, 404},
          {Role::advisor, 404},
          {Role::supervisor, 404},
          {Role::other_supervisor, 404},
          {Role::clerk, 404},
          {Role::statistician, 404},
          {Role::admin, 404}}},
        // Last: signing out ends each session.
        {"POST",
         "/api/sign-out",
         {{Role::none, 204},
          {Role::advisor, 204},
          {Role::supervisor, 204},
          {Role::other_supervisor, 204},
          {Role::clerk, 204},
          {Role::statistician, 204},
          {Role::admin, 204}}},
    };

    // Every endpoint PROTOCOL.md lists, as "METHOD /path" with ids as {id}, is in the table.
    std::set<std::string> listed;
    for (const auto& endpoint : endpoints) {
        auto path = endpoint.target.substr(0, endpoint.target.find('?'));
        path = std::regex_replace(path, std::regex("/[0-9]+$"), "/{id}");
        listed.insert(endpoint.method + " " + (path == "/" ? "/..." : path));
    }
    std::set<std::string> documented;
    std::istringstream document(read_protocol_document());
    static const std::regex http_row("^\\| `(GET|POST|PUT|DELETE) ([^ `?]+)");
    static const std::regex websocket_row("^\\| `wss://HOST(/[^`]+)`");
    std::smatch match;
    for (std::string line; std::getline(document, line);) {
        if (std::regex_search(line, match, http_row))
            documented.insert(match[1].str() + " " + match[2].str());
        else if (std::regex_search(line, match, websocket_row))
            documented.insert("WS " + match[1].str());
    }
    REQUIRE(documented.size() > 15);
    for (const auto& endpoint : documented) {
        INFO("documented in PROTOCOL.md, missing from the matrix: " << endpoint);
        CHECK(listed.contains(endpoint));
    }

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
    CHECK(tried == 155);

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
