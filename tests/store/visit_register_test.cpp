#include "register_allowlist.hpp"
#include "test_database.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

using namespace neuvo;
using namespace neuvo::store;
using namespace neuvo::store::testing;
using namespace std::chrono_literals;

namespace {

core::VisitRecord served_visit() {
    core::VisitRecord record;
    record.outcome = "served";
    record.point_id = "049-inespoo";
    record.advisor_point_id = "091-virka";
    record.channel = "chat";
    record.language = "ru";
    record.home_municipality = "092";
    record.tier = "region";
    // 14:37:12.5 must be stored as 14:00: the register holds no exact times.
    record.started_hour =
        std::chrono::sys_days{std::chrono::year{2026} / 11 / 25} + 14h + 37min + 12s + 500ms;
    record.wait_seconds = 95;
    record.duration_seconds = 1260;
    record.ended_by = "advisor";
    return record;
}

} // namespace

TEST_CASE("the register's columns are exactly the allowed ones", "[store][visits]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());

    const std::vector<std::string> allowed = neuvo::testing::allowed_visit_columns();
    CHECK(RawConnection(scratch.database_path())
              .column("SELECT name FROM pragma_table_info('visits')") == allowed);

    database.insert_visit(served_visit());
    const auto rows = database.visits();
    REQUIRE(rows.size() == 1);
    std::vector<std::string> keys;
    for (const auto& [column, value] : rows[0]) {
        keys.push_back(column);
    }
    std::vector<std::string> sorted_allowed = neuvo::testing::allowed_visit_row_keys();
    std::sort(sorted_allowed.begin(), sorted_allowed.end());
    CHECK(keys == sorted_allowed);
}

TEST_CASE("the file holds only the known tables, each with its allowed columns",
          "[store][visits]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    RawConnection raw(scratch.database_path());

    // A new table, or a new column anywhere, is a privacy decision too: add it here on purpose.
    const std::map<std::string, std::vector<std::string>> allowed = {
        {"advisors",
         {"id", "login", "display_name", "point_id", "languages", "role", "password_hash",
          "disabled", "created_at", "organisation", "national"}},
        // Open work, kept only while open (open_work_test.cpp): the events hold message text
        // until their conversation ends.
        {"open_advisors", {"advisor_id", "status", "capacity", "follow_schedule"}},
        {"open_clients", {"token_digest", "body"}},
        {"open_events", {"conversation", "seq", "sender", "body"}},
        {"open_visits", {"conversation", "advisor_id", "due_at_ms", "body"}},
        {"sessions", {"token_hash", "advisor_id", "created_at", "expires_at", "last_used_at"}},
        {"shared_answers", {"id", "language", "title", "body", "url", "updated_at", "updated_by"}},
        {"visit_referrals", {"visit_id", "referral"}},
        {"visit_topics", {"visit_id", "topic"}},
        {"visits", neuvo::testing::allowed_visit_columns()},
    };
    std::vector<std::string> expected_tables;
    for (const auto& [table, columns] : allowed) {
        expected_tables.push_back(table);
    }
    const std::vector<std::string> tables = raw.column(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name");
    CHECK(tables == expected_tables);
    for (const std::string& table : tables) {
        INFO("table " << table);
        // The name comes from the file's own schema, checked against the list above.
        CHECK(raw.column("SELECT name FROM pragma_table_info('" + table + "')") ==
              allowed.at(table));
    }
}

TEST_CASE("a visit with a full wrap-up is written and read back exactly", "[store][visits]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    core::VisitRecord record = served_visit();
    record.wrapup_state = "saved";
    record.wrapup.age_group = "25-34";
    record.wrapup.gender = "female";
    record.wrapup.residence = "1-3";
    record.wrapup.immigration_reason = "family";
    record.wrapup.citizenship = "third-country";
    record.wrapup.country = "IQ";
    record.wrapup.education = "upper-secondary";
    record.wrapup.labour_status = "home-with-children";
    record.wrapup.topics = {"residence-permits", "daycare-school", "housing"};
    record.wrapup.referrals = {"migri", "kela"};
    record.wrapup.first_contact = "yes";
    record.wrapup.interpreter = "no";
    record.rating = 4;
    database.insert_visit(record);

    const VisitRow expected = {
        {"id", "1"},
        {"outcome", "served"},
        {"point_id", "049-inespoo"},
        {"advisor_point_id", "091-virka"},
        {"channel", "chat"},
        {"language", "ru"},
        {"home_municipality", "092"},
        {"tier", "region"},
        {"started_hour", "2026-11-25T14:00Z"},
        {"wait_seconds", "95"},
        {"duration_seconds", "1260"},
        {"ended_by", "advisor"},
        {"transfers", "0"},
        {"transfer_from_point_id", ""},
        {"transfer_to_point_id", ""},
        {"invited_advisors", "0"},
        {"wrapup", "saved"},
        {"age_group", "25-34"},
        {"gender", "female"},
        {"residence", "1-3"},
        {"immigration_reason", "family"},
        {"citizenship", "third-country"},
        {"country", "IQ"},
        {"education", "upper-secondary"},
        {"labour_status", "home-with-children"},
        {"first_contact", "yes"},
        {"interpreter", "no"},
        {"rating", "4"},
        // Sorted by code, whatever order the advisor ticked them in.
        {"topics", "daycare-school housing residence-permits"},
        {"referrals", "kela migri"},
    };
    CHECK(database.visits() == std::vector<VisitRow>{expected});

    // Codes only, like every other column: a sentence is refused, and the row goes with it.
    record.wrapup.topics = {"she asked about her husband"};
    CHECK_THROWS_AS(database.insert_visit(record), StoreError);
    record.wrapup.topics = {"housing"};
    record.wrapup.country = "Iraq";
    CHECK_THROWS_AS(database.insert_visit(record), StoreError);
    CHECK(database.visits().size() == 1);
}

TEST_CASE("a visit is written and read back exactly", "[store][visits]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    database.insert_visit(served_visit());

    const VisitRow expected = {
        {"id", "1"},
        {"outcome", "served"},
        {"point_id", "049-inespoo"},
        {"advisor_point_id", "091-virka"},
        {"channel", "chat"},
        {"language", "ru"},
        {"home_municipality", "092"},
        {"tier", "region"},
        {"started_hour", "2026-11-25T14:00Z"},
        {"wait_seconds", "95"},
        {"duration_seconds", "1260"},
        {"ended_by", "advisor"},
        {"transfers", "0"},
        {"transfer_from_point_id", ""},
        {"transfer_to_point_id", ""},
        {"invited_advisors", "0"},
        // No wrap-up given: the defaults.
        {"wrapup", "none"},
        {"age_group", "unknown"},
        {"gender", "unknown"},
        {"residence", "unknown"},
        {"immigration_reason", "unknown"},
        {"citizenship", "unknown"},
        {"country", "unknown"},
        {"education", "unknown"},
        {"labour_status", "unknown"},
        {"first_contact", "unknown"},
        {"interpreter", "unknown"},
        {"rating", ""},
        {"topics", ""},
        {"referrals", ""},
    };
    CHECK(database.visits() == std::vector<VisitRow>{expected});
}

TEST_CASE("a transferred visit keeps how often and between which points", "[store][visits]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    core::VisitRecord record = served_visit();
    record.transfers = 2;
    record.transfer_from_point_id = "091-virka";
    record.transfer_to_point_id = "049-inespoo";
    record.invited_advisors = 1;
    database.insert_visit(record);

    const auto rows = database.visits();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].at("transfers") == "2");
    CHECK(rows[0].at("transfer_from_point_id") == "091-virka");
    CHECK(rows[0].at("transfer_to_point_id") == "049-inespoo");
    CHECK(rows[0].at("invited_advisors") == "1");

    // Like every other code column, the points refuse anything shaped like free text.
    record.transfer_to_point_id = "Aino's desk";
    CHECK_THROWS_AS(database.insert_visit(record), StoreError);
    CHECK(database.visits().size() == 1);
}

