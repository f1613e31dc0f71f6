// Advisors working together over real WSS: the directory, private consult threads that never
// reach a client, invitations into a conversation, transfers to a colleague or to a language's
// queue, and what the visit register keeps of a transfer.

#include "collaboration_steps.hpp"

#include "neuvo/store/database.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>
#include <thread>

using namespace neuvo::testing;
using nlohmann::json;

namespace {

const AdvisorLogin aino{"aino", "Aino", "091-virka", "fi,ar"};        // Helsinki
const AdvisorLogin leila{"leila", "Leila", "837-mainio", "fi,ar,fa"}; // Tampere
const AdvisorLogin carl{"carl", "Carl", "205-monika", "fi,so"};       // Jyväskylä
const AdvisorLogin farid{"farid", "Farid", "853-infotori", "fa,en"};  // Turku
const AdvisorLogin sanna{"sanna", "Sanna", "091-virka", "fi", test_password, "supervisor"};

const std::vector<std::string> updates = {"queued", "presence"};

std::string file_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::unique_ptr<WssClient> signed_in(const TestServer& server, const std::string& login) {
    auto peer = std::make_unique<WssClient>(
        server.port(),
        WssClient::Options{"/ws/advisor", sign_in(server.port(), login, test_password)});
    peer->expect("welcome");
    peer->expect("presence");
    return peer;
}

json message(const std::string& id, const std::string& conversation, const std::string& text) {
    return {{"type", "message"}, {"id", id}, {"conversation", conversation}, {"text", text}};
}

// Sends a chat message and checks its sequence number in `accepted`, skipping other updates.
void say(WssClient& sender, const std::string& id, const std::string& conversation,
         const std::string& text, int seq) {
    sender.send(message(id, conversation, text));
    auto accepted = sender.await("accepted", {"queued", "presence", "advisor_joined",
                                              "advisor_left", "handover", "message"});
    INFO(accepted.dump());
    CHECK(accepted["id"] == id);
    CHECK(accepted["seq"] == seq);
    CHECK(accepted["duplicate"] == false);
}

// The receiver's copy of a chat message.
json heard(WssClient& receiver, int seq, const std::string& text) {
    auto got = receiver.await("message", {"queued", "presence", "advisor_joined", "advisor_left",
                                          "handover", "offer_withdrawn"});
    INFO(got.dump());
    CHECK(got["seq"] == seq);
    CHECK(got["text"] == text);
    return got;
}

json error_of(WssClient& peer, const json& frame) {
    peer.send(frame);
    auto error = peer.await("error", {"queued", "presence"});
    if (frame.contains("id"))
        CHECK(error["ref"] == frame["id"]);
    return error;
}

} // namespace

TEST_CASE("every signed-in advisor sees the others across points, narrowed by language or point",
          "[integration][collaboration]") {
    TestServer server({aino, leila, carl, sanna});
    auto a = available_advisor(server, "aino", 3);
    auto l = available_advisor(server, "leila", 2);
    auto c = available_advisor(server, "carl", 1);
    c->send({{"type", "presence"}, {"id", "p-away"}, {"status", "away"}});
    CHECK(c->await("presence", {})["status"] == "away");
    auto s = signed_in(server, "sanna"); // a supervisor on the advisor page
    auto client = welcomed_client(server);
    start_conversation(*client, *a, "r-1", "ar", "091");

    auto everyone = ask_directory(*l)["advisors"];
    std::map<std::string, json> by_name;
    std::set<long long> ids;
    for (const auto& entry : everyone) {
        by_name[entry["name"]] = entry;
        ids.insert(entry["id"].get<long long>());
        CHECK(entry["connected"] == true);
    }
    CHECK(by_name.size() == 3);
    CHECK(ids.size() == 3);
    CHECK(by_name.count("Leila") == 0); // not oneself
    REQUIRE(by_name.count("Aino") == 1);
    REQUIRE(by_name.count("Carl") == 1);
    REQUIRE(by_name.count("Sanna") == 1);
    CHECK(by_name["Aino"]["point"] == "091-virka");
    CHECK(by_name["Aino"]["point_name"] == "Virka Info");
    CHECK(by_name["Aino"]["languages"] == json::array({"fi", "ar"}));
    CHECK(by_name["Aino"]["status"] == "available");
    CHECK(by_name["Aino"]["active"] == 1);
    CHECK(by_name["Aino"]["capacity"] == 3);
    CHECK(by_name["Carl"]["point"] == "205-monika");
    CHECK(by_name["Carl"]["point_name"] == "Monika / eNeuvokki");
    CHECK(by_name["Carl"]["languages"] == json::array({"fi", "so"}));
    CHECK(by_name["Carl"]["status"] == "away");
    CHECK(by_name["Carl"]["active"] == 0);
    CHECK(by_name["Carl"]["capacity"] == 1);
    CHECK(by_name["Sanna"]["point"] == "091-virka");
    // Ordered by point, then name: the two of Virka Info are together, Aino before Sanna.
    std::vector<std::string> order;
    for (const auto& entry : everyone)
        order.push_back(entry["name"]);
    auto aino_at = std::find(order.begin(), order.end(), "Aino") - order.begin();
    auto sanna_at = std::find(order.begin(), order.end(), "Sanna") - order.begin();
    CHECK(sanna_at == aino_at + 1);

    // The others see Leila at her point, with her own capacity.
    auto leila_seen = colleague_entry(*c, "Leila");
    CHECK(leila_seen["point"] == "837-mainio");
    CHECK(leila_seen["point_name"] == "Mainio");
    CHECK(leila_seen["languages"] == json::array({"fi", "ar", "fa"}));
    CHECK(leila_seen["capacity"] == 2);
    CHECK(leila_seen["active"] == 0);
    CHECK(colleague_entry(*s, "Aino")["id"] == by_name["Aino"]["id"]);

    auto names = [](const json& answer) {
        std::set<std::string> found;
        for (const auto& entry : answer["advisors"])
            found.insert(entry["name"]);
        return found;
    };
    CHECK(names(ask_directory(*a, {{"language", "so"}})) == std::set<std::string>{"Carl"});
    CHECK(names(ask_directory(*c, {{"language", "ar"}})) == std::set<std::string>{"Aino", "Leila"});
    CHECK(names(ask_directory(*a, {{"point", "837-mainio"}})) == std::set<std::string>{"Leila"});
    CHECK(names(ask_directory(*l, {{"point", "091-virka"}})) ==
          std::set<std::string>{"Aino", "Sanna"});
    CHECK(names(ask_directory(*a, {{"point", "091-virka"}, {"language", "fi"}})) ==
          std::set<std::string>{"Sanna"});
    CHECK(ask_directory(*a, {{"language", "th"}})["advisors"].empty());

    // Someone who signs out is gone from the directory, once the server has seen the close: it
    // comes on another connection, so a slow server (a sanitizer build) may answer Aino first.
    l->close();
    auto after_close = names(ask_directory(*a));
    for (int i = 0; i < 50 && after_close.count("Leila") == 1; ++i) {
        std::this_thread::sleep_for(100ms);
        after_close = names(ask_directory(*a));
    }
    CHECK(after_close == std::set<std::string>{"Carl", "Sanna"});

    // A client has no directory.
    auto error = error_of(*client, {{"type", "directory"}, {"id", "dir-x"}});
    CHECK(error["code"] == "not_allowed");
}

