// A phone that changes cells, or a kiosk whose network blinks, drops its socket without a word.
// The client's session then waits for the resume window: its queue place, its conversation and
// the numbered events it has not confirmed stay, and a new connection presenting the session's
// token takes it over and gets exactly what it missed, in order.
#include "neuvo/core/switchboard.hpp"

#include "error_reply.hpp"
#include "switchboard_state.hpp"

#include <algorithm>

namespace neuvo::core {

// The conversation's number of an event, when it has one (chat messages, the end, who joined
// or left); typing indications and replies have none and are never resent.
std::optional<std::uint64_t> event_seq(const Outbound& event) {
    return std::visit(
        [](const auto& message) -> std::optional<std::uint64_t> {
            if constexpr (requires { message.seq; }) {
                return message.seq;
            } else {
                return std::nullopt;
            }
        },
        event);
}

bool Switchboard::State::worth_holding(const ClientSession& session) const {
    return !session.resume_token.empty() &&
           (session.waiting || !session.conversation.empty() || !session.rateable.empty() ||
            !session.unconfirmed.empty());
}

void Switchboard::State::hold_client(SessionId client, Effects& effects) {
    ClientSession& session = clients.at(client);
    session.away_until = clock.now() + policy.client_grace;
    client_grace_deadlines.emplace(*session.away_until, client);
    if (session.conversation.empty()) {
        return;
    }
    const Conversation& talk = conversations.at(session.conversation);
    // A clerk's customer at a kiosk is one of two on the client side: the clerk is still there.
    if (talk.facts().client != client) {
        return;
    }
    for (const Conversation::Seat& seat : talk.seats()) {
        if (advisors.at(seat.advisor).connected()) {
            effects.push_back(
                Deliver{seat.session, ClientConnection{talk.facts().id, "reconnecting"}});
        }
    }
}

void Switchboard::State::keep_for_resume(SessionId client, const Conversation& talk,
                                         const Outbound& event) {
    auto it = clients.find(client);
    if (it == clients.end() || it->second.resume_token.empty()) {
        return;
    }
    const std::optional<std::uint64_t> seq = event_seq(event);
    if (!seq) {
        return;
    }
    ClientSession& session = it->second;
    if (session.unconfirmed_of != talk.facts().id) {
        session.unconfirmed.clear();
        session.unconfirmed_of = talk.facts().id;
    }
    session.unconfirmed.keep(*seq, event, policy.max_unconfirmed_events);
}

void Switchboard::State::confirm_events(ClientSession& session, std::uint64_t seq) {
    session.unconfirmed.confirm_through(seq);
}

Effects Switchboard::resume_client(SessionId session, const std::string& token,
                                   std::uint64_t last_seq, const std::string& ref) {
    State& s = *state_;
    auto fresh = s.clients.find(session);
    if (fresh == s.clients.end()) {
        return error_reply(session, "not_allowed", "only clients resume a session", ref);
    }
    if (fresh->second.waiting || !fresh->second.conversation.empty() ||
        !fresh->second.rateable.empty()) {
        return error_reply(session, "already_requested",
                           "a connection resumes first, before it asks for anything", ref);
    }
    auto found = s.resume_tokens.find(token);
    if (token.empty() || found == s.resume_tokens.end() || found->second == session) {
        return error_reply(session, "resume_expired",
                           "the earlier session is over (too long away, or unknown); start again",
                           ref);
    }
    const SessionId held = found->second;
    ClientSession& earlier = s.clients.at(held);
    Effects effects;
    if (last_seq < earlier.unconfirmed.dropped_through()) {
        // Events it never confirmed are gone: continuing would hide them, so it ends here.
        s.drop_client(held, effects);
        effects.push_back(Deliver{
            session,
            ErrorReply{"resume_expired",
                       "too much was missed to continue the conversation; start again", ref}});
        s.finish(effects);
        return effects;
    }

    // The session keeps its token for its whole life: a resume whose answer is lost in another
    // drop is simply tried again with it. The fresh connection's own token is spent unused.
    s.resume_tokens.erase(fresh->second.resume_token);
    s.clients.erase(fresh);
    const bool was_away = earlier.away_until.has_value();
    if (was_away) {
        s.client_grace_deadlines.erase({*earlier.away_until, held});
        earlier.away_until.reset();
    }
    effects.push_back(ResumeSession{session, held});

    Resumed resumed{ref, "idle", ""};
    const Conversation* talk = nullptr;
    if (!earlier.conversation.empty()) {
        talk = &s.conversations.at(earlier.conversation);
        resumed.state = "conversation";
        resumed.conversation = earlier.conversation;
    } else if (earlier.waiting) {
        resumed.state = "waiting";
    } else if (!earlier.rateable.empty() || !earlier.unconfirmed.empty()) {
        resumed.state = "ended";
        resumed.conversation = earlier.rateable.empty() ? earlier.unconfirmed_of : earlier.rateable;
    }
    effects.push_back(Deliver{held, resumed});

    if (earlier.waiting) {
        // The next Queued goes out even though nothing about the line changed.
        earlier.waiting->told.reset();
        s.restaffed.insert(earlier.waiting->language);
    }
    if (talk != nullptr) {
        const Conversation::Facts& facts = talk->facts();
        ConversationStarted started;
        started.conversation = facts.id;
        started.request_id = facts.client == held ? facts.request_id : std::string();
        started.language = facts.language;
        started.home_municipality = facts.home;
        started.tier = facts.tier;
        const Conversation::Seat* lead = talk->lead();
        if (lead != nullptr) {
            const SignedInAdvisor& advisor = s.advisors.at(lead->advisor);
            started.advisor_name = advisor.profile.display_name;
            started.point_id = advisor.profile.point_id;
            started.point_name = advisor.point ? advisor.point->name : std::string();
        }
        effects.push_back(Deliver{held, std::move(started)});
        if (lead != nullptr && !s.advisors.at(lead->advisor).connected()) {
            effects.push_back(Deliver{held, AdvisorConnection{facts.id, "reconnecting"}});
        }
    }
    for (Outbound& missed : earlier.unconfirmed.after(last_seq)) {
        effects.push_back(Deliver{held, std::move(missed)});
    }
    if (talk != nullptr && was_away && talk->facts().client == held) {
        for (const Conversation::Seat& seat : talk->seats()) {
            if (s.advisors.at(seat.advisor).connected()) {
                effects.push_back(
                    Deliver{seat.session, ClientConnection{talk->facts().id, "back"}});
            }
        }
    }
    s.finish(effects);
    return effects;
}

} // namespace neuvo::core
