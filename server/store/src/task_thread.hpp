#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace neuvo::store {

// Runs posted tasks one after another on a thread of its own. The store verifies passwords here:
// argon2id is slow on purpose and must hold up neither the network threads nor register writes.
class TaskThread {
public:
    TaskThread();
    ~TaskThread(); // runs every task already posted, then stops
    TaskThread(const TaskThread&) = delete;
    TaskThread& operator=(const TaskThread&) = delete;

    // After the thread has stopped, the task runs at once on the caller's thread, so that a
    // callback waiting at the end of it is never lost during shutdown.
    void post(std::function<void()> task);
    bool on_this_thread() const { return std::this_thread::get_id() == thread_.get_id(); }

private:
    void run();

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> pending_;
    bool stopping_ = false;
    bool stopped_ = false;
    std::thread thread_; // last, so that it starts after everything it uses exists
};

} // namespace neuvo::store