TEST_CASE("a consult between advisors never reaches the client, during, after or later",
          "[integration][collaboration]") {
    TestServer server({aino, leila, carl});
    auto a = available_advisor(server, "aino", 3);
    auto l = available_advisor(server, "leila", 2);
    auto c = available_advisor(server, "carl", 1);
    auto client = welcomed_client(server);
    auto conversation = start_conversation(*client, *a, "r-1", "ar", "049");
    say(*client, "c-1", conversation, "Minulla on kysymys.", 1);
    heard(*a, 1, "Minulla on kysymys.");
    const auto leila_id = colleague_id(*a, "Leila");
    const auto aino_id = colleague_id(*l, "Aino");
    const std::string canary = "CANARY-consult-4b1d-never-for-clients";

    // Attached to the conversation: the colleague learns its language and home, not its messages.
    a->send({{"type", "consult_open"},
             {"id", "q-1"},
             {"colleague", leila_id},
             {"about", conversation}});
    auto opened = a->await("consult_opened", updates);
    CHECK(opened["ref"] == "q-1");
    CHECK(opened["with"]["id"] == leila_id);
    CHECK(opened["with"]["name"] == "Leila");
    CHECK(opened["with"]["point"] == "837-mainio");
    CHECK(opened["with"]["point_name"] == "Mainio");
    CHECK(opened["about"]["conversation"] == conversation);
    CHECK(opened["about"]["language"] == "ar");
    CHECK(opened["about"]["home"] == "049");
    const std::string consult = opened["consult"];
    auto theirs = l->await("consult_opened", updates);
    CHECK(theirs["consult"] == consult);
    CHECK(theirs["with"]["id"] == aino_id);
    CHECK(theirs["with"]["name"] == "Aino");
    CHECK(theirs["with"]["point"] == "091-virka");
    CHECK(theirs["about"]["language"] == "ar");
    CHECK(theirs["about"]["home"] == "049");
    CHECK(theirs.dump().find("Minulla") == std::string::npos);

    a->send({{"type", "consult_message"}, {"id", "qm-1"}, {"consult", consult}, {"text", canary}});
    auto accepted = a->await("accepted", updates);
    CHECK(accepted["id"] == "qm-1");
    CHECK(accepted["consult"] == consult);
    CHECK_FALSE(accepted.contains("conversation"));
    CHECK(accepted["seq"] == 1);
    CHECK(accepted["duplicate"] == false);
    auto got = l->await("consult_message", updates);
    CHECK(got["consult"] == consult);
    CHECK(got["seq"] == 1);
    CHECK(got["id"] == "qm-1");
    CHECK(got["author"] == "Aino");
    CHECK(got["text"] == canary);
    CHECK(got["sent_at"].is_string());

    l->send({{"type", "consult_message"},
             {"id", "qm-1"}, // ids are per sender: Leila's own first message
             {"consult", consult},
             {"text", canary + " reply"}});
    accepted = l->await("accepted", updates);
    CHECK(accepted["seq"] == 2);
    CHECK(accepted["duplicate"] == false);
    got = a->await("consult_message", updates);
    CHECK(got["seq"] == 2);
    CHECK(got["author"] == "Leila");
    CHECK(got["text"] == canary + " reply");

    // A resend is shown once.
    a->send({{"type", "consult_message"}, {"id", "qm-1"}, {"consult", consult}, {"text", canary}});
    accepted = a->await("accepted", updates);
    CHECK(accepted["seq"] == 1);
    CHECK(accepted["duplicate"] == true);
    CHECK(of_type(drain(*l), "consult_message").empty());

    // A third advisor can neither write into nor close it.
    CHECK(error_of(*c, {{"type", "consult_message"},
                        {"id", "cm-1"},
                        {"consult", consult},
                        {"text", "let me in"}})["code"] == "not_in_consult");
    CHECK(error_of(*c, {{"type", "consult_close"}, {"id", "cc-1"}, {"consult", consult}})["code"] ==
          "not_in_consult");
    a->send({{"type", "consult_message"}, {"id", "qm-3"}, {"consult", consult}, {"text", "still"}});
    CHECK(a->await("accepted", updates)["seq"] == 3);
    CHECK(l->await("consult_message", updates)["text"] == "still");

    // Standalone, and the ones that are refused.
    a->send({{"type", "consult_open"}, {"id", "q-2"}, {"colleague", leila_id}});
    auto standalone = a->await("consult_opened", updates);
    CHECK(standalone["ref"] == "q-2");
    CHECK_FALSE(standalone.contains("about"));
    const std::string consult2 = standalone["consult"];
    CHECK(consult2 != consult);
    CHECK_FALSE(l->await("consult_opened", updates).contains("about"));
    l->send({{"type", "consult_message"}, {"id", "qm-2"}, {"consult", consult2}, {"text", canary}});
    CHECK(l->await("accepted", updates)["seq"] == 1);
    CHECK(a->await("consult_message", updates)["consult"] == consult2);
    CHECK(error_of(*a,
                   {{"type", "consult_open"}, {"id", "q-self"}, {"colleague", aino_id}})["code"] ==
          "invalid_field");
    CHECK(
        error_of(*a, {{"type", "consult_open"}, {"id", "q-none"}, {"colleague", 987654}})["code"] ==
        "unknown_colleague");
    CHECK(error_of(*client, {{"type", "consult_message"},
                             {"id", "x-1"},
                             {"consult", consult},
                             {"text", "hello?"}})["code"] == "not_allowed");

    // The conversation goes on, and the client has had nothing of the consults.
    const std::vector<std::string> secrets = {canary, consult, consult2, "consult"};
    say(*a, "a-1", conversation, "Hetki, selvitän.", 2);
    auto seen = drain(*client);
    REQUIRE(of_type(seen, "message").size() == 1);
    CHECK(of_type(seen, "message")[0]["seq"] == 2);
    check_none_mentions(seen, secrets);

    a->send({{"type", "consult_close"}, {"id", "qc-1"}, {"consult", consult}});
    auto closed = a->await("consult_closed", updates);
    CHECK(closed["consult"] == consult);
    CHECK(closed["reason"] == "closed");
    closed = l->await("consult_closed", updates);
    CHECK(closed["consult"] == consult);
    CHECK(closed["reason"] == "closed");
    CHECK(error_of(*l, {{"type", "consult_message"},
                        {"id", "qm-late"},
                        {"consult", consult},
                        {"text", "late"}})["code"] == "not_in_consult");
    check_none_mentions(drain(*client), secrets);

    // The client goes; whoever comes next gets nothing of it either.
    client->close();
    CHECK(a->await("conversation_ended", updates)["reason"] == "client_disconnected");
    WssClient next(server.port());
    next.send({{"type", "request"}, {"id", "r-1"}, {"language", "ar"}, {"home", "049"}});
    accept_next_offer(*a);
    auto next_frames = collect_until(next, {"welcome", "conversation_started"});
    auto next_conversation = of_type(next_frames, "conversation_started")[0]["conversation"];
    say(*a, "a-2", next_conversation, "Tervetuloa.", 1);
    auto more = drain(next);
    next_frames.insert(next_frames.end(), more.begin(), more.end());
    CHECK(of_type(next_frames, "message").size() == 1);
    check_none_mentions(next_frames, secrets);

    // Signing out closes the colleague's consults.
    a->send({{"type", "consult_open"}, {"id", "q-3"}, {"colleague", leila_id}});
    const std::string consult3 = a->await("consult_opened", updates)["consult"];
    l->await("consult_opened", updates);
    l->close();
    std::set<std::string> gone;
    for (int i = 0; i < 2; ++i) {
        auto notice = a->await("consult_closed", updates);
        CHECK(notice["reason"] == "colleague_left");
        gone.insert(notice["consult"].get<std::string>());
    }
    CHECK(gone == std::set<std::string>{consult2, consult3});
    CHECK(error_of(*a, {{"type", "consult_message"},
                        {"id", "qm-4"},
                        {"consult", consult3},
                        {"text", "hello?"}})["code"] == "not_in_consult");

    // Never recorded anywhere.
    REQUIRE(server.stop() == 0);
    for (const auto& suffix : {"", "-wal", "-shm"}) {
        auto path = server.database().string() + suffix;
        if (std::filesystem::exists(path))
            CHECK(file_bytes(path).find(canary) == std::string::npos);
    }
    CHECK(server.log().find(canary) == std::string::npos);
}

