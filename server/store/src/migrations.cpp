#include "migrations.hpp"

#include "statement.hpp"

#include <array>
#include <string>
#include <string_view>

namespace neuvo::store {
namespace {

// Migration N (1-based) takes the schema from version N-1 to N. Append only: a step that has
// shipped is never edited, since databases in the field already ran it.
constexpr std::array<std::string_view, 7> migrations = {
    // 1: accounts, sign-in sessions and the visit register.
    R"sql(
CREATE TABLE advisors (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    point_id      TEXT NOT NULL,
    languages     TEXT NOT NULL, -- BCP-47 tags separated by single spaces, in the advisor's order
    role          TEXT NOT NULL
                  CHECK (role IN ('advisor', 'supervisor', 'clerk', 'statistician', 'admin')),
    password_hash TEXT NOT NULL, -- argon2id string; the password itself is never stored
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    INTEGER NOT NULL -- Unix seconds
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY, -- SHA-256 of the token, hex: a copied file opens no session
    advisor_id INTEGER NOT NULL REFERENCES advisors (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL, -- Unix seconds
    expires_at INTEGER NOT NULL  -- Unix seconds; the session is over from this second on
) WITHOUT ROWID;

CREATE INDEX sessions_by_advisor ON sessions (advisor_id);

-- The register: one row per contact, codes and numbers only. No names, addresses, message
-- content or free text: the checks refuse anything but short codes, so a bug elsewhere cannot
-- leak a conversation into it.
CREATE TABLE visits (
    id                INTEGER PRIMARY KEY,
    outcome           TEXT NOT NULL
                      CONSTRAINT visit_outcome_known CHECK (outcome IN ('served', 'unserved')),
    point_id          TEXT -- NULL when unserved
                      CONSTRAINT visit_point_is_code
                      CHECK (point_id NOT GLOB '*[^a-z0-9_-]*' AND length(point_id) <= 64),
    advisor_point_id  TEXT -- NULL when unserved
                      CONSTRAINT visit_advisor_point_is_code
                      CHECK (advisor_point_id NOT GLOB '*[^a-z0-9_-]*'
                             AND length(advisor_point_id) <= 64),
    channel           TEXT NOT NULL
                      CONSTRAINT visit_channel_known
                      CHECK (channel IN ('chat', 'kiosk', 'video', 'language-support')),
    language          TEXT NOT NULL
                      CONSTRAINT visit_language_is_tag
                      CHECK (language NOT GLOB '*[^A-Za-z0-9-]*' AND length(language) <= 35),
    home_municipality TEXT NOT NULL
                      CONSTRAINT visit_home_is_code
                      CHECK (home_municipality NOT GLOB '*[^a-z0-9_-]*'
                             AND length(home_municipality) <= 64),
    tier              TEXT -- NULL when unserved
                      CONSTRAINT visit_tier_is_code
                      CHECK (tier NOT GLOB '*[^a-z0-9_-]*' AND length(tier) <= 32),
    started_hour      TEXT NOT NULL -- ISO 8601 UTC hour, e.g. 2026-11-25T14:00Z: no exact times
                      CONSTRAINT visit_started_is_hour
                      CHECK (started_hour GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:00Z'),
    wait_seconds      INTEGER NOT NULL CONSTRAINT visit_wait_not_negative CHECK (wait_seconds >= 0),
    duration_seconds  INTEGER NOT NULL
                      CONSTRAINT visit_duration_not_negative CHECK (duration_seconds >= 0),
    ended_by          TEXT NOT NULL
                      CONSTRAINT visit_ended_by_is_code
                      CHECK (ended_by NOT GLOB '*[^a-z0-9_-]*' AND length(ended_by) <= 32)
);
)sql",
    // 2: the shared answers advisors insert into chats. The byte limits keep body and URL
    // together well inside one chat message (limits.max_text_bytes).
    R"sql(
CREATE TABLE shared_answers (
    id         INTEGER PRIMARY KEY,
    language   TEXT NOT NULL
               CONSTRAINT answer_language_is_tag
               CHECK (language NOT GLOB '*[^A-Za-z0-9-]*' AND length(language) BETWEEN 1 AND 35),
    title      TEXT NOT NULL
               CONSTRAINT answer_title_length
               CHECK (length(CAST(title AS BLOB)) BETWEEN 1 AND 120),
    body       TEXT NOT NULL
               CONSTRAINT answer_body_length
               CHECK (length(CAST(body AS BLOB)) BETWEEN 1 AND 2000),
    url        TEXT -- NULL when the answer has no link
               CONSTRAINT answer_url_is_https
               CHECK (url GLOB 'https://?*' AND length(CAST(url AS BLOB)) <= 500),
    updated_at INTEGER NOT NULL, -- Unix seconds
    updated_by TEXT NOT NULL -- login of whoever wrote it last
               CONSTRAINT answer_author_is_login
               CHECK (length(updated_by) BETWEEN 1 AND 64)
);

CREATE INDEX shared_answers_by_language ON shared_answers (language, title);
)sql",
    // 3: advisors working together: how often a contact was handed on, between which points,
    // and how many colleagues were invited in. Counts and point codes only, like the rest.
    R"sql(
ALTER TABLE visits ADD COLUMN transfers INTEGER NOT NULL DEFAULT 0
    CONSTRAINT visit_transfers_not_negative CHECK (transfers >= 0);
ALTER TABLE visits ADD COLUMN transfer_from_point_id TEXT
    CONSTRAINT visit_transfer_from_is_code
    CHECK (transfer_from_point_id NOT GLOB '*[^a-z0-9_-]*' AND length(transfer_from_point_id) <= 64);
ALTER TABLE visits ADD COLUMN transfer_to_point_id TEXT
    CONSTRAINT visit_transfer_to_is_code
    CHECK (transfer_to_point_id NOT GLOB '*[^a-z0-9_-]*' AND length(transfer_to_point_id) <= 64);
ALTER TABLE visits ADD COLUMN invited_advisors INTEGER NOT NULL DEFAULT 0
    CONSTRAINT visit_invited_not_negative CHECK (invited_advisors >= 0);
)sql",
    // 4: roles tied to a place: a clerk's organisation (shown to the advisor giving language
    // support) and supervisors who oversee every point rather than their own.
    R"sql(
ALTER TABLE advisors ADD COLUMN organisation TEXT
    CONSTRAINT advisor_organisation_length
    CHECK (organisation IS NULL OR length(organisation) BETWEEN 1 AND 320);
ALTER TABLE advisors ADD COLUMN national INTEGER NOT NULL DEFAULT 0
    CONSTRAINT advisor_national_flag CHECK (national IN (0, 1));
)sql",
    // 5: the advisor's wrap-up and the client's rating. Single answers are columns; topics and
    // referrals, several per contact, are rows of their own tables. Codes only, "unknown" by
    // default: the rows written before this migration simply did not record them.
    R"sql(
ALTER TABLE visits ADD COLUMN wrapup TEXT NOT NULL DEFAULT 'none'
    CONSTRAINT visit_wrapup_known CHECK (wrapup IN ('saved', 'missing', 'none'));
ALTER TABLE visits ADD COLUMN age_group TEXT NOT NULL DEFAULT 'unknown'
    CONSTRAINT visit_age_group_is_code
    CHECK (age_group NOT GLOB '*[^a-z0-9-]*' AND length(age_group) BETWEEN 1 AND 32);
ALTER TABLE visits ADD COLUMN gender TEXT NOT NULL DEFAULT 'unknown'
    CONSTRAINT visit_gender_is_code
    CHECK (gender NOT GLOB '*[^a-z0-9-]*' AND length(gender) BETWEEN 1 AND 32);
ALTER TABLE visits ADD COLUMN residence TEXT NOT NULL DEFAULT 'unknown'
    CONSTRAINT visit_residence_is_code
    CHECK (residence NOT GLOB '*[^a-z0-9-]*' AND length(residence) BETWEEN 1 AND 32);
ALTER TABLE visits ADD COLUMN immigration_reason TEXT NOT NULL DEFAULT 'unknown'
    CONSTRAINT visit_immigration_reason_is_code
    CHECK (immigration_reason NOT GLOB '*[^a-z0-9-]*' AND length(immigration_reason) BETWEEN 1 AND 32);
ALTER TABLE visits ADD COLUMN citizenship TEXT NOT NULL DEFAULT 'unknown'
    CONSTRAINT visit_citizenship_is_code
    CHECK (citizenship NOT GLOB '*[^a-z0-9-]*' AND length(citizenship) BETWEEN 1 AND 32);
ALTER TABLE visits ADD COLUMN education TEXT NOT NULL DEFAULT 'unknown'
    CONSTRAINT visit_education_is_code
    CHECK (education NOT GLOB '*[^a-z0-9-]*' AND length(education) BETWEEN 1 AND 32);
ALTER TABLE visits ADD COLUMN labour_status TEXT NOT NULL DEFAULT 'unknown'
    CONSTRAINT visit_labour_status_is_code
    CHECK (labour_status NOT GLOB '*[^a-z0-9-]*' AND length(labour_status) BETWEEN 1 AND 32);
ALTER TABLE visits ADD COLUMN first_contact TEXT NOT NULL DEFAULT 'unknown'
    CONSTRAINT visit_first_contact_is_code
    CHECK (first_contact NOT GLOB '*[^a-z0-9-]*' AND length(first_contact) BETWEEN 1 AND 32);
ALTER TABLE visits ADD COLUMN interpreter TEXT NOT NULL DEFAULT 'unknown'
    CONSTRAINT visit_interpreter_is_code
    CHECK (interpreter NOT GLOB '*[^a-z0-9-]*' AND length(interpreter) BETWEEN 1 AND 32);
ALTER TABLE visits ADD COLUMN country TEXT NOT NULL DEFAULT 'unknown'
    CONSTRAINT visit_country_is_code CHECK (country = 'unknown' OR country GLOB '[A-Z][A-Z]');
ALTER TABLE visits ADD COLUMN rating INTEGER
    CONSTRAINT visit_rating_range CHECK (rating IS NULL OR rating BETWEEN 1 AND 5);

CREATE TABLE visit_topics (
    visit_id INTEGER NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    topic    TEXT NOT NULL CONSTRAINT visit_topic_is_code
    CHECK (topic NOT GLOB '*[^a-z0-9-]*' AND length(topic) BETWEEN 1 AND 32),
    PRIMARY KEY (visit_id, topic)
) WITHOUT ROWID;

CREATE TABLE visit_referrals (
    visit_id INTEGER NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    referral TEXT NOT NULL CONSTRAINT visit_referral_is_code
    CHECK (referral NOT GLOB '*[^a-z0-9-]*' AND length(referral) BETWEEN 1 AND 32),
    PRIMARY KEY (visit_id, referral)
) WITHOUT ROWID;

-- Statistics select by period; retention deletes by age.
CREATE INDEX visits_by_started_hour ON visits (started_hour);
)sql",
    // 6: open work, kept only while it is open so that a restart continues it. This is the one
    // place the server keeps message content, and only until the conversation ends.
    R"sql(
