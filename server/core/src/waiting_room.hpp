#pragma once

#include "neuvo/core/messages.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

namespace neuvo::core {

// Clients waiting for an advisor: one first-come, first-served line per language. Every arrival
// takes a ticket from one counter shared by all lines, so "who has waited longest" compares across
// languages without trusting a wall clock that may jump. A client put back at the head of its line
// takes a ticket below every other one.
//
// Each line is also kept split by home municipality, in ticket order: whether an advisor may serve
// a client depends on the client's home, so an advisor looking for its next client reads the first
// few of each home it serves instead of the whole line.
class WaitingRoom {
public:
    using Ticket = std::int64_t;
    using Bucket = std::map<Ticket, SessionId>; // one home's clients in a line, in ticket order

    struct Place {
        Ticket ticket = 0;
        SessionId client = 0;
    };

    Ticket join(SessionId client, const std::string& language, const std::string& home);
    Ticket join_at_head(SessionId client, const std::string& language, const std::string& home);
    void leave(const std::string& language, const std::string& home, Ticket ticket);

    std::size_t length(const std::string& language) const;
    bool empty() const { return lines_.empty(); }

    // The line in order, or nullptr when nobody waits for the language.
    const std::deque<Place>* line(const std::string& language) const;
    // The line by home, or nullptr when nobody waits for the language.
    const std::map<std::string, Bucket>* by_home(const std::string& language) const;
    std::vector<std::string> languages() const;

    // Per line, the first index whose occupant changed since the last call: whoever joined and
    // everyone behind someone who left. Nobody in front of that index moved.
    std::map<std::string, std::size_t> take_moved_from();

private:
    struct Line {
        std::deque<Place> order; // ascending tickets
        std::map<std::string, Bucket> homes;
    };

    void note_move(const std::string& language, std::size_t index);

    std::map<std::string, Line> lines_; // no empty lines are kept
    std::map<std::string, std::size_t> moved_from_;
    Ticket next_ticket_ = 1;
    Ticket next_head_ticket_ = 0; // counts down
};

} // namespace neuvo::core