TEST_CASE("an invited colleague joins, writes, leaves, and takes the lead when the lead leaves",
          "[integration][collaboration]") {
    TestServer server({aino, leila, carl});
    auto a = available_advisor(server, "aino", 3);
    auto l = available_advisor(server, "leila", 2);
    auto c = available_advisor(server, "carl", 1);
    auto client = welcomed_client(server);
    auto conversation = start_conversation(*client, *a, "r-1", "ar", "049");
    say(*client, "c-1", conversation, "Kysymys oleskeluluvasta.", 1);
    heard(*a, 1, "Kysymys oleskeluluvasta.");
    const auto leila_id = colleague_id(*a, "Leila");
    const auto carl_id = colleague_id(*a, "Carl");
    const auto aino_id = colleague_id(*l, "Aino");
    const std::string note = "Osaatko Migrin oleskelulupa-asiat?";

    a->send({{"type", "invite"},
             {"id", "i-1"},
             {"conversation", conversation},
             {"colleague", leila_id},
             {"note", note}});
    auto pending = a->await("handover", updates);
    CHECK(pending["conversation"] == conversation);
    CHECK(pending["ref"] == "i-1");
    CHECK(pending["kind"] == "invitation");
    CHECK(pending["status"] == "pending");
    CHECK(pending["colleague"]["id"] == leila_id);
    CHECK(pending["colleague"]["name"] == "Leila");
    auto offer = l->await("offer", updates);
    CHECK(offer["conversation"] == conversation);
    CHECK(offer["kind"] == "invitation");
    CHECK(offer["language"] == "ar");
    CHECK(offer["home"] == "049");
    CHECK(offer["from"]["id"] == aino_id);
    CHECK(offer["from"]["name"] == "Aino");
    CHECK(offer["from"]["point"] == "091-virka");
    CHECK(offer["note"] == note);

    // One pending handover at a time.
    CHECK(error_of(*a, {{"type", "invite"},
                        {"id", "i-2"},
                        {"conversation", conversation},
                        {"colleague", carl_id}})["code"] == "handover_pending");

    l->send({{"type", "accept"}, {"id", "acc-1"}, {"conversation", conversation}});
    auto joined = l->await("conversation_started", updates);
    CHECK(joined["conversation"] == conversation);
    CHECK(joined["joined_as"] == "invited");
    CHECK(joined["note"] == note);
    CHECK(joined["from"]["name"] == "Aino");
    CHECK(joined["advisor"]["name"] == "Leila");
    REQUIRE(joined["participants"].is_array());
    CHECK(joined["participants"].dump().find("Aino") != std::string::npos);
    CHECK(joined.dump().find("Kysymys") == std::string::npos); // nothing from before the join
    auto aino_frames = collect_until(*a, {"handover", "advisor_joined"});
    auto done = of_type(aino_frames, "handover")[0];
    CHECK(done["kind"] == "invitation");
    CHECK(done["status"] == "accepted");
    CHECK(of_type(aino_frames, "advisor_joined")[0]["seq"] == 2);
    auto notice = client->await("advisor_joined", updates);
    CHECK(notice["conversation"] == conversation);
    CHECK(notice["seq"] == 2);
    CHECK(notice["role"] == "invited");
    CHECK(notice["via"] == "invitation");
    CHECK(notice["advisor"]["name"] == "Leila");
    CHECK(notice["advisor"]["point"] == "837-mainio");
    CHECK(notice["advisor"]["point_name"] == "Mainio");
    CHECK(notice["advisor"]["languages"] == json::array({"fi", "ar", "fa"}));
    CHECK_FALSE(client->try_receive(200ms)); // the note is not for the client
    // An invitation does not use the invited advisor's capacity.
    CHECK(colleague_entry(*a, "Leila")["active"] == 0);

    // Everyone hears everyone, in one numbering.
    say(*l, "l-1", conversation, "Hei, olen Leila.", 3);
    auto from_leila = heard(*client, 3, "Hei, olen Leila.");
    CHECK(from_leila["from"] == "advisor");
    CHECK(from_leila["author"] == "Leila");
    CHECK(heard(*a, 3, "Hei, olen Leila.")["author"] == "Leila");
    say(*a, "a-1", conversation, "Leila tuntee asian.", 4);
    CHECK(heard(*client, 4, "Leila tuntee asian.")["author"] == "Aino");
    auto from_aino = heard(*l, 4, "Leila tuntee asian.");
    CHECK(from_aino["from"] == "advisor");
    CHECK(from_aino["author"] == "Aino");
    say(*client, "c-2", conversation, "Kiitos.", 5);
    auto to_aino = heard(*a, 5, "Kiitos.");
    CHECK(to_aino["from"] == "client");
    CHECK_FALSE(to_aino.contains("author"));
    CHECK(heard(*l, 5, "Kiitos.")["from"] == "client");

    // What is refused.
    CHECK(error_of(*a, {{"type", "invite"},
                        {"id", "i-3"},
                        {"conversation", conversation},
                        {"colleague", leila_id}})["code"] == "already_in_conversation");
    CHECK(error_of(*l, {{"type", "invite"},
                        {"id", "i-4"},
                        {"conversation", conversation},
                        {"colleague", aino_id}})["code"] == "already_in_conversation");
    CHECK(error_of(*a, {{"type", "invite"},
                        {"id", "i-5"},
                        {"conversation", conversation},
                        {"colleague", 987654}})["code"] == "unknown_colleague");
    CHECK(error_of(*l, {{"type", "transfer"},
                        {"id", "t-1"},
                        {"conversation", conversation},
                        {"colleague", carl_id}})["code"] == "not_lead");
    CHECK(error_of(*l, {{"type", "transfer"},
                        {"id", "t-2"},
                        {"conversation", conversation},
                        {"language", "fa"}})["code"] == "not_lead");

    // An invited advisor may invite too; a declined invitation changes nothing for the client.
    l->send({{"type", "invite"},
             {"id", "i-6"},
             {"conversation", conversation},
             {"colleague", carl_id}});
    CHECK(l->await("handover", updates)["status"] == "pending");
    auto carl_offer = c->await("offer", updates);
    CHECK(carl_offer["kind"] == "invitation");
    CHECK(carl_offer["from"]["name"] == "Leila");
    c->send({{"type", "decline"}, {"id", "dec-1"}, {"conversation", conversation}});
    CHECK(c->await("offer_withdrawn", updates)["reason"] == "declined");
    auto declined = l->await("handover", updates);
    CHECK(declined["kind"] == "invitation");
    CHECK(declined["status"] == "declined");
    CHECK(declined["colleague"]["name"] == "Carl");
    CHECK(of_type(drain(*client), "advisor_joined").empty());

    // The invited advisor leaves; the conversation goes on without her.
    l->send({{"type", "leave"}, {"id", "lv-1"}, {"conversation", conversation}});
    auto left = l->await("conversation_left", updates);
    CHECK(left["conversation"] == conversation);
    CHECK(left["reason"] == "left");
    for (auto* peer : {client.get(), a.get()}) {
        auto gone = peer->await("advisor_left", updates);
        CHECK(gone["seq"] == 6);
        CHECK(gone["reason"] == "left");
        CHECK(gone["advisor"]["name"] == "Leila");
    }
    say(*client, "c-3", conversation, "Jatketaan.", 7);
    heard(*a, 7, "Jatketaan.");
    CHECK(of_type(drain(*l), "message").empty());
    CHECK(error_of(*l, message("l-2", conversation, "hello again"))["code"] ==
          "not_in_conversation");

    // Invited again; then the lead leaves and she takes over.
    a->send({{"type", "invite"},
             {"id", "i-7"},
             {"conversation", conversation},
             {"colleague", leila_id}});
    l->await("offer", updates);
    l->send({{"type", "accept"}, {"id", "acc-2"}, {"conversation", conversation}});
    CHECK(l->await("conversation_started", updates)["joined_as"] == "invited");
    CHECK(client->await("advisor_joined", updates)["seq"] == 8);
    CHECK(a->await("advisor_joined", {"queued", "presence", "handover"})["seq"] == 8);
    a->send({{"type", "leave"}, {"id", "lv-2"}, {"conversation", conversation}});
    CHECK(a->await("conversation_left", {"queued", "presence", "handover"})["reason"] == "left");
    for (auto* peer : {client.get(), l.get()}) {
        auto frames = collect_until(*peer, {"advisor_left", "advisor_joined"});
        auto gone = of_type(frames, "advisor_left")[0];
        auto lead = of_type(frames, "advisor_joined")[0];
        INFO(gone.dump() << "\n" << lead.dump());
        CHECK(gone["reason"] == "left");
        CHECK(gone["advisor"]["name"] == "Aino");
        CHECK(lead["role"] == "lead");
        CHECK(lead["via"] == "reassignment");
        CHECK(lead["advisor"]["name"] == "Leila");
        CHECK(std::set<int>{gone["seq"].get<int>(), lead["seq"].get<int>()} ==
              std::set<int>{9, 10});
    }
    say(*l, "l-3", conversation, "Jatkan tästä.", 11);
    heard(*client, 11, "Jatkan tästä.");
    CHECK(of_type(drain(*a), "message").empty());

    // The only advisor left cannot leave; she ends it.
    CHECK(
        error_of(*l, {{"type", "leave"}, {"id", "lv-3"}, {"conversation", conversation}})["code"] ==
        "only_advisor");
    l->send({{"type", "end"}, {"id", "e-1"}, {"conversation", conversation}});
    auto ended = client->await("conversation_ended", updates);
    CHECK(ended["seq"] == 12);
    CHECK(ended["reason"] == "advisor");
    CHECK(l->await("conversation_ended", updates)["seq"] == 12);
    CHECK(of_type(drain(*a), "conversation_ended").empty());

    // The register counts the colleagues invited in; nothing was transferred.
    REQUIRE(server.stop() == 0);
    neuvo::store::Database database(server.database().string());
    auto rows = database.visits();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0]["outcome"] == "served");
    CHECK(rows[0]["transfers"] == "0");
    CHECK(rows[0]["transfer_from_point_id"] == "");
    CHECK(std::stoi(rows[0]["invited_advisors"]) >= 1);
}