-- A client session that waits or talks, by the digest of its resume token (never the token).
CREATE TABLE open_clients (
    token_digest TEXT PRIMARY KEY CHECK (length(token_digest) BETWEEN 1 AND 128),
    body         TEXT NOT NULL CHECK (json_valid(body))
) WITHOUT ROWID;

-- The numbered events of open conversations, deleted when the conversation ends.
CREATE TABLE open_events (
    conversation TEXT NOT NULL CHECK (length(conversation) BETWEEN 1 AND 128),
    seq          INTEGER NOT NULL CHECK (seq >= 1),
    sender       INTEGER NOT NULL,
    body         TEXT NOT NULL CHECK (json_valid(body)),
    PRIMARY KEY (conversation, seq)
) WITHOUT ROWID;

-- Served conversations' register rows waiting for their wrap-ups: metadata only, as in visits.
-- Deleted in the transaction that writes the conversation's row.
CREATE TABLE open_visits (
    conversation TEXT PRIMARY KEY CHECK (length(conversation) BETWEEN 1 AND 128),
    advisor_id   INTEGER NOT NULL,
    due_at_ms    INTEGER NOT NULL,
    body         TEXT NOT NULL CHECK (json_valid(body))
) WITHOUT ROWID;

-- Signed-in advisors' presence; an account's removal takes its row with it.
CREATE TABLE open_advisors (
    advisor_id      INTEGER PRIMARY KEY REFERENCES advisors (id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('available', 'away')),
    capacity        INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 1000),
    follow_schedule INTEGER NOT NULL CHECK (follow_schedule IN (0, 1))
);
)sql",
    // 7: a session also ends after a spell unused (limits.session_idle_minutes), so it records
    // when it was last used. Sessions opened before count as used when they were opened.
    R"sql(
