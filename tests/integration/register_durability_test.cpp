// The register survives a crash: the server is killed with SIGKILL while advisors' wrap-ups
// stream in, and every row whose wrap-up was answered "saved" is in the database after a
// restart, once, with its topics; the file passes SQLite's integrity and foreign key checks.

#include "journey_steps.hpp"

#include "neuvo/core/register_codes.hpp"
#include "neuvo/store/database.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <sstream>

using namespace neuvo::testing;
using nlohmann::json;

namespace {

constexpr int advisor_count = 2;
constexpr int advisor_capacity = 10; // the configured max_capacity
constexpr int client_count = advisor_count * advisor_capacity;
constexpr int rounds = 10;
constexpr int conversation_count = client_count * rounds; // one marker each, of 249 countries
constexpr std::size_t kill_after_saved = 40;
constexpr std::size_t most_in_flight = 60; // wrap-ups sent and not yet answered
constexpr std::size_t send_at_once = 8;
const std::string marker_age_group = "45-54";

// A served conversation's row tells itself apart from the others by its country of origin alone:
// conversation i gets the i-th ISO 3166-1 code. Topics, a referral and the rating vary too, so
// that a row stitched together from two conversations would show.
struct Marker {
    std::string country;
    std::set<std::string> topics;
    std::string referral;
    int rating = 0;
};

Marker marker(int i) {
    const auto countries = neuvo::core::country_codes();
    const auto topics = neuvo::core::find_register_field("topics")->codes;
    std::vector<std::string> referrals;
    for (auto code : neuvo::core::find_register_field("referrals")->codes)
        if (code != "none")
            referrals.emplace_back(code);
    const auto index = static_cast<std::size_t>(i);
    const std::size_t second = (index + 1 + (index / topics.size()) % (topics.size() - 1));
    return Marker{
        std::string(countries[index]),
        {std::string(topics[index % topics.size()]), std::string(topics[second % topics.size()])},
        referrals[index % referrals.size()],
        1 + i % 5};
}

json wrapup_message(int i, const std::string& conversation) {
    const Marker m = marker(i);
    return {{"type", "wrapup"},
            {"id", "w-" + std::to_string(i)},
            {"conversation", conversation},
            {"fields",
             {{"age_group", marker_age_group},
              {"gender", i % 2 == 0 ? "female" : "male"},
              {"country", m.country},
              {"topics", m.topics},
              {"referrals", {m.referral}},
              {"first_contact", "yes"}}}};
}

// The next frame of `type`, passing over every other kind.
json next_of_type(WssClient& peer, const std::string& type) {
    auto deadline = std::chrono::steady_clock::now() + 10s;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        auto message = peer.receive(std::max(left, std::chrono::milliseconds(1)));
        if (message["type"] == type)
            return message;
        if (message["type"] == "error")
            FAIL("the server refused: " << message.dump());
    }
}

// Hands each advisor's waiting frames to `handle` until `done` holds.
void pump(std::vector<std::unique_ptr<WssClient>>& advisors,
          const std::function<void(int, const json&)>& handle, const std::function<bool()>& done,
          const char* what) {
    auto deadline = std::chrono::steady_clock::now() + 20s;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline)
            FAIL("timed out waiting for " << what);
        for (int a = 0; a < advisor_count && !done(); ++a)
            while (auto frame = advisors[static_cast<std::size_t>(a)]->try_receive(1ms)) {
                handle(a, *frame);
                if (done())
                    break;
            }
    }
}

std::vector<std::string> query_column(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK);
    std::vector<std::string> values;
    int step = SQLITE_OK;
    while ((step = sqlite3_step(statement)) == SQLITE_ROW) {
        const auto* text = sqlite3_column_text(statement, 0);
        values.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    }
    sqlite3_finalize(statement);
    REQUIRE(step == SQLITE_DONE);
    return values;
}

std::set<std::string> words(const std::string& text) {
    std::istringstream in(text);
    std::set<std::string> result;
    for (std::string word; in >> word;)
        result.insert(word);
    return result;
}

} // namespace

