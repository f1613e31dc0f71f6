#pragma once

#include "statement.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;

namespace neuvo::store {

// The connection's prepared statements, each prepared once and then reused. Preparing parses and
// plans the SQL, which cost more than running the small writes that every chat message and every
// transaction makes; the writer thread repeats a handful of those statements all day.
class StatementCache {
public:
    explicit StatementCache(sqlite3* db) : db_(db) {}
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;

    // One use of a statement. Going out of scope resets it and clears its bindings, even when a
    // step threw: a statement left half-run would hold the database's read lock, and one left
    // bound would carry a value into the next use.
    class Use {
    public:
        Use(Use&& other) noexcept;
        Use& operator=(Use&&) = delete;
        ~Use();
        Statement& operator*() const { return *statement_; }
        Statement* operator->() const { return statement_; }

    private:
        friend class StatementCache;
        Use(Statement* cached, bool* in_use);
        explicit Use(std::unique_ptr<Statement> once);

        Statement* statement_;
        bool* in_use_;                    // the cached entry's flag; null for a one-off
        std::unique_ptr<Statement> once_; // a statement of its own, when the cached one was busy
    };

    // `sql` must be fixed text of the program: the text is the cache's key, so SQL built from
    // values would grow it without end (and values belong in bindings anyway).
    Use get(std::string_view sql);

private:
    struct Entry {
        std::unique_ptr<Statement> statement;
        bool in_use = false;
    };

    sqlite3* db_;
    std::unordered_map<std::string, Entry> entries_;
};

} // namespace neuvo::store