TEST_CASE("a transfer to a named colleague: the client is told, the note is not",
          "[integration][collaboration]") {
    TestServer server({aino, leila});
    auto a = available_advisor(server, "aino", 3);
    auto l = available_advisor(server, "leila", 2);
    auto client = welcomed_client(server);
    auto conversation = start_conversation(*client, *a, "r-1", "ar", "049");
    say(*client, "c-1", conversation, "Haluan jatkaa persiaksi.", 1);
    heard(*a, 1, "Haluan jatkaa persiaksi.");
    const auto leila_id = colleague_id(*a, "Leila");
    const std::string note = "NOTE-77e2 asiakas haluaa jatkaa persiaksi";

    a->send({{"type", "transfer"},
             {"id", "t-1"},
             {"conversation", conversation},
             {"colleague", leila_id},
             {"note", note}});
    auto pending = a->await("handover", updates);
    CHECK(pending["ref"] == "t-1");
    CHECK(pending["kind"] == "transfer");
    CHECK(pending["status"] == "pending");
    CHECK(pending["colleague"]["name"] == "Leila");
    auto offer = l->await("offer", updates);
    CHECK(offer["kind"] == "transfer");
    CHECK(offer["conversation"] == conversation);
    CHECK(offer["language"] == "ar");
    CHECK(offer["home"] == "049");
    CHECK(offer["tier"].is_string());
    CHECK(offer["expires_at"].is_string());
    CHECK(offer["from"]["name"] == "Aino");
    CHECK(offer["from"]["point_name"] == "Virka Info");
    CHECK(offer["note"] == note);

    l->send({{"type", "accept"}, {"id", "acc-1"}, {"conversation", conversation}});
    auto joined = l->await("conversation_started", updates);
    CHECK(joined["conversation"] == conversation);
    CHECK(joined["joined_as"] == "lead");
    CHECK(joined["note"] == note);
    CHECK(joined["from"]["name"] == "Aino");
    // Aino leaves as Leila joins: either she is not listed, or Leila sees her leave at once.
    REQUIRE(joined["participants"].is_array());
    if (!joined["participants"].empty()) {
        CHECK(joined["participants"].size() == 1);
        CHECK(joined["participants"][0]["name"] == "Aino");
        auto gone = l->await("advisor_left", updates);
        CHECK(gone["reason"] == "transferred");
        CHECK(gone["advisor"]["name"] == "Aino");
    }
    auto aino_frames = collect_until(*a, {"handover", "conversation_left"});
    CHECK(of_type(aino_frames, "handover")[0]["status"] == "accepted");
    CHECK(of_type(aino_frames, "conversation_left")[0]["reason"] == "transferred");
    CHECK(of_type(aino_frames, "conversation_left")[0]["conversation"] == conversation);

    std::vector<json> client_frames;
    auto arrived = client->await("advisor_joined", updates);
    client_frames.push_back(arrived);
    CHECK(arrived["seq"] == 2);
    CHECK(arrived["role"] == "lead");
    CHECK(arrived["via"] == "transfer");
    CHECK(arrived["advisor"]["name"] == "Leila");
    auto departed = client->await("advisor_left", updates);
    client_frames.push_back(departed);
    CHECK(departed["seq"] == 3);
    CHECK(departed["reason"] == "transferred");
    CHECK(departed["advisor"]["name"] == "Aino");

    say(*client, "c-2", conversation, "Kiitos.", 4);
    CHECK(heard(*l, 4, "Kiitos.")["from"] == "client");
    say(*l, "l-1", conversation, "Salam!", 5);
    client_frames.push_back(heard(*client, 5, "Salam!"));
    CHECK(client_frames.back()["author"] == "Leila");
    CHECK(of_type(drain(*a), "message").empty());
    CHECK(error_of(*a, message("a-1", conversation, "still here?"))["code"] ==
          "not_in_conversation");
    auto rest = drain(*client);
    client_frames.insert(client_frames.end(), rest.begin(), rest.end());
    check_none_mentions(client_frames, {note, "NOTE-77e2", "\"note\""});

    client->send({{"type", "end"}, {"id", "e-1"}, {"conversation", conversation}});
    CHECK(client->await("conversation_ended", updates)["seq"] == 6);
    CHECK(l->await("conversation_ended", updates)["reason"] == "client");

    // The register keeps that it was transferred, and from which point to which.
    REQUIRE(server.stop() == 0);
    neuvo::store::Database database(server.database().string());
    auto rows = database.visits();
    REQUIRE(rows.size() == 1);
    INFO([&] {
        std::string all;
        for (const auto& [column, value] : rows[0])
            all += column + "=" + value + " ";
        return all;
    }());
    CHECK(rows[0]["outcome"] == "served");
    CHECK(rows[0]["language"] == "ar");
    CHECK(rows[0]["home_municipality"] == "049");
    CHECK(rows[0]["transfers"] == "1");
    CHECK(rows[0]["transfer_from_point_id"] == "091-virka");
    CHECK(rows[0]["transfer_to_point_id"] == "837-mainio");
    for (const auto& [column, value] : rows[0])
        CHECK(value.find("NOTE-77e2") == std::string::npos);
}

