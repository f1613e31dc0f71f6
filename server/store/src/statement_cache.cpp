#include "statement_cache.hpp"

namespace neuvo::store {

StatementCache::Use::Use(Statement* cached, bool* in_use) : statement_(cached), in_use_(in_use) {
    *in_use_ = true;
}

StatementCache::Use::Use(std::unique_ptr<Statement> once)
    : statement_(once.get()), in_use_(nullptr), once_(std::move(once)) {}

StatementCache::Use::Use(Use&& other) noexcept
    : statement_(other.statement_), in_use_(other.in_use_), once_(std::move(other.once_)) {
    other.statement_ = nullptr;
    other.in_use_ = nullptr;
}

StatementCache::Use::~Use() {
    if (statement_ == nullptr || once_)
        return;
    statement_->reset();
    *in_use_ = false;
}

StatementCache::Use StatementCache::get(std::string_view sql) {
    auto it = entries_.find(std::string(sql));
    if (it == entries_.end()) {
        // Prepared before it is stored: SQL that does not prepare throws and leaves no entry.
        auto statement = std::make_unique<Statement>(db_, sql);
        it = entries_.emplace(std::string(sql), Entry{std::move(statement), false}).first;
    }
    // The same statement needed again while one use of it is still open (a query inside the
    // loop over another's rows): that use gets one of its own.
    if (it->second.in_use)
        return Use(std::make_unique<Statement>(db_, sql));
    return Use(it->second.statement.get(), &it->second.in_use);
}

} // namespace neuvo::store
