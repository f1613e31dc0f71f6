#pragma once

#include "neuvo/core/clock.hpp"
#include "neuvo/core/messages.hpp"
#include "neuvo/core/service_network.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace neuvo::core {

// One conversation between a client and an advisor. It numbers every event it delivers, remembers
// each sender's message ids so that a resend is recognised, and keeps how far each side has
// confirmed receipt. It never holds message content.
class Conversation {
public:
    struct Facts {
        std::string id;
        SessionId client = 0;
        SessionId advisor = 0; // the advisor's current socket
        AdvisorId advisor_id = 0;
        std::string request_id;
        std::string language;
        std::string home; // a municipality code, "other" or "unknown"
        Tier tier = Tier::national;
        TimePoint requested_at;
        TimePoint started_at;
    };

    explicit Conversation(Facts facts) : facts_(std::move(facts)) {}

    const Facts& facts() const { return facts_; }
    bool has_participant(SessionId session) const {
        return session == facts_.client || session == facts_.advisor;
    }
    // Both only for a participant.
    Role role_of(SessionId participant) const {
        return participant == facts_.advisor ? Role::advisor : Role::client;
    }
    SessionId other_than(SessionId participant) const {
        return participant == facts_.advisor ? facts_.client : facts_.advisor;
    }

    // The advisor continues on a new socket after a reconnection or a newer sign-in.
    void move_advisor_to(SessionId session) { facts_.advisor = session; }

    std::uint64_t take_next_seq() { return ++last_seq_; }
    std::uint64_t last_seq() const { return last_seq_; }

    // The seq a sender's message got the first time it was seen, if it was.
    std::optional<std::uint64_t> seq_of(Role sender, const std::string& message_id) const;
    void remember(Role sender, const std::string& message_id, std::uint64_t seq);

    void acknowledge(Role receiver, std::uint64_t seq);
    std::uint64_t acknowledged(Role receiver) const;

private:
    Facts facts_;
    std::uint64_t last_seq_ = 0;
    std::map<std::string, std::uint64_t> client_messages_;
    std::map<std::string, std::uint64_t> advisor_messages_;
    std::uint64_t client_acknowledged_ = 0;
    std::uint64_t advisor_acknowledged_ = 0;
};

} // namespace neuvo::core