TEST_CASE("a declined or unanswered transfer leaves the conversation with its sender",
          "[integration][collaboration]") {
    TestServer server({aino, leila}, [](json& config) {
        config["routing"]["offer_timeout_seconds"] = 1;
        config["routing"]["handover_timeout_seconds"] = 1;
        config["routing"]["max_missed_offers"] = 5;
    });
    auto a = available_advisor(server, "aino", 3);
    auto l = available_advisor(server, "leila", 2);
    auto client = welcomed_client(server);
    auto conversation = start_conversation(*client, *a, "r-1", "ar", "049");
    const auto leila_id = colleague_id(*a, "Leila");
    const json transfer = {{"type", "transfer"},
                           {"id", "t-1"},
                           {"conversation", conversation},
                           {"colleague", leila_id}};

    a->send(transfer);
    CHECK(a->await("handover", updates)["status"] == "pending");
    CHECK(l->await("offer", updates)["kind"] == "transfer");
    l->send({{"type", "decline"}, {"id", "d-1"}, {"conversation", conversation}});
    CHECK(l->await("offer_withdrawn", updates)["reason"] == "declined");
    auto declined = a->await("handover", updates);
    CHECK(declined["kind"] == "transfer");
    CHECK(declined["status"] == "declined");
    say(*client, "c-1", conversation, "Oletko vielä siellä?", 1);
    heard(*a, 1, "Oletko vielä siellä?");
    say(*a, "a-1", conversation, "Olen.", 2);
    heard(*client, 2, "Olen.");

    auto again = transfer;
    again["id"] = "t-2";
    a->send(again);
    CHECK(a->await("handover", updates)["status"] == "pending");
    CHECK(l->await("offer", updates)["kind"] == "transfer");
    CHECK(l->await("offer_withdrawn", updates, 4s)["reason"] == "timeout");
    auto timed_out = a->await("handover", updates, 4s);
    CHECK(timed_out["kind"] == "transfer");
    CHECK(timed_out["status"] == "timeout");
    say(*a, "a-2", conversation, "Jatketaan yhdessä.", 3);
    heard(*client, 3, "Jatketaan yhdessä.");
    auto seen = drain(*client);
    CHECK(of_type(seen, "advisor_joined").empty());
    CHECK(of_type(seen, "advisor_left").empty());

    // None of the collaboration messages is a client's to send.
    for (const auto& type : {"directory", "consult_open", "consult_message", "consult_close",
                             "invite", "transfer", "leave"}) {
        INFO(type);
        auto error = error_of(*client, {{"type", type},
                                        {"id", std::string("x-") + type},
                                        {"conversation", conversation},
                                        {"colleague", leila_id},
                                        {"consult", "q-1"},
                                        {"text", "hi"}});
        CHECK(error["code"] == "not_allowed");
    }
}

