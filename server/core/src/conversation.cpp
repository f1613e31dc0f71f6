#include "conversation.hpp"

#include <algorithm>

namespace neuvo::core {

const Conversation::Seat* Conversation::lead() const {
    auto it = std::find_if(seats_.begin(), seats_.end(), [](const Seat& s) { return s.lead; });
    return it == seats_.end() ? nullptr : &*it;
}

const Conversation::Seat* Conversation::seat_of(AdvisorId advisor) const {
    auto it = std::find_if(seats_.begin(), seats_.end(),
                           [&](const Seat& s) { return s.advisor == advisor; });
    return it == seats_.end() ? nullptr : &*it;
}

const Conversation::Seat* Conversation::seat_on(SessionId session) const {
    auto it = std::find_if(seats_.begin(), seats_.end(),
                           [&](const Seat& s) { return s.session == session; });
    return it == seats_.end() ? nullptr : &*it;
}

std::vector<SessionId> Conversation::sessions_except(SessionId except) const {
    std::vector<SessionId> sessions;
    if (facts_.client != except) {
        sessions.push_back(facts_.client);
    }
    for (SessionId companion : companions_) {
        if (companion != except) {
            sessions.push_back(companion);
        }
    }
    for (const Seat& seat : seats_) {
        if (seat.session != except) {
            sessions.push_back(seat.session);
        }
    }
    return sessions;
}

void Conversation::add_advisor(AdvisorId advisor, SessionId session, bool lead) {
    if (lead) {
        for (Seat& seat : seats_) {
            seat.lead = false;
        }
    }
    seats_.push_back(Seat{advisor, session, lead});
}

void Conversation::remove_advisor(AdvisorId advisor) {
    std::erase_if(seats_, [&](const Seat& s) { return s.advisor == advisor; });
}

void Conversation::make_lead(AdvisorId advisor) {
    for (Seat& seat : seats_) {
        seat.lead = seat.advisor == advisor;
    }
}

void Conversation::move_advisor_to(AdvisorId advisor, SessionId session) {
    for (Seat& seat : seats_) {
        if (seat.advisor == advisor) {
            seat.session = session;
        }
    }
}

AdvisorId Conversation::key_of(SessionId participant) const {
    if (const Seat* seat = seat_on(participant)) {
        return seat->advisor;
    }
    // A companion's key is below zero, apart from the client's and every advisor's.
    return is_companion(participant) ? -static_cast<AdvisorId>(participant) : client_key;
}

std::optional<std::uint64_t> Conversation::seq_of(AdvisorId sender,
                                                  const std::string& message_id) const {
    return messages_.seq_of(sender, message_id);
}

void Conversation::remember(AdvisorId sender, const std::string& message_id, std::uint64_t seq) {
    messages_.remember(sender, message_id, seq);
}

std::optional<AdvisorId> Conversation::sender_of(const std::string& message_id,
                                                 std::uint64_t seq) const {
    return messages_.sender_of(message_id, seq);
}

void Conversation::acknowledge(AdvisorId receiver, std::uint64_t seq) {
    // Acks may arrive out of order; only the highest one says what the receiver has.
    std::uint64_t& acknowledged = acknowledged_[receiver];
    acknowledged = std::max(acknowledged, seq);
    if (receiver != client_key) {
        drop_confirmed_by_advisors();
    }
}

void Conversation::keep_for_advisors(std::uint64_t seq, const Outbound& event, std::size_t limit) {
    unconfirmed_by_advisors_.keep(seq, event, limit);
}

std::vector<Outbound> Conversation::events_after(std::uint64_t seq) const {
    return unconfirmed_by_advisors_.after(seq);
}

void Conversation::drop_confirmed_by_advisors() {
    std::uint64_t confirmed_by_all = last_seq_;
    for (const Seat& seat : seats_) {
        confirmed_by_all = std::min(confirmed_by_all, acknowledged(seat.advisor));
    }
    unconfirmed_by_advisors_.confirm_through(confirmed_by_all);
}

std::uint64_t Conversation::acknowledged(AdvisorId receiver) const {
    auto it = acknowledged_.find(receiver);
    return it == acknowledged_.end() ? 0 : it->second;
}

} // namespace neuvo::core