ALTER TABLE sessions ADD COLUMN last_used_at INTEGER NOT NULL DEFAULT 0; -- Unix seconds
UPDATE sessions SET last_used_at = created_at;
)sql",
};

int read_schema_version(sqlite3* db) {
    Statement query(db, "PRAGMA user_version");
    query.step();
    return static_cast<int>(query.column_int(0));
}

} // namespace

int latest_schema_version() {
    return static_cast<int>(migrations.size());
}

void migrate(sqlite3* db) {
    // IMMEDIATE: two processes opening a new file at once must not both apply migration 1.
    execute(db, "BEGIN IMMEDIATE");
    try {
        const int found = read_schema_version(db);
        if (found > latest_schema_version()) {
            throw StoreError("database schema version " + std::to_string(found) +
                             " is newer than this program understands (" +
                             std::to_string(latest_schema_version()) + "); run a newer Neuvo");
        }
        for (int version = found + 1; version <= latest_schema_version(); ++version) {
            execute(db, migrations[static_cast<std::size_t>(version - 1)]);
            // PRAGMA takes no bound parameters; the number is our own counter, not input.
            execute(db, "PRAGMA user_version = " + std::to_string(version));
        }
        execute(db, "COMMIT");
    } catch (...) {
        rollback_quietly(db);
        throw;
    }
}

} // namespace neuvo::store