TEST_CASE("a transfer still pending when its sender signs out, then declined, queues the client",
          "[integration][collaboration]") {
    TestServer server({aino, leila});
    auto a = available_advisor(server, "aino", 1);
    auto l = signed_in(server, "leila"); // away: takes no waiting client, may still be asked
    auto client = welcomed_client(server);
    auto conversation = start_conversation(*client, *a, "r-1", "ar", "049");
    // Someone else waits for Arabic meanwhile: nobody is free for them.
    auto behind = welcomed_client(server);
    behind->send({{"type", "request"}, {"id", "r-2"}, {"language", "ar"}, {"home", "091"}});
    CHECK(behind->await("queued", {})["position"] == 1);

    a->send({{"type", "transfer"},
             {"id", "t-1"},
             {"conversation", conversation},
             {"colleague", colleague_id(*a, "Leila")}});
    CHECK(a->await("handover", updates)["status"] == "pending");
    CHECK(l->await("offer", updates)["kind"] == "transfer");
    a->close();
    // The offer stands: the colleague still decides.
    CHECK(of_type(drain(*l), "offer_withdrawn").empty());
    l->send({{"type", "decline"}, {"id", "d-1"}, {"conversation", conversation}});
    auto queued = client->await(
        "queued", {"presence", "advisor_left", "advisor_connection", "conversation_ended"}, 3s);
    CHECK(queued["request"] == "r-1");
    CHECK(queued["language"] == "ar");
    CHECK(queued["position"] == 1); // ahead of the one who was already waiting
    json moved;
    do
        moved = behind->await("queued", {"alternatives"});
    while (moved["position"] == 1);
    CHECK(moved["request"] == "r-2");
    CHECK(moved["position"] == 2);
}

