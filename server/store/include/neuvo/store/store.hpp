#pragma once

#include "neuvo/store/database.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace neuvo::store {

struct SessionGrant {
    std::string token; // goes into the advisor's cookie
    AdvisorAccount advisor;
};

// How a change to the shared answers went.
struct SharedAnswerChange {
    enum class Outcome { done, invalid, not_found, failed };
    Outcome outcome = Outcome::failed;
    std::optional<SharedAnswer> answer; // done: the answer as stored (nothing after a delete)
    std::string reason;                 // invalid: the field and what is wrong with it
};

// The store as the running server sees it: one writer thread owns the database connection and
// runs submitted jobs in batches, one transaction per batch, so the network threads never wait
// on the disk. Password verification (deliberately slow) runs on a second thread so that it never
// holds up register writes. Callbacks run on the store's threads: post them back where needed,
// keep them short, and never call flush() or destroy the Store from one. Every method may be
// called from any thread; none blocks on the disk except flush() and the destructor.
class Store {
public:
    // Opens (creating if needed) and migrates the database on the calling thread, so a bad path
    // or a too-new schema throws StoreError here rather than later.
    // A session ends `session_lifetime` after sign-in, or `session_idle` after its last use.
    explicit Store(const std::string& database_path,
                   std::chrono::seconds session_lifetime = std::chrono::hours(12),
                   std::chrono::seconds session_idle = std::chrono::hours(2));
    // Flushes everything submitted, then stops the threads. Every callback has run by the time
    // it returns, so whatever the callbacks touch must outlive the Store.
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // `done(true)` after the row is committed; `done(false)` if the write failed.
    void record_visit(core::VisitRecord record, std::function<void(bool)> done = {});
    // A client's rating of a conversation whose row record_visit() wrote earlier in this run
    // (found by record.conversation). `done(true)` after the commit, also when there was no row
    // left to rate.
    void record_rating(std::string conversation, int rating, std::function<void(bool)> done = {});

    // Verifies the password and opens a session; nothing on an unknown login, disabled account
    // or wrong password (the caller cannot and should not tell which). An unknown login is
    // verified against a dummy hash, so it takes as long as a wrong password. `done` runs on the
    // hashing thread on refusal and on the writer thread on success.
    void sign_in(std::string login, std::string password,
                 std::function<void(std::optional<SessionGrant>)> done);
    // Finding a session is a use of it (Database::find_session).
    void find_session(std::string token, std::function<void(std::optional<AdvisorAccount>)> done);
    // The session is in use without a request, e.g. by an open WebSocket.
    void touch_session(std::string token);
    void sign_out(std::string token);

    // Shared answers, read and written on the writer thread. A list is nothing when the read
    // failed; every field of a change is checked before anything is written.
    void list_shared_answers(std::string language,
                             std::function<void(std::optional<std::vector<SharedAnswer>>)> done);
    void add_shared_answer(SharedAnswerText text, std::string author,
                           std::function<void(SharedAnswerChange)> done);
    void update_shared_answer(std::int64_t id, SharedAnswerText text, std::string author,
                              std::function<void(SharedAnswerChange)> done);
    void delete_shared_answer(std::int64_t id, std::function<void(SharedAnswerChange)> done);

    // Statistics of the register, read on the writer thread (Database::count_visits and
    // visit_times). A request the database refuses (unknown dimension, bad month or outcome)
    // gives nothing and `error` saying why, for an answer to whoever asked; nothing and an empty
    // error means the read itself failed. On success `error` is empty.
    void
    count_visits(CountRequest request,
                 std::function<void(std::optional<stats::CountTable>, std::string error)> done);
    void visit_times(
        TimesRequest request,
        std::function<void(std::optional<std::vector<GroupTimes>>, std::string error)> done);
    // Retention: deletes the register rows started before the hour `cutoff` falls in, with their
    // topics and referrals. `done` gets how many rows went, or nothing when the delete failed.
    void delete_visits_started_before(core::TimePoint cutoff,
                                      std::function<void(std::optional<std::int64_t>)> done = {});

    // Open work (Database's "Open work"): the switchboard's Keep*/Forget* effects, carried out in
    // order as one job among the others; any other effect is ignored. `done(true)` once
    // committed.
    void keep_open_work(std::vector<core::Effect> changes, std::function<void(bool)> done = {});
    // What the last run left open, with the accounts of its advisors (the enabled ones), read on
    // the writer thread; blocks. For the start, before any connection.
    struct OpenWorkAtStart {
        OpenWorkRows work;
        std::vector<AdvisorAccount> accounts;
    };
    OpenWorkAtStart open_work();

    // What the store has done since it was opened, for the server's metrics; any thread, never
    // waits on the disk. A job is one request (a register row, a sign-in step, a batch of open
    // work ...); a batch is one transaction of every job that was pending.
    struct Activity {
        std::uint64_t register_rows_written = 0; // committed by record_visit
        std::uint64_t batches = 0;
        std::uint64_t failed_jobs = 0; // their callers were told false
        std::size_t pending_jobs = 0;  // submitted, not yet run
    };
    Activity activity() const;

    // Blocks until every job submitted before the call has been committed and its callback has
    // run, sign-ins included. Throws std::logic_error when called from a store callback.
    void flush();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace neuvo::store
