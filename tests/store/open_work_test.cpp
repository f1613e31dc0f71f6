// Open work in a real SQLite file: kept rows read back exactly after the file is reopened, the
// content of an ended conversation gone from every byte on disk, and rows this program cannot
// read refused by name rather than guessed at.

#include "test_database.hpp"

#include "neuvo/store/database.hpp"

#include <catch2/catch.hpp>

using namespace neuvo;
using namespace neuvo::store;
using namespace neuvo::store::testing;
using namespace std::chrono_literals;

namespace {

const core::TimePoint noon{std::chrono::sys_days{std::chrono::year{2026} / 12 / 1} + 12h};

core::OpenClient talking_client() {
    core::OpenClient client;
    client.resume_token = std::string(64, 'a');
    client.requester = core::Requester{"language-support", "Kela, Itäkeskus", "091"};
    client.also_speaks = {"en", "fr"};
    client.conversation = "x7-1";
    core::OpenConversation talk;
    talk.id = "x7-1";
    talk.request_id = "r-1";
    talk.language = "ar";
    talk.home = "091";
    talk.tier = core::Tier::partner;
    talk.requested_at = noon;
    talk.started_at = noon + 95s;
    talk.channel = "language-support";
    talk.organisation = "Kela, Itäkeskus";
    talk.seats = {{7, true}, {9, false}};
    talk.transfers = 1;
    talk.transfer_from_point = "049-inespoo";
    talk.transfer_to_point = "091-virka";
    talk.invited_advisors = 1;
    talk.last_lead_point = "091-virka";
    client.talk = talk;
    // Waiting again after a transfer to a queue, with who sent it and the note.
    client.waiting = core::OpenRequest{"r-1",
                                       "ar",
                                       "091",
                                       noon + 10min,
                                       "x7-1",
                                       core::ColleagueRef{7, "Aino", "091-virka", "Virka Info"},
                                       "asks about Kela"};
    return client;
}

core::ChatMessage message(std::uint64_t seq, std::string text) {
    return core::ChatMessage{"x7-1",
                             seq,
                             "m-" + std::to_string(seq),
                             core::Role::advisor,
                             "Aino",
                             std::move(text),
                             noon + std::chrono::seconds(seq)};
}

} // namespace

TEST_CASE("open work reads back exactly after the file is reopened", "[store][open-work]") {
    ScratchDirectory scratch;
    const core::AdvisorBadge badge{"Veera", "092-vantaa", "Vantaa", {"fi", "so"}};
    {
        Database database(scratch.database_path());
        database.add_advisor(sample_advisor("aino"));
        const auto aino = database.find_advisor("aino");
        REQUIRE(aino);
        database.keep_open_client(talking_client());
        core::OpenClient waiting;
        waiting.resume_token = std::string(64, 'b');
        waiting.waiting = core::OpenRequest{"r-9", "so", "unknown", noon, "", std::nullopt, ""};
        database.keep_open_client(waiting);
        database.keep_open_event({"x7-1", 1, aino->id, message(1, "مرحبا، كيف أساعدك؟")});
        database.keep_open_event(
            {"x7-1", 2, 0, core::AdvisorJoined{"x7-1", 2, "invited", "invitation", badge}});
        database.keep_open_event({"x7-1", 3, 0, core::AdvisorLeft{"x7-1", 3, "left", badge}});
        database.keep_open_event({"x7-1", 4, 0, core::CustomerJoined{"x7-1", 4}});
        database.keep_open_event({"x7-1", 5, 0, core::CustomerLeft{"x7-1", 5}});
        database.keep_open_advisor({aino->id, core::Presence::available, 4, true});
    }
    Database reopened(scratch.database_path());
    const OpenWorkRows rows = reopened.open_work();
    REQUIRE(rows.clients.size() == 2);
    CHECK(rows.clients[0] == talking_client());
    CHECK(rows.clients[1].waiting->id == "r-9");
    CHECK_FALSE(rows.clients[1].talk);

    REQUIRE(rows.events.size() == 5);
    const auto& first = std::get<core::ChatMessage>(rows.events[0].event);
    CHECK(first.text == "مرحبا، كيف أساعدك؟");
    CHECK(first.author == "Aino");
    CHECK(first.from == core::Role::advisor);
    CHECK(first.sent_at == noon + 1s);
    CHECK(first.seq == 1);
    CHECK(rows.events[0].sender != 0);
    const auto& joined = std::get<core::AdvisorJoined>(rows.events[1].event);
    CHECK(joined.advisor.languages == std::vector<std::string>{"fi", "so"});
    CHECK(joined.via == "invitation");
    CHECK(std::get<core::AdvisorLeft>(rows.events[2].event).reason == "left");
    CHECK(std::holds_alternative<core::CustomerJoined>(rows.events[3].event));
    CHECK(std::get<core::CustomerLeft>(rows.events[4].event).seq == 5);

    REQUIRE(rows.advisors.size() == 1);
    CHECK(rows.advisors[0].status == core::Presence::available);
    CHECK(rows.advisors[0].capacity == 4);
    CHECK(rows.advisors[0].follow_schedule);
}