TEST_CASE("a transfer to a language's queue is served by an advisor of that language",
          "[integration][collaboration]") {
    TestServer server({aino, farid});
    auto a = available_advisor(server, "aino", 3);
    auto f = signed_in(server, "farid"); // away until the client is queued
    auto client = welcomed_client(server);
    auto conversation = start_conversation(*client, *a, "r-1", "ar", "049");
    say(*client, "c-1", conversation, "Haluan puhua persiaa.", 1);
    heard(*a, 1, "Haluan puhua persiaa.");

    a->send(
        {{"type", "transfer"}, {"id", "t-1"}, {"conversation", conversation}, {"language", "fa"}});
    auto aino_frames = collect_until(*a, {"handover", "conversation_left"});
    auto handed = of_type(aino_frames, "handover")[0];
    CHECK(handed["kind"] == "transfer");
    CHECK(handed["status"] == "queued");
    CHECK(handed["language"] == "fa");
    CHECK(of_type(aino_frames, "conversation_left")[0]["reason"] == "transferred");

    auto queued = client->await("queued", {"presence", "advisor_left"});
    CHECK(queued["request"] == "r-1");
    CHECK(queued["language"] == "fa");
    CHECK(queued["position"] == 1);
    client->send(message("c-2", conversation, "Onko joku siellä?"));
    auto refused = client->await("error", {"queued", "alternatives", "advisor_left"});
    CHECK(refused["code"] == "advisor_unavailable");
    CHECK(refused["ref"] == "c-2");

    f->send({{"type", "presence"}, {"id", "p-1"}, {"status", "available"}});
    auto offer = f->await("offer", updates);
    CHECK(offer["kind"] == "request");
    CHECK(offer["transferred"] == true);
    CHECK(offer["language"] == "fa");
    CHECK(offer["home"] == "049");
    CHECK(offer["conversation"] == conversation);
    f->send({{"type", "accept"}, {"id", "acc-1"}, {"conversation", offer["conversation"]}});
    auto started = f->await("conversation_started", updates);
    CHECK(started["conversation"] == conversation);
    CHECK(started["language"] == "fa");
    if (started.contains("joined_as"))
        CHECK(started["joined_as"] == "lead");
    auto client_frames = collect_until(*client, {"advisor_joined"}, 5s);
    auto joined = of_type(client_frames, "advisor_joined")[0];
    CHECK(joined["role"] == "lead");
    CHECK(joined["advisor"]["name"] == "Farid");

    client->send(message("c-2", conversation, "Onko joku siellä?"));
    auto accepted = client->await("accepted", updates);
    CHECK(accepted["duplicate"] == false);
    CHECK(f->await("message", updates)["text"] == "Onko joku siellä?");
    f->send(message("f-1", conversation, "Salam, man Farid hastam."));
    f->await("accepted", updates);
    auto reply = client->await("message", updates);
    CHECK(reply["author"] == "Farid");
    CHECK(reply["seq"].get<int>() > accepted["seq"].get<int>());
    CHECK(of_type(drain(*a), "message").empty());
    client->send({{"type", "end"}, {"id", "e-1"}, {"conversation", conversation}});
    CHECK(f->await("conversation_ended", updates)["reason"] == "client");

    REQUIRE(server.stop() == 0);
    neuvo::store::Database database(server.database().string());
    auto rows = database.visits();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0]["outcome"] == "served");
    CHECK(rows[0]["transfers"] == "1");
    CHECK(rows[0]["transfer_from_point_id"] == "091-virka");
    CHECK(rows[0]["transfer_to_point_id"] == "853-infotori");
}

