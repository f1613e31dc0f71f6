#pragma once

#include "neuvo/store/database.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace neuvo::store {

// One unit of work for the writer thread. `work` runs inside the batch's transaction (empty: a
// barrier that only waits its turn); `finish` is told after the COMMIT whether the work is
// durable, and runs on the writer thread.
struct WriterJob {
    std::function<void(Database&)> work;
    std::function<void(bool committed)> finish;
};

// The one thread that owns the database connection. It takes every job pending at once and runs
// them in one transaction: a commit costs a disk sync, so a burst of register writes pays for one
// instead of one each. Each job has a savepoint of its own, so one bad job fails alone.
class BatchWriter {
public:
    explicit BatchWriter(std::unique_ptr<Database> database);
    ~BatchWriter(); // runs every job already submitted, then stops
    BatchWriter(const BatchWriter&) = delete;
    BatchWriter& operator=(const BatchWriter&) = delete;

    // Never blocks on the disk. After the thread has stopped, the job finishes at once with false.
    void submit(WriterJob job);
    bool on_writer_thread() const { return std::this_thread::get_id() == thread_.get_id(); }

    // For the metrics, from any thread: batches run (each one transaction), jobs whose work did
    // not become durable, and jobs submitted but not yet run.
    std::uint64_t batches() const { return batches_.load(std::memory_order_relaxed); }
    std::uint64_t failed_jobs() const { return failed_jobs_.load(std::memory_order_relaxed); }
    std::size_t pending();

private:
    void run();
    void run_batch(std::vector<WriterJob>& batch);

    std::unique_ptr<Database> database_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<WriterJob> pending_;
    bool stopping_ = false;
    bool stopped_ = false;
    std::atomic<std::uint64_t> batches_{0};
    std::atomic<std::uint64_t> failed_jobs_{0};
    std::thread thread_; // last, so that it starts after everything it uses exists
};

} // namespace neuvo::store