TEST_CASE("keeping again replaces, forgetting removes, and only that", "[store][open-work]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    core::OpenClient client = talking_client();
    database.keep_open_client(client);
    client.waiting.reset();
    database.keep_open_client(client);
    core::OpenClient other = talking_client();
    other.resume_token = std::string(64, 'c');
    database.keep_open_client(other);

    OpenWorkRows rows = database.open_work();
    REQUIRE(rows.clients.size() == 2);
    CHECK_FALSE(rows.clients[0].waiting);

    database.forget_open_client(client.resume_token);
    rows = database.open_work();
    REQUIRE(rows.clients.size() == 1);
    CHECK(rows.clients[0].resume_token == other.resume_token);
}

TEST_CASE("an ended conversation's messages are gone from every byte of the database",
          "[store][open-work]") {
    ScratchDirectory scratch;
    const std::string secret = "Oleskelulupani numero on 4711-UNIQUE-MARKER";
    Database database(scratch.database_path());
    database.keep_open_event({"x7-1", 1, 0, message(1, secret)});
    database.keep_open_event({"x7-2", 1, 0, message(1, "another conversation, still open")});
    REQUIRE(database_bytes(scratch.database_path()).find(secret) != std::string::npos);

    database.forget_open_conversation("x7-1");
    database.wipe_forgotten_content();
    CHECK(database_bytes(scratch.database_path()).find(secret) == std::string::npos);
    // The other conversation is untouched.
    const OpenWorkRows rows = database.open_work();
    REQUIRE(rows.events.size() == 1);
    CHECK(rows.events[0].conversation == "x7-2");
}

TEST_CASE("an event a conversation does not keep is refused and nothing is written",
          "[store][open-work]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    CHECK_THROWS_AS(
        database.keep_open_event({"x7-1", 1, 0, core::ConversationEnded{"x7-1", 1, "client"}}),
        StoreError);
    CHECK(database.open_work().events.empty());
}

TEST_CASE("a kept row this program cannot read is refused by name, not guessed at",
          "[store][open-work]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    RawConnection raw(scratch.database_path());
    // Not JSON at all: the schema refuses it.
    CHECK_THROWS(raw.execute("INSERT INTO open_clients VALUES ('t1', 'not json')"));
    // JSON of a format from a newer program.
    raw.execute("INSERT INTO open_clients VALUES ('t2', '{\"v\": 99}')");
    try {
        database.open_work();
        FAIL("a row of an unknown format was read");
    } catch (const StoreError& error) {
        CHECK(std::string(error.what()).find("format") != std::string::npos);
    }
}

TEST_CASE("a row waiting for its wrap-up reads back, and goes when the row is written",
          "[store][open-work]") {
    ScratchDirectory scratch;
    core::VisitRecord record;
    record.outcome = "served";
    record.point_id = "091-virka";
    record.advisor_point_id = "091-virka";
    record.channel = "chat";
    record.language = "ar";
    record.home_municipality = "091";
    record.tier = "own-point";
    record.started_hour = noon;
    record.wait_seconds = 95;
    record.duration_seconds = 600;
    record.ended_by = "client";
    record.transfers = 1;
    record.transfer_from_point_id = "049-inespoo";
    record.transfer_to_point_id = "091-virka";
    record.rating = 4;
    record.conversation = "x7-1";
    {
        Database database(scratch.database_path());
        database.keep_open_visit({record, 7, noon + 25min});
    }
    Database database(scratch.database_path());
    OpenWorkRows rows = database.open_work();
    REQUIRE(rows.visits.size() == 1);
    const core::OpenVisit& kept = rows.visits[0];
    CHECK(kept.advisor == 7);
    CHECK(kept.due == noon + 25min);
    CHECK(kept.record.conversation == "x7-1");
    CHECK(kept.record.wait_seconds == 95);
    CHECK(kept.record.transfer_from_point_id == "049-inespoo");
    CHECK(kept.record.rating == 4);
    CHECK(kept.record.wrapup_state == "missing");

    // Writing the conversation's row takes the kept copy with it, in the same step.
    record.wrapup_state = "saved";
    database.insert_visit(record);
    CHECK(database.open_work().visits.empty());
    CHECK(database.visits().size() == 1);
}