TEST_CASE("an invitation is withdrawn when the conversation ends or either advisor signs out",
          "[integration][collaboration]") {
    TestServer server({aino, leila, carl});
    auto a = available_advisor(server, "aino", 3);
    auto l = available_advisor(server, "leila", 2);
    auto c = available_advisor(server, "carl", 1);
    const auto leila_id = colleague_id(*a, "Leila");
    const auto carl_id = colleague_id(*a, "Carl");
    auto invite = [&](const std::string& conversation, long long colleague, const std::string& id) {
        a->send({{"type", "invite"},
                 {"id", id},
                 {"conversation", conversation},
                 {"colleague", colleague}});
        CHECK(a->await("handover", updates)["status"] == "pending");
    };

    // The client ends the conversation before the colleague answers.
    auto first = welcomed_client(server);
    auto conversation = start_conversation(*first, *a, "r-1", "ar", "091");
    invite(conversation, leila_id, "i-1");
    CHECK(l->await("offer", updates)["kind"] == "invitation");
    first->send({{"type", "end"}, {"id", "e-1"}, {"conversation", conversation}});
    first->await("conversation_ended", updates);
    auto withdrawn = l->await("offer_withdrawn", updates);
    CHECK(withdrawn["conversation"] == conversation);
    CHECK(withdrawn["reason"] == "conversation_ended");
    auto aino_frames = collect_until(*a, {"conversation_ended", "handover"});
    CHECK(of_type(aino_frames, "handover")[0]["status"] == "withdrawn");
    l->send({{"type", "accept"}, {"id", "acc-1"}, {"conversation", conversation}});
    CHECK(l->await("error", updates)["code"] == "no_such_offer");

    // The invited colleague signs out before answering.
    auto second = welcomed_client(server);
    conversation = start_conversation(*second, *a, "r-1", "ar", "091");
    invite(conversation, carl_id, "i-2");
    CHECK(c->await("offer", updates)["kind"] == "invitation");
    c->close();
    auto gone = a->await("handover", updates);
    CHECK(gone["status"] == "withdrawn");
    CHECK(gone["colleague"]["name"] == "Carl");
    CHECK(of_type(drain(*second), "advisor_joined").empty());

    // The inviting advisor signs out before the answer: nothing is left to join.
    invite(conversation, leila_id, "i-3");
    CHECK(l->await("offer", updates)["kind"] == "invitation");
    a->close();
    CHECK(l->await("offer_withdrawn", updates)["reason"] == "conversation_ended");
    CHECK(second->await("conversation_ended", updates)["reason"] == "advisor_disconnected");
}
