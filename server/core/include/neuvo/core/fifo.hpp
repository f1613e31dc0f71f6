#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace neuvo::core {

// A first-in, first-out queue in one array that allocates nothing until something is pushed.
// std::deque allocates its map and a first block when it is constructed (about 500 bytes with
// libstdc++), which every idle connection's unconfirmed events would pay: a megabyte per four
// thousand people who only have the page open.
template <class T> class Fifo {
public:
    bool empty() const { return head_ == items_.size(); }
    std::size_t size() const { return items_.size() - head_; }
    T& front() { return items_[head_]; }
    const T& front() const { return items_[head_]; }
    auto begin() const { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
    auto end() const { return items_.end(); }

    void push_back(T item) { items_.push_back(std::move(item)); }

    void pop_front() {
        items_[head_] = T{}; // what it held goes now, not when the array is next compacted
        ++head_;
        if (head_ == items_.size()) {
            clear();
        } else if (head_ >= compact_after && head_ * 2 >= items_.size()) {
            // The dead front is at least half the array: moving the live half down costs no more
            // than the pops that made it, so a queue that never empties stays bounded.
            items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
            head_ = 0;
        }
    }

    void clear() {
        items_.clear();
        head_ = 0;
    }

private:
    static constexpr std::size_t compact_after = 32;
    std::vector<T> items_;
    std::size_t head_ = 0; // items_[0, head_) have been popped
};

} // namespace neuvo::core
