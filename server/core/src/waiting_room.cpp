#include "waiting_room.hpp"

#include <algorithm>

namespace neuvo::core {

namespace {

void note_move(std::map<std::string, std::size_t>& moved_from, const std::string& language,
               std::size_t index) {
    auto [it, fresh] = moved_from.try_emplace(language, index);
    if (!fresh) {
        it->second = std::min(it->second, index);
    }
}

} // namespace

void WaitingRoom::join(SessionId client, const std::string& language) {
    auto& line = lines_[language];
    note_move(moved_from_, language, line.size());
    line.push_back(Ticket{next_ticket_++, client});
}

void WaitingRoom::leave(SessionId client, const std::string& language) {
    auto line = lines_.find(language);
    if (line == lines_.end()) {
        return;
    }
    auto& tickets = line->second;
    auto it = std::find_if(tickets.begin(), tickets.end(),
                           [&](const Ticket& ticket) { return ticket.client == client; });
    if (it == tickets.end()) {
        return;
    }
    note_move(moved_from_, language, static_cast<std::size_t>(it - tickets.begin()));
    tickets.erase(it);
    if (tickets.empty()) {
        lines_.erase(line);
    }
}

std::size_t WaitingRoom::length(const std::string& language) const {
    auto line = lines_.find(language);
    return line == lines_.end() ? 0 : line->second.size();
}

std::vector<WaitingRoom::Move> WaitingRoom::take_moves() {
    std::vector<Move> moves;
    for (const auto& [language, first] : moved_from_) {
        auto line = lines_.find(language);
        if (line == lines_.end()) {
            continue;
        }
        for (std::size_t i = first; i < line->second.size(); ++i) {
            moves.push_back(Move{line->second[i].client, language, static_cast<int>(i) + 1});
        }
    }
    moved_from_.clear();
    return moves;
}

std::vector<SessionId>
WaitingRoom::longest_waiting_first(const std::set<std::string>& languages) const {
    std::vector<Ticket> tickets;
    for (const std::string& language : languages) {
        if (auto line = lines_.find(language); line != lines_.end()) {
            tickets.insert(tickets.end(), line->second.begin(), line->second.end());
        }
    }
    std::sort(tickets.begin(), tickets.end(),
              [](const Ticket& a, const Ticket& b) { return a.number < b.number; });
    std::vector<SessionId> clients;
    clients.reserve(tickets.size());
    for (const Ticket& ticket : tickets) {
        clients.push_back(ticket.client);
    }
    return clients;
}

} // namespace neuvo::core
