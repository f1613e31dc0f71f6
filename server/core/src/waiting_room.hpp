#pragma once

#include "neuvo/core/messages.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace neuvo::core {

// Clients waiting for an advisor: one first-come, first-served line per language. Every arrival
// takes a ticket from one counter shared by all lines, so "who has waited longest" compares across
// languages without trusting a wall clock that may jump.
class WaitingRoom {
public:
    struct Move {
        SessionId client = 0;
        std::string language;
        int position = 0; // 1 = next in its line
    };

    void join(SessionId client, const std::string& language);
    void leave(SessionId client, const std::string& language);

    std::size_t length(const std::string& language) const;
    bool empty() const { return lines_.empty(); }

    // Everyone whose place changed since the last call, by language and position: whoever joined
    // and everyone behind someone who left. Lines only grow at the back, so nobody else moved.
    std::vector<Move> take_moves();

    // Everyone waiting in the given languages' lines, the longest-waiting first.
    std::vector<SessionId> longest_waiting_first(const std::set<std::string>& languages) const;

private:
    struct Ticket {
        std::uint64_t number = 0;
        SessionId client = 0;
    };

    std::map<std::string, std::deque<Ticket>> lines_; // no empty lines are kept
    std::map<std::string, std::size_t> moved_from_;   // per line, the first index that moved
    std::uint64_t next_ticket_ = 1;
};

} // namespace neuvo::core
