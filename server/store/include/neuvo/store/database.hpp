#pragma once

#include "neuvo/core/clock.hpp"
#include "neuvo/core/messages.hpp"
#include "neuvo/stats/tables.hpp"
#include "neuvo/store/statistics_query.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

struct sqlite3;

namespace neuvo::store {

class StatementCache;

// A failure the caller can show to a person (duplicate login, unknown point, unopenable file...).
class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct AdvisorAccount {
    std::int64_t id = 0;
    std::string login;
    std::string display_name;
    std::string point_id;
    std::vector<std::string> languages;
    std::string role; // "advisor", "supervisor", "clerk", "statistician", "admin"
    bool disabled = false;
    // A clerk's organisation as advisors see it, e.g. "Kela, Itäkeskus"; empty for other roles.
    std::string organisation;
    // A supervisor of every point rather than of their own (point_id) only.
    bool national = false;
};

struct NewAdvisor {
    std::string login;
    std::string display_name;
    std::string point_id;
    std::vector<std::string> languages;
    std::string role = "advisor";
    std::string password;     // hashed with argon2id before it is stored; never stored or logged
    std::string organisation; // required for clerks, refused for the other roles
    bool national = false;    // supervisors only
};

// A short prepared answer (a link and an explanation, say where to apply for a residence permit)
// that advisors insert into a chat. Shared by the whole network, one language each.
struct SharedAnswer {
    std::int64_t id = 0;
    std::string language;
    std::string title;
    std::string body;
    std::string url;             // empty: none
    std::int64_t updated_at = 0; // Unix seconds
    std::string updated_by;      // login of whoever wrote it last
};

// What a supervisor writes. The body and the URL together fit one chat message
// (limits.max_text_bytes, 4000 by default) with room to spare.
struct SharedAnswerText {
    std::string language;
    std::string title; // one line, 1-120 bytes
    std::string body;  // 1-2000 bytes
    std::string url;   // empty, or https://... of at most 500 bytes
};

inline constexpr std::size_t max_answer_title_bytes = 120;
inline constexpr std::size_t max_answer_body_bytes = 2000;
inline constexpr std::size_t max_answer_url_bytes = 500;

// Why the text cannot be stored, naming the field (`field "title" must not be blank`), or
// nothing when it can.
std::optional<std::string> shared_answer_problem(const SharedAnswerText& text);

// The open work a run left (Database::open_work), for the next run's Switchboard::restore().
struct OpenWorkRows {
    std::vector<core::OpenClient> clients;
    std::vector<core::OpenEvent> events; // by conversation, then seq
    std::vector<core::OpenAdvisor> advisors;
    std::vector<core::OpenVisit> visits;
};

// One register row as stored, column name -> value as text (NULL as empty), for tests and export.
using VisitRow = std::map<std::string, std::string>;

// One SQLite connection, synchronous. Used on the store's writer thread by Store, and directly by
// short-lived admin commands. Opening applies the numbered schema migrations and enables WAL.
// Every statement is prepared with bound parameters.
class Database {
public:
    explicit Database(const std::string& path);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    int schema_version() const;

    // BEGIN IMMEDIATE: the write lock is taken at once, so a transaction never fails half-way
    // for want of it. rollback() does nothing when no transaction is open.
    void begin();
    void commit();
    void rollback();
    bool in_transaction() const;

    // A point inside the current transaction (or a transaction of its own when none is open) that
    // a failed step is undone to, leaving the work before it intact. Undone on destruction unless
    // released.
    class Savepoint {
    public:
        explicit Savepoint(Database& database);
        ~Savepoint();
        Savepoint(const Savepoint&) = delete;
        Savepoint& operator=(const Savepoint&) = delete;
        void release();

    private:
        Database& database_;
        bool open_ = true;
    };

    // ---- Advisors ----
    // Validates and stores a new account; hashing makes this take ~50-100 ms. Throws StoreError
    // on a duplicate login, a malformed login, an unknown role, no languages or a short password.
    std::int64_t add_advisor(const NewAdvisor& advisor);
    std::vector<AdvisorAccount> list_advisors();
    std::optional<AdvisorAccount> find_advisor(const std::string& login);
    // Disabling also ends the advisor's sessions. Returns false when there is no such login.
    bool set_advisor_disabled(const std::string& login, bool disabled);
    // The stored argon2id hash string of an enabled advisor, for verification off this thread.
    std::optional<std::string> password_hash(const std::string& login);

