#include "neuvo/store/store.hpp"

#include "test_database.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <mutex>
#include <set>
#include <thread>

using namespace neuvo;
using namespace neuvo::store;
using namespace neuvo::store::testing;
using namespace std::chrono_literals;

namespace {

constexpr auto password = "correct horse battery"; // sample_advisor's

core::VisitRecord visit(std::int64_t wait_seconds) {
    core::VisitRecord record;
    record.outcome = "served";
    record.point_id = "092-vantaa";
    record.advisor_point_id = "092-vantaa";
    record.language = "et";
    record.home_municipality = "235";
    record.tier = "region";
    record.started_hour = std::chrono::sys_days{std::chrono::year{2026} / 11 / 25} + 9h;
    record.wait_seconds = wait_seconds;
    record.duration_seconds = 300;
    record.ended_by = "client";
    return record;
}

// Sets up accounts with a Database of its own, closed before the Store opens the file.
void add_accounts(const std::string& path) {
    Database database(path);
    database.add_advisor(sample_advisor("aino"));
    database.add_advisor(sample_advisor("bashir"));
    database.set_advisor_disabled("bashir", true);
}

std::optional<SessionGrant> sign_in(Store& store, const std::string& login,
                                    const std::string& given_password) {
    std::promise<std::optional<SessionGrant>> answer;
    store.sign_in(login, given_password,
                  [&answer](std::optional<SessionGrant> grant) { answer.set_value(grant); });
    return answer.get_future().get();
}

std::optional<AdvisorAccount> find_session(Store& store, const std::string& token) {
    std::promise<std::optional<AdvisorAccount>> answer;
    store.find_session(
        token, [&answer](std::optional<AdvisorAccount> account) { answer.set_value(account); });
    return answer.get_future().get();
}

} // namespace

TEST_CASE("visits recorded from many threads are all committed", "[store][store]") {
    ScratchDirectory scratch;
    constexpr int threads = 4;
    constexpr int visits_per_thread = 50;
    std::atomic<int> committed{0};
    std::atomic<int> failed{0};
    {
        Store store(scratch.database_path());
        std::vector<std::thread> writers;
        for (int t = 0; t < threads; ++t) {
            writers.emplace_back([&, t] {
                for (int i = 0; i < visits_per_thread; ++i) {
                    store.record_visit(visit(t * 1000 + i),
                                       [&](bool ok) { (ok ? committed : failed)++; });
                }
            });
        }
        for (auto& writer : writers) {
            writer.join();
        }
        store.flush();
        CHECK(committed == threads * visits_per_thread);
        CHECK(failed == 0);
        // Flushed means committed: a connection of its own sees every row.
        CHECK(RawConnection(scratch.database_path()).value("SELECT count(*) FROM visits") == "200");
    }
    Database database(scratch.database_path());
    const auto rows = database.visits();
    REQUIRE(rows.size() == 200);
    std::set<std::string> waits;
    for (const auto& row : rows) {
        waits.insert(row.at("wait_seconds"));
    }
    CHECK(waits.size() == 200); // every record exactly once
    CHECK(waits.count("3049") == 1);
}

TEST_CASE("done(true) comes only after the row is committed", "[store][store]") {
    ScratchDirectory scratch;
    Store store(scratch.database_path());
    std::promise<std::string> seen;
    store.record_visit(visit(7), [&](bool ok) {
        // Another connection only sees committed rows.
        seen.set_value(std::to_string(ok) + " " +
                       RawConnection(scratch.database_path()).value("SELECT count(*) FROM visits"));
    });
    CHECK(seen.get_future().get() == "1 1");
}

TEST_CASE("a refused visit fails alone and the rest of its batch commits", "[store][store]") {
    ScratchDirectory scratch;
    std::mutex mutex;
    std::vector<std::string> results;
    {
        Store store(scratch.database_path());
        auto remember = [&](std::string name) {
            return [&, name](bool ok) {
                std::lock_guard lock(mutex);
                results.push_back(name + (ok ? " committed" : " failed"));
            };
        };
        core::VisitRecord bad = visit(2);
        bad.channel = "carrier pigeon";
        store.record_visit(visit(1), remember("first"));
        store.record_visit(bad, remember("bad"));
        store.record_visit(visit(3), remember("third"));
        store.flush();
        // The metrics' view: two rows, one failed job, at least one batch (the flush's barrier
        // may have run in a batch of its own), nothing left waiting.
        const Store::Activity activity = store.activity();
        CHECK(activity.register_rows_written == 2);
        CHECK(activity.failed_jobs == 1);
        CHECK(activity.batches >= 1);
        CHECK(activity.pending_jobs == 0);
    }
    CHECK(results == std::vector<std::string>{"first committed", "bad failed", "third committed"});
    const auto rows = Database(scratch.database_path()).visits();
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].at("wait_seconds") == "1");
    CHECK(rows[1].at("wait_seconds") == "3");
}

