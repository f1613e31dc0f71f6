#pragma once

#include "neuvo/core/clock.hpp"
#include "neuvo/core/message_ids.hpp"
#include "neuvo/core/messages.hpp"
#include "neuvo/core/service_network.hpp"
#include "unconfirmed_events.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace neuvo::core {

// One conversation between a client and one or more advisors: a lead, whose capacity it uses and
// who may transfer it, and colleagues invited in. It numbers every event it delivers, remembers
// each sender's message ids so that a resend is recognised, and keeps how far each participant
// has confirmed receipt. Of content it holds only the numbered events an advisor in it has not
// confirmed yet, for that advisor's next connection.
class Conversation {
public:
    struct Facts {
        std::string id;
        SessionId client = 0;
        std::string request_id;
        std::string language;
        std::string home; // a municipality code, "other", "abroad" or "unknown"
        Tier tier = Tier::national;
        TimePoint requested_at;
        TimePoint started_at;
        std::string channel = "chat";
        std::string organisation; // a clerk's, for language support
    };

    struct Seat {
        AdvisorId advisor = 0;
        SessionId session = 0; // the advisor's current socket
        bool lead = false;
    };

    explicit Conversation(Facts facts) : facts_(std::move(facts)) {}

    const Facts& facts() const { return facts_; }

    // Advisors in the order they joined; the lead, when there is one, among them.
    const std::vector<Seat>& seats() const { return seats_; }
    const Seat* lead() const;
    const Seat* seat_of(AdvisorId advisor) const;
    const Seat* seat_on(SessionId session) const;
    bool has_participant(SessionId session) const {
        return session == facts_.client || seat_on(session) != nullptr || is_companion(session);
    }
    // The client side: the client who asked, and a clerk's customer who joined from a kiosk.
    bool is_client(SessionId session) const {
        return session == facts_.client || is_companion(session);
    }
    bool is_companion(SessionId session) const {
        return std::find(companions_.begin(), companions_.end(), session) != companions_.end();
    }
    const std::vector<SessionId>& companions() const { return companions_; }
    void add_companion(SessionId session) { companions_.push_back(session); }
    void remove_companion(SessionId session) { std::erase(companions_, session); }
    // Every participant's socket but `except`'s, the client first.
    std::vector<SessionId> sessions_except(SessionId except) const;

    void add_advisor(AdvisorId advisor, SessionId session, bool lead);
    void remove_advisor(AdvisorId advisor);
    void make_lead(AdvisorId advisor);
    // The advisor continues on a new socket after a reconnection or a newer sign-in.
    void move_advisor_to(AdvisorId advisor, SessionId session);

    // A transfer to another language's queue: the conversation goes on in that language.
    void switch_language(std::string language) { facts_.language = std::move(language); }

    std::uint64_t take_next_seq() { return ++last_seq_; }
    std::uint64_t last_seq() const { return last_seq_; }
    // A conversation restored after a restart numbers on from its last kept event.
    void continue_after(std::uint64_t seq) { last_seq_ = std::max(last_seq_, seq); }

    // Senders and receivers are told apart by a key: 0 for the client, the advisor's id else.
    static constexpr AdvisorId client_key = 0;
    AdvisorId key_of(SessionId participant) const;

    // The seq a sender's message got the first time it was seen, if it was.
    std::optional<std::uint64_t> seq_of(AdvisorId sender, const std::string& message_id) const;
    void remember(AdvisorId sender, const std::string& message_id, std::uint64_t seq);
    // Whose message got `seq` under `message_id` (the client_key for the client side).
    std::optional<AdvisorId> sender_of(const std::string& message_id, std::uint64_t seq) const;

    void acknowledge(AdvisorId receiver, std::uint64_t seq);
    std::uint64_t acknowledged(AdvisorId receiver) const;

    // Numbered events kept until every advisor in the conversation has confirmed them, at most
    // `limit` (the oldest go first): what an advisor who reconnects may have missed.
    void keep_for_advisors(std::uint64_t seq, const Outbound& event, std::size_t limit);
    // The kept events after `seq`, in order.
    std::vector<Outbound> events_after(std::uint64_t seq) const;

    // For the register: transfers made, and the points of the last one.
    int transfers = 0;
    std::string transfer_from_point;
    std::string transfer_to_point;
    int invited_advisors = 0;
    std::string last_lead_point; // the point that served it, also once its lead is gone
    std::string customer_code;   // the clerk's code still waiting for the customer, if any
    // When each participant's socket last had a typing indication passed on; gone with the
    // conversation, like everything else about it.
    std::map<SessionId, TimePoint> typing_passed_on;

private:
    Facts facts_;
    std::vector<Seat> seats_;
    std::vector<SessionId> companions_;
    std::uint64_t last_seq_ = 0;
    MessageIds messages_;
    std::map<AdvisorId, std::uint64_t> acknowledged_;
    UnconfirmedEvents unconfirmed_by_advisors_;

    void drop_confirmed_by_advisors();
};

} // namespace neuvo::core
