#include "task_thread.hpp"

#include <exception>
#include <iostream>

namespace neuvo::store {
namespace {

void run_reporting_failure(const std::function<void()>& task) {
    try {
        task();
    } catch (const std::exception& error) {
        // A caller's faulty callback must not stop sign-ins for everyone else.
        std::cerr << "neuvo store: a background task threw: " << error.what() << '\n';
    } catch (...) {
        std::cerr << "neuvo store: a background task threw an unknown exception\n";
    }
}

} // namespace

TaskThread::TaskThread() : thread_([this] { run(); }) {}

TaskThread::~TaskThread() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void TaskThread::post(std::function<void()> task) {
    {
        std::lock_guard lock(mutex_);
        if (!stopped_) {
            pending_.push_back(std::move(task));
            wake_.notify_one();
            return;
        }
    }
    run_reporting_failure(task);
}

void TaskThread::run() {
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
            if (pending_.empty()) {
                stopped_ = true;
                return;
            }
            task = std::move(pending_.front());
            pending_.pop_front();
        }
        run_reporting_failure(task);
    }
}

} // namespace neuvo::store
