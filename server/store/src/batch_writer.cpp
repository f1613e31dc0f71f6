#include "batch_writer.hpp"

#include <algorithm>
#include <iostream>

namespace neuvo::store {
namespace {

// A failed job already tells its own caller through finish(false); this line is for the operator,
// who needs to know why register rows are missing. No job puts a password into an error.
void report(std::string_view what, const std::exception_ptr& failure) {
    try {
        std::rethrow_exception(failure);
    } catch (const std::exception& error) {
        std::cerr << "neuvo store: " << what << ": " << error.what() << '\n';
    } catch (...) {
        std::cerr << "neuvo store: " << what << ": unknown exception\n";
    }
}

void finish(WriterJob& job, bool committed) {
    if (!job.finish) {
        return;
    }
    try {
        job.finish(committed);
    } catch (...) {
        // A caller's faulty callback must not stop the register for everyone else.
        report("a completion callback threw", std::current_exception());
    }
}

} // namespace

BatchWriter::BatchWriter(std::unique_ptr<Database> database)
    : database_(std::move(database)), thread_([this] { run(); }) {}

BatchWriter::~BatchWriter() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void BatchWriter::submit(WriterJob job) {
    {
        std::lock_guard lock(mutex_);
        if (!stopped_) {
            pending_.push_back(std::move(job));
            wake_.notify_one();
            return;
        }
    }
    failed_jobs_.fetch_add(1, std::memory_order_relaxed);
    finish(job, false);
}

std::size_t BatchWriter::pending() {
    std::lock_guard lock(mutex_);
    return pending_.size();
}

void BatchWriter::run() {
    std::vector<WriterJob> batch;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
            if (pending_.empty()) {
                // Stopping, and every job is done. Jobs submitted from here on fail at once.
                stopped_ = true;
                return;
            }
            batch.swap(pending_);
        }
        run_batch(batch);
        batch.clear();
    }
}

void BatchWriter::run_batch(std::vector<WriterJob>& batch) {
    std::vector<bool> succeeded(batch.size(), false);
    bool transaction_open = false;
    std::size_t first_in_transaction = 0;

    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (!transaction_open) {
            try {
                database_->begin();
                transaction_open = true;
                first_in_transaction = i;
            } catch (...) {
                report("cannot begin a transaction", std::current_exception());
                break; // the jobs from here on stay failed
            }
        }
        if (!batch[i].work) {
            succeeded[i] = true;
            continue;
        }
        try {
            Database::Savepoint step(*database_);
            batch[i].work(*database_);
            step.release();
            succeeded[i] = true;
        } catch (...) {
            report("a job failed", std::current_exception());
            if (!database_->in_transaction()) {
                // SQLite dropped the whole transaction (disk full, I/O error): the jobs before
                // this one in it are lost as well. The next job starts a new transaction.
                std::fill(succeeded.begin() + static_cast<std::ptrdiff_t>(first_in_transaction),
                          succeeded.begin() + static_cast<std::ptrdiff_t>(i), false);
                transaction_open = false;
            }
        }
    }

    if (transaction_open) {
        try {
            database_->commit();
        } catch (...) {
            report("cannot commit", std::current_exception());
            database_->rollback();
            std::fill(succeeded.begin() + static_cast<std::ptrdiff_t>(first_in_transaction),
                      succeeded.end(), false);
        }
    }

    try {
        database_->wipe_forgotten_content();
    } catch (...) {
        report("cannot checkpoint the log after deleting content", std::current_exception());
    }

    batches_.fetch_add(1, std::memory_order_relaxed);
    failed_jobs_.fetch_add(
        static_cast<std::uint64_t>(std::count(succeeded.begin(), succeeded.end(), false)),
        std::memory_order_relaxed);
    // Only now: a caller told "true" must be able to rely on the row surviving a crash.
    for (std::size_t i = 0; i < batch.size(); ++i) {
        finish(batch[i], succeeded[i]);
    }
}

} // namespace neuvo::store
