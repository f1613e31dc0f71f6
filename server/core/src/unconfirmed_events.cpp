#include "unconfirmed_events.hpp"

#include <utility>

namespace neuvo::core {

void UnconfirmedEvents::keep(std::uint64_t seq, Outbound event, std::size_t limit) {
    events_.push_back(Kept{seq, std::move(event)});
    while (events_.size() > limit) {
        dropped_through_ = events_.front().seq;
        events_.pop_front();
    }
}

void UnconfirmedEvents::confirm_through(std::uint64_t seq) {
    while (!events_.empty() && events_.front().seq <= seq) {
        events_.pop_front();
    }
}

std::vector<Outbound> UnconfirmedEvents::after(std::uint64_t seq) const {
    std::vector<Outbound> events;
    for (const Kept& kept : events_) {
        if (kept.seq > seq) {
            events.push_back(kept.event);
        }
    }
    return events;
}

void UnconfirmedEvents::clear() {
    events_.clear();
    dropped_through_ = 0;
}

} // namespace neuvo::core