    // ---- Sign-in sessions (only a hash of the token is stored) ----
    // Returns the new token: 32 random bytes as 64 hex digits. Also clears expired sessions.
    std::string create_session(std::int64_t advisor_id, core::TimePoint now,
                               std::chrono::seconds lifetime);
    // Nothing when the token is unknown, expired (at or after expiry), unused for `idle` or
    // longer (when given) or its advisor is disabled. Finding it is a use: it is then fresh
    // for another `idle`.
    std::optional<AdvisorAccount> find_session(const std::string& token, core::TimePoint now,
                                               std::optional<std::chrono::seconds> idle = {});
    // The session is in use now (e.g. its advisor's WebSocket is open); nothing if it is gone.
    void touch_session(const std::string& token, core::TimePoint now);
    void delete_session(const std::string& token);

    // ---- Visit register ----
    // started_hour is floored to the hour again here, and empty point, advisor point and tier are
    // stored as NULL. The schema refuses anything shaped like free text (StoreError).
    // Writes the row with its topics and referrals (all or nothing) and returns its id. A row
    // kept for the same conversation while it waited for its wrap-up goes in the same step.
    std::int64_t insert_visit(const core::VisitRecord& record);
    // A rating given after the row was written. False when the row is gone or already rated.
    bool set_visit_rating(std::int64_t visit_id, int rating);
    // Every row, oldest first; topics and referrals as codes separated by single spaces under
    // "topics" and "referrals".
    std::vector<VisitRow> visits();

    // ---- Statistics of the register ----
    // Counts of the filtered rows by one or two distinct dimensions, before suppression. Throws
    // StoreError naming what is wrong with the request (an unknown or repeated dimension, a
    // month not "YYYY-MM", an unknown outcome).
    stats::CountTable count_visits(const CountRequest& request);
    // Wait and duration seconds of the filtered rows, by the request's dimension, in the order
    // count_visits() gives its codes. Same StoreError as count_visits().
    std::vector<GroupTimes> visit_times(const TimesRequest& request);
    // Retention: deletes the rows whose started_hour is before the hour `cutoff` falls in, with
    // their topics and referrals. Returns how many rows went.
    std::int64_t delete_visits_started_before(core::TimePoint cutoff);

    // ---- Open work (open_work.cpp): kept only while it is open ----
    // A client's row is found by its resume_token field, which holds the token's digest.
    void keep_open_client(const core::OpenClient& client);
    void forget_open_client(const std::string& token_digest);
    // Chat messages and who joined or left; other events throw StoreError.
    void keep_open_event(const core::OpenEvent& event);
    // Deletes the conversation's events: the only message content the server has ever stored.
    // The rows are overwritten in the file (secure_delete); wipe_forgotten_content() then clears
    // the write-ahead log of them.
    void forget_open_conversation(const std::string& conversation);
    void keep_open_advisor(const core::OpenAdvisor& advisor);
    void forget_open_advisor(core::AdvisorId advisor);
    // A row waiting for its wrap-up; insert_visit() of the same conversation deletes it.
    void keep_open_visit(const core::OpenVisit& visit);
    // Everything kept. Throws StoreError on a row this program cannot read.
    OpenWorkRows open_work();
    void forget_open_visit(const std::string& conversation);
    // Outside a transaction, after a commit that forgot a conversation: checkpoints the log and
    // truncates it, so that no copy of the deleted content stays on the disk. Nothing otherwise.
    void wipe_forgotten_content();

    // ---- Shared answers ----
    // The answers in `language`, or in every language when it is empty; by language, then title.
    std::vector<SharedAnswer> list_shared_answers(const std::string& language = {});
    std::optional<SharedAnswer> find_shared_answer(std::int64_t id);
    // Both throw StoreError with shared_answer_problem() when the text cannot be stored.
    SharedAnswer add_shared_answer(const SharedAnswerText& text, const std::string& author,
                                   core::TimePoint now);
    // Nothing when there is no answer with this id.
    std::optional<SharedAnswer> update_shared_answer(std::int64_t id, const SharedAnswerText& text,
                                                     const std::string& author,
                                                     core::TimePoint now);
    // False when there is no answer with this id.
    bool delete_shared_answer(std::int64_t id);

private:
    sqlite3* db_ = nullptr;
    // The statements every chat message and transaction repeats (statement_cache.hpp).
    std::unique_ptr<StatementCache> statements_;
    bool content_forgotten_ = false; // since the last wipe_forgotten_content()
};

// The schema version this program creates and understands: the number of migrations it knows.
int latest_schema_version();

// Password hashing: argon2id, OWASP parameters (m = 19 MiB, t = 2, p = 1) or stronger.
std::string hash_password(const std::string& password);
bool verify_password(const std::string& hash, const std::string& password);

} // namespace neuvo::store