TEST_CASE("register durability: every row acknowledged as saved survives kill -9 of the server",
          "[integration][durability]") {
    REQUIRE(neuvo::core::country_codes().size() >= static_cast<std::size_t>(conversation_count));
    TestServer server(
        {{"aada", "Aada", "091-virka", "fi,en"}, {"eino", "Eino", "091-virka", "fi"}});
    std::vector<std::unique_ptr<WssClient>> advisors;
    advisors.push_back(available_advisor(server, "aada", advisor_capacity));
    advisors.push_back(available_advisor(server, "eino", advisor_capacity));
    std::vector<std::unique_ptr<WssClient>> clients;
    for (int c = 0; c < client_count; ++c)
        clients.push_back(welcomed_client(server));

    // Conversations in order of their markers, with the advisor who owes each wrap-up.
    std::vector<std::string> conversations(conversation_count);
    std::map<std::string, int> lead_of;
    std::set<std::string> due;

    const auto serve = [&](int advisor, const json& frame) {
        const std::string type = frame["type"];
        if (type == "offer") {
            advisors[static_cast<std::size_t>(advisor)]->send(
                {{"type", "accept"},
                 {"id", "a-" + frame["conversation"].get<std::string>()},
                 {"conversation", frame["conversation"]}});
        } else if (type == "conversation_started") {
            lead_of[frame["conversation"].get<std::string>()] = advisor;
        } else if (type == "wrapup_due") {
            REQUIRE(lead_of.at(frame["conversation"].get<std::string>()) == advisor);
            due.insert(frame["conversation"].get<std::string>());
        } else if (type == "error") {
            FAIL("advisor " << advisor << " got " << frame.dump());
        }
    };

    // Conversations in rounds: every client asks, the advisors accept, the client ends it and
    // rates it; the advisors hold the wrap-ups back, so the rows all wait for them.
    for (int round = 0; round < rounds; ++round) {
        for (int c = 0; c < client_count; ++c)
            clients[static_cast<std::size_t>(c)]->send(
                {{"type", "request"},
                 {"id", "r-" + std::to_string(round) + "-" + std::to_string(c)},
                 {"language", "fi"},
                 {"home", "091"}});
        const std::size_t started_before = lead_of.size();
        pump(
            advisors, serve, [&] { return lead_of.size() == started_before + client_count; },
            "the round's conversations to start");
        for (int c = 0; c < client_count; ++c) {
            auto& client = *clients[static_cast<std::size_t>(c)];
            auto started = next_of_type(client, "conversation_started");
            REQUIRE(started["request"] == "r-" + std::to_string(round) + "-" + std::to_string(c));
            const int i = round * client_count + c;
            conversations[static_cast<std::size_t>(i)] = started["conversation"].get<std::string>();
            REQUIRE(lead_of.count(conversations[static_cast<std::size_t>(i)]) == 1);
            client.send({{"type", "end"},
                         {"id", "e-" + std::to_string(i)},
                         {"conversation", started["conversation"]}});
        }
        for (int c = 0; c < client_count; ++c) {
            auto& client = *clients[static_cast<std::size_t>(c)];
            const int i = round * client_count + c;
            const std::string& conversation = conversations[static_cast<std::size_t>(i)];
            REQUIRE(next_of_type(client, "conversation_ended")["conversation"] == conversation);
            client.send({{"type", "rate"},
                         {"id", "f-" + std::to_string(i)},
                         {"conversation", conversation},
                         {"rating", marker(i).rating}});
            REQUIRE(next_of_type(client, "rated")["conversation"] == conversation);
        }
        pump(
            advisors, serve,
            [&] { return due.size() == static_cast<std::size_t>((round + 1) * client_count); },
            "the round's wrap-ups to fall due");
    }

    // The stream of wrap-ups, many in flight at once; the server dies after the 40th "saved",
    // with more outstanding. Frames that reached the socket before the kill still count: the
    // server sent them, so it had committed their rows.
    std::map<std::string, int> marker_of_ref;
    for (int i = 0; i < conversation_count; ++i)
        marker_of_ref["w-" + std::to_string(i)] = i;
    std::set<int> saved;
    std::size_t sent = 0;
    bool killed = false;
    const auto collect = [&](int advisor, const json& frame) {
        const std::string type = frame["type"];
        if (type == "wrapup_done") {
            INFO(frame.dump());
            REQUIRE(frame["status"] == "saved");
            const int i = marker_of_ref.at(frame["ref"].get<std::string>());
            REQUIRE(frame["conversation"] == conversations[static_cast<std::size_t>(i)]);
            REQUIRE(lead_of.at(frame["conversation"].get<std::string>()) == advisor);
            REQUIRE(saved.insert(i).second); // one answer per wrap-up
            if (!killed && saved.size() >= kill_after_saved && saved.size() < sent) {
                server.kill();
                killed = true;
            }
        } else if (type == "error") {
            FAIL("advisor " << advisor << " got " << frame.dump());
        }
    };
    while (!killed) {
        REQUIRE(saved.size() < static_cast<std::size_t>(conversation_count));
        for (std::size_t n = 0; n < send_at_once && sent < conversations.size() &&
                                sent - saved.size() < most_in_flight;
             ++n, ++sent) {
            const int i = static_cast<int>(sent);
            const std::string& conversation = conversations[sent];
            advisors[static_cast<std::size_t>(lead_of.at(conversation))]->send(
                wrapup_message(i, conversation));
        }
        const std::size_t saved_before = saved.size();
        pump(
            advisors, collect,
            [&] { return killed || saved.size() > saved_before || sent == saved.size(); },
            "wrap-ups to be saved");
    }
    const std::size_t saved_at_kill = saved.size();
    for (int a = 0; a < advisor_count; ++a)
        while (auto frame = advisors[static_cast<std::size_t>(a)]->try_receive(5s))
            collect(a, *frame);
    advisors.clear();
    clients.clear();

    // The rows are in the write-ahead log: the next start has to recover them from it.
    std::error_code no_log;
    const auto log_bytes = std::filesystem::file_size(server.database().string() + "-wal", no_log);
    INFO("write-ahead log after the kill: " << (no_log ? 0 : log_bytes) << " bytes");

    // A start on the same files, as after a crash in production, then a clean stop.
    server.restart();
    REQUIRE(server.stop() == 0);

    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(server.database().c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) ==
            SQLITE_OK);
    CHECK(query_column(db, "PRAGMA integrity_check") == std::vector<std::string>{"ok"});
    CHECK(query_column(db, "PRAGMA foreign_key_check").empty());
    sqlite3_close_v2(db);

    std::map<std::string, int> marker_of_country;
    for (int i = 0; i < conversation_count; ++i)
        marker_of_country[marker(i).country] = i;
    neuvo::store::Database database(server.database().string());
    const auto rows = database.visits();
    std::map<int, int> copies;
    for (const auto& row : rows) {
        INFO("row " << row.at("id") << ": country " << row.at("country") << ", wrap-up "
                    << row.at("wrapup"));
        // No row but the markers' (nothing was written without its wrap-up before the kill).
        REQUIRE(row.at("wrapup") == "saved");
        REQUIRE(row.at("age_group") == marker_age_group);
        REQUIRE(marker_of_country.count(row.at("country")) == 1);
        const int i = marker_of_country.at(row.at("country"));
        REQUIRE(static_cast<std::size_t>(i) < sent); // its wrap-up was sent
        ++copies[i];
        const Marker m = marker(i);
        CHECK(words(row.at("topics")) == m.topics);
        CHECK(row.at("referrals") == m.referral);
        CHECK(row.at("rating") == std::to_string(m.rating));
        CHECK(row.at("gender") == (i % 2 == 0 ? "female" : "male"));
        CHECK(row.at("outcome") == "served");
        CHECK(row.at("ended_by") == "client");
    }
    std::size_t unacknowledged_present = 0;
    for (const auto& [i, count] : copies) {
        INFO("marker " << i << " (" << marker(i).country << ")");
        CHECK(count == 1);
        if (!saved.count(i))
            ++unacknowledged_present;
    }
    std::vector<int> missing;
    for (int i : saved)
        if (!copies.count(i))
            missing.push_back(i);

    INFO("wrap-ups sent " << sent << ", \"saved\" seen when the kill came " << saved_at_kill
                          << ", \"saved\" in all " << saved.size() << ", rows after restart "
                          << rows.size() << " (" << unacknowledged_present
                          << " never acknowledged), in flight and lost " << sent - copies.size());
    CHECK(missing.empty()); // acknowledged ⊆ present
}
