#pragma once

#include "neuvo/core/fifo.hpp"
#include "neuvo/core/messages.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace neuvo::core {

// Numbered events of one conversation kept until their receiver confirms them, oldest first: what
// a reconnecting participant may have missed. At most `limit` are kept; past it the oldest go, and
// dropped_through() tells a resume that it can no longer be made whole.
class UnconfirmedEvents {
public:
    struct Kept {
        std::uint64_t seq = 0;
        Outbound event;
    };

    void keep(std::uint64_t seq, Outbound event, std::size_t limit);
    // The receiver has everything up to `seq`.
    void confirm_through(std::uint64_t seq);
    // The kept events after `seq`, in order.
    std::vector<Outbound> after(std::uint64_t seq) const;
    // Events up to this seq were dropped unconfirmed (over the limit); 0: none.
    std::uint64_t dropped_through() const { return dropped_through_; }
    bool empty() const { return events_.empty(); }
    // Forgets everything, the record of dropped events included: for a new conversation.
    void clear();

private:
    Fifo<Kept> events_;
    std::uint64_t dropped_through_ = 0;
};

} // namespace neuvo::core