TEST_CASE("an unserved visit stores its missing point and tier as NULL", "[store][visits]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    core::VisitRecord record;
    record.outcome = "unserved";
    record.channel = "kiosk";
    record.language = "so";
    record.home_municipality = "unknown";
    record.started_hour = std::chrono::sys_days{std::chrono::year{2027} / 1 / 2} + 23h + 59min;
    record.wait_seconds = 600;
    record.ended_by = "client_left_queue";
    database.insert_visit(record);

    const auto rows = database.visits();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].at("point_id").empty());
    CHECK(rows[0].at("tier").empty());
    CHECK(rows[0].at("started_hour") == "2027-01-02T23:00Z");
    CHECK(rows[0].at("duration_seconds") == "0");
    CHECK(RawConnection(scratch.database_path())
              .column("SELECT quote(point_id) || quote(advisor_point_id) || quote(tier) "
                      "FROM visits") == std::vector<std::string>{"NULLNULLNULL"});
}

TEST_CASE("the register refuses anything shaped like free text", "[store][visits]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());

    auto refused = [&](auto&& spoil) {
        core::VisitRecord record = served_visit();
        spoil(record);
        CHECK_THROWS_AS(database.insert_visit(record), StoreError);
    };
    refused([](core::VisitRecord& r) { r.outcome = "maybe"; });
    refused([](core::VisitRecord& r) { r.channel = "email"; });
    refused([](core::VisitRecord& r) { r.language = "my name is Aino"; });
    refused([](core::VisitRecord& r) { r.home_municipality = "Espoo, Kivenlahti 3"; });
    refused([](core::VisitRecord& r) { r.point_id = "call me at 040 123"; });
    refused([](core::VisitRecord& r) { r.advisor_point_id = "Virka Info"; });
    refused([](core::VisitRecord& r) { r.tier = "Own point"; });
    refused([](core::VisitRecord& r) { r.ended_by = "client said goodbye"; });
    refused([](core::VisitRecord& r) { r.wait_seconds = -1; });
    refused([](core::VisitRecord& r) { r.duration_seconds = -5; });
    CHECK(database.visits().empty());

    // Every channel the domain names is accepted.
    for (const std::string channel : {"chat", "kiosk", "video", "language-support"}) {
        core::VisitRecord record = served_visit();
        record.channel = channel;
        CHECK_NOTHROW(database.insert_visit(record));
    }
    CHECK(database.visits().size() == 4);
}
