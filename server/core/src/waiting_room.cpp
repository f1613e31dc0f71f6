#include "waiting_room.hpp"

#include <algorithm>

namespace neuvo::core {

void WaitingRoom::note_move(const std::string& language, std::size_t index) {
    auto [it, fresh] = moved_from_.try_emplace(language, index);
    if (!fresh) {
        it->second = std::min(it->second, index);
    }
}

WaitingRoom::Ticket WaitingRoom::join(SessionId client, const std::string& language,
                                      const std::string& home) {
    Line& line = lines_[language];
    Ticket ticket = next_ticket_++;
    note_move(language, line.order.size());
    line.order.push_back(Place{ticket, client});
    line.homes[home].emplace(ticket, client);
    return ticket;
}

WaitingRoom::Ticket WaitingRoom::join_at_head(SessionId client, const std::string& language,
                                              const std::string& home) {
    Line& line = lines_[language];
    Ticket ticket = next_head_ticket_--;
    note_move(language, 0);
    line.order.push_front(Place{ticket, client});
    line.homes[home].emplace(ticket, client);
    return ticket;
}

void WaitingRoom::leave(const std::string& language, const std::string& home, Ticket ticket) {
    auto line = lines_.find(language);
    if (line == lines_.end()) {
        return;
    }
    auto& order = line->second.order;
    auto it = std::lower_bound(order.begin(), order.end(), ticket,
                               [](const Place& place, Ticket t) { return place.ticket < t; });
    if (it == order.end() || it->ticket != ticket) {
        return;
    }
    note_move(language, static_cast<std::size_t>(it - order.begin()));
    order.erase(it);
    if (auto bucket = line->second.homes.find(home); bucket != line->second.homes.end()) {
        bucket->second.erase(ticket);
        if (bucket->second.empty()) {
            line->second.homes.erase(bucket);
        }
    }
    if (order.empty()) {
        lines_.erase(line);
    }
}

std::size_t WaitingRoom::length(const std::string& language) const {
    auto line = lines_.find(language);
    return line == lines_.end() ? 0 : line->second.order.size();
}

const std::deque<WaitingRoom::Place>* WaitingRoom::line(const std::string& language) const {
    auto line = lines_.find(language);
    return line == lines_.end() ? nullptr : &line->second.order;
}

const std::map<std::string, WaitingRoom::Bucket>*
WaitingRoom::by_home(const std::string& language) const {
    auto line = lines_.find(language);
    return line == lines_.end() ? nullptr : &line->second.homes;
}

std::vector<std::string> WaitingRoom::languages() const {
    std::vector<std::string> result;
    for (const auto& [language, line] : lines_) {
        result.push_back(language);
    }
    return result;
}

std::map<std::string, std::size_t> WaitingRoom::take_moved_from() {
    std::map<std::string, std::size_t> moved;
    moved.swap(moved_from_);
    return moved;
}

} // namespace neuvo::core