TEST_CASE("sign-in with the right password opens a session until sign-out", "[store][store]") {
    ScratchDirectory scratch;
    add_accounts(scratch.database_path());
    Store store(scratch.database_path());

    const auto grant = sign_in(store, "aino", password);
    REQUIRE(grant.has_value());
    CHECK(grant->token.size() == 64);
    CHECK(grant->advisor.login == "aino");
    CHECK(grant->advisor.point_id == "049-inespoo");

    const auto account = find_session(store, grant->token);
    REQUIRE(account.has_value());
    CHECK(account->id == grant->advisor.id);

    store.sign_out(grant->token);
    CHECK_FALSE(find_session(store, grant->token).has_value());
    CHECK_FALSE(find_session(store, "not a token").has_value());
}

TEST_CASE("sign-in is refused for a wrong password, an unknown login and a disabled account",
          "[store][store]") {
    ScratchDirectory scratch;
    add_accounts(scratch.database_path());
    Store store(scratch.database_path());

    CHECK_FALSE(sign_in(store, "aino", "correct horse batterY").has_value());
    CHECK_FALSE(sign_in(store, "aino", "").has_value());
    CHECK_FALSE(sign_in(store, "nobody", password).has_value());
    CHECK_FALSE(sign_in(store, "bashir", password).has_value());
    store.flush();
    CHECK(RawConnection(scratch.database_path()).value("SELECT count(*) FROM sessions") == "0");
}

TEST_CASE("an unknown login is still checked against a hash", "[store][store]") {
    ScratchDirectory scratch;
    Store store(scratch.database_path());
    sign_in(store, "nobody", password); // the dummy hash is made on first need: not timed

    // A lookup alone takes well under a millisecond; argon2id at 19 MiB takes tens of them.
    const auto start = std::chrono::steady_clock::now();
    CHECK_FALSE(sign_in(store, "nobody", password).has_value());
    CHECK(std::chrono::steady_clock::now() - start >= 5ms);
}

TEST_CASE("password checks do not hold up register writes", "[store][store]") {
    ScratchDirectory scratch;
    add_accounts(scratch.database_path());
    Store store(scratch.database_path());
    std::mutex mutex;
    std::vector<std::string> order;
    auto note = [&](const std::string& what) {
        std::lock_guard lock(mutex);
        order.push_back(what);
    };

    store.sign_in("aino", password, [&](std::optional<SessionGrant> grant) {
        note(grant ? "signed in" : "refused");
    });
    store.record_visit(visit(1), [&](bool ok) { note(ok ? "visit" : "visit failed"); });
    store.flush();
    CHECK(order == std::vector<std::string>{"visit", "signed in"});
}

TEST_CASE("flush waits for sign-ins and the destructor for everything", "[store][store]") {
    ScratchDirectory scratch;
    add_accounts(scratch.database_path());
    std::atomic<int> answered{0};
    std::atomic<int> committed{0};
    const auto test_thread = std::this_thread::get_id();
    std::atomic<bool> on_store_thread{true};
    {
        Store store(scratch.database_path());
        store.sign_in("aino", password,
                      [&](std::optional<SessionGrant> grant) { answered += grant ? 1 : 100; });
        store.flush();
        CHECK(answered == 1);

        store.sign_in("nobody", password, [&](std::optional<SessionGrant> grant) {
            answered += grant ? 100 : 1;
            on_store_thread = on_store_thread && std::this_thread::get_id() != test_thread;
        });
        for (int i = 0; i < 20; ++i) {
            store.record_visit(visit(i), [&](bool ok) {
                committed += ok ? 1 : 0;
                on_store_thread = on_store_thread && std::this_thread::get_id() != test_thread;
            });
        }
    }
    CHECK(answered == 2);
    CHECK(committed == 20);
    CHECK(on_store_thread);
    CHECK(Database(scratch.database_path()).visits().size() == 20);
}

TEST_CASE("a store that cannot open its file fails at construction", "[store][store]") {
    ScratchDirectory scratch;
    const std::string path = (scratch.path() / "missing" / "neuvo.db").string();
    CHECK_THROWS_AS(Store(path), StoreError);
}
