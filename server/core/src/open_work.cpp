// Open work outlives the process: every client session that waits or talks is kept in the store
// with its conversation and the conversation's numbered events, and every signed-in advisor's
// presence, so that after a restart (an upgrade, a crash) clients resume with their tokens and
// advisors come back with their cookies, as after any dropped connection. The core only says
// what to keep; the shell keeps it, and hands it back to restore() when it starts.
#include "neuvo/core/switchboard.hpp"

#include "switchboard_state.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace neuvo::core {

OpenClient Switchboard::State::open_client(SessionId id, const ClientSession& session) const {
    OpenClient open;
    open.resume_token = session.resume_token;
    open.requester = session.requester;
    open.also_speaks = session.also_speaks;
    if (session.waiting) {
        const Request& request = *session.waiting;
        open.waiting = OpenRequest{request.id,           request.language,    request.home,
                                   request.at,           request.transfer_of, request.transfer_from,
                                   request.transfer_note};
    }
    open.conversation = session.conversation;
    if (session.conversation.empty()) {
        return open;
    }
    const Conversation& talk = conversations.at(session.conversation);
    const Conversation::Facts& facts = talk.facts();
    if (facts.client != id) {
        return open; // a clerk's customer: the conversation is kept with the clerk
    }
    OpenConversation kept{facts.id,
                          facts.request_id,
                          facts.language,
                          facts.home,
                          facts.tier,
                          facts.requested_at,
                          facts.started_at,
                          facts.channel,
                          facts.organisation,
                          {},
                          talk.transfers,
                          talk.transfer_from_point,
                          talk.transfer_to_point,
                          talk.invited_advisors,
                          talk.last_lead_point};
    for (const Conversation::Seat& seat : talk.seats()) {
        kept.seats.push_back(OpenSeat{seat.advisor, seat.lead});
    }
    open.talk = std::move(kept);
    return open;
}

void Switchboard::State::keep_open_work(Effects& effects) {
    // Whoever was told something may have changed; so may whoever the event touched silently.
    for (const Effect& effect : effects) {
        if (const auto* deliver = std::get_if<Deliver>(&effect)) {
            if (clients.contains(deliver->to)) {
                touched_clients.insert(deliver->to);
            } else if (std::holds_alternative<PresenceState>(deliver->message)) {
                if (auto it = advisor_sessions.find(deliver->to); it != advisor_sessions.end()) {
                    touched_advisors.insert(it->second);
                }
            }
        }
    }
    for (SessionId id : touched_clients) {
        auto it = clients.find(id);
        if (it == clients.end() || it->second.resume_token.empty()) {
            continue;
        }
        ClientSession& session = it->second;
        if (!session.waiting && session.conversation.empty()) {
            forget_client(session, effects);
            continue;
        }
        OpenClient open = open_client(id, session);
        if (!session.kept || *session.kept != open) {
            session.kept = std::make_unique<OpenClient>(open);
            effects.push_back(KeepClient{std::move(open)});
        }
    }
    touched_clients.clear();
    for (AdvisorId id : touched_advisors) {
        auto it = advisors.find(id);
        if (it == advisors.end()) {
            continue;
        }
        SignedInAdvisor& advisor = it->second;
        OpenAdvisor open{id, advisor.status, advisor.capacity, advisor.follow_schedule};
        if (advisor.kept != open) {
            advisor.kept = open;
            effects.push_back(KeepAdvisor{open});
        }
    }
    touched_advisors.clear();
}

void Switchboard::State::forget_client(ClientSession& session, Effects& effects) {
    if (session.kept) {
        effects.push_back(ForgetClient{session.resume_token});
        session.kept.reset();
    }
}

void Switchboard::State::keep_in_store(const Conversation& talk, const Outbound& event,
                                       Effects& effects) {
    auto client = clients.find(talk.facts().client);
    const std::optional<std::uint64_t> seq = event_seq(event);
    // The end is not kept: the conversation's events are deleted with it.
    if (client == clients.end() || client->second.resume_token.empty() || !seq ||
        std::holds_alternative<ConversationEnded>(event)) {
        return;
    }
    AdvisorId sender = Conversation::client_key;
    if (const auto* message = std::get_if<ChatMessage>(&event);
        message != nullptr && message->from == Role::advisor) {
        sender = talk.sender_of(message->message_id, *seq).value_or(Conversation::client_key);
    }
    effects.push_back(KeepEvent{OpenEvent{talk.facts().id, *seq, sender, event}});
}

Effects Switchboard::restore(OpenWork work) {
    State& s = *state_;
    Effects effects;
    const TimePoint now = s.clock.now();

    std::map<std::string, std::vector<OpenEvent>> events_of;
    for (OpenEvent& event : work.events) {
        events_of[event.conversation].push_back(std::move(event));
    }
    for (auto& [conversation, events] : events_of) {
        std::sort(events.begin(), events.end(),
                  [](const OpenEvent& a, const OpenEvent& b) { return a.seq < b.seq; });
    }

    // Advisors come back only to lead a conversation that waits for them, or to write a wrap-up
    // they owe: the others would have been signed out when their socket went, as the restart
    // took it.
    std::set<AdvisorId> leads;
    for (const OpenVisit& visit : work.visits) {
        leads.insert(visit.advisor);
    }
    for (const auto& [session, open] : work.clients) {
        if (open.talk) {
            for (const OpenSeat& seat : open.talk->seats) {
                if (seat.lead) {
                    leads.insert(seat.advisor);
                }
            }
        }
    }
    for (auto& [open, profile] : work.advisors) {
        if (!leads.contains(open.id) || s.advisors.contains(open.id) || profile.id != open.id) {
            effects.push_back(ForgetAdvisor{open.id});
            continue;
        }
        SignedInAdvisor advisor;
        advisor.point = s.network.find_point(profile.point_id);
        advisor.point_index =
            advisor.point == nullptr
                ? 0
                : static_cast<std::size_t>(advisor.point - s.network.points.data());
        advisor.profile = std::move(profile);
        advisor.status = open.status;
        advisor.capacity = std::clamp(open.capacity, 1, s.policy.max_capacity);
        advisor.idle_since = now;
        advisor.grace_until = now + s.policy.advisor_grace;
        advisor.kept = open;
        s.grace_deadlines.emplace(*advisor.grace_until, open.id);
        auto placed = s.advisors.emplace(open.id, std::move(advisor)).first;
        s.set_follow_schedule(placed->second, open.follow_schedule);
        s.add_speaker(placed->second);
    }

    // A row waiting for a wrap-up waits on for its advisor, or is written without it now.
    for (OpenVisit& visit : work.visits) {
        const std::string id = visit.record.conversation;
        if (id.empty() || s.wrapups.contains(id)) {
            continue;
        }
        auto advisor = s.advisors.find(visit.advisor);
        if (advisor == s.advisors.end()) {
            visit.record.wrapup_state = "missing";
            effects.push_back(RecordVisit{std::move(visit.record)});
            continue;
        }
        s.wrapups.emplace(
            id, PendingWrapup{std::move(visit.record), visit.advisor, visit.due, false, ""});
        s.wrapup_deadlines.emplace(visit.due, id);
        advisor->second.wrapups.push_back(id);
    }

    // Every client comes back as one whose connection just dropped.
    std::vector<SessionId> restored;
    for (auto& [session, open] : work.clients) {
        // The store keeps one row per token, so these are never there; if they were, the row
        // would belong to the session already restored under it.
        if (open.resume_token.empty() || s.clients.contains(session) ||
            s.advisor_sessions.contains(session) || s.resume_tokens.contains(open.resume_token)) {
            continue;
        }
        ClientSession& client = s.clients[session];
        client.requester = open.requester;
        client.resume_token = open.resume_token;
        client.also_speaks = open.also_speaks;
        client.away_until = now + s.policy.client_grace;
        client.kept = std::make_unique<OpenClient>(open);
        s.resume_tokens[client.resume_token] = session;
        s.client_grace_deadlines.emplace(*client.away_until, session);
        s.touched_clients.insert(session);
        restored.push_back(session);
    }

    // The events a client has not confirmed are kept for its resume; its own messages never are.
    auto keep_events = [&](ClientSession& client, const std::string& conversation) {
        client.unconfirmed_of = conversation;
        for (const OpenEvent& event : events_of[conversation]) {
            const auto* message = std::get_if<ChatMessage>(&event.event);
            if (message != nullptr && message->from == Role::client) {
                continue;
            }
            client.unconfirmed.keep(event.seq, event.event, s.policy.max_unconfirmed_events);
        }
    };

    std::vector<std::string> conversations;
    for (auto& [session, open] : work.clients) {
        if (!open.talk || !s.clients.contains(session) ||
            s.clients.at(session).resume_token != open.resume_token ||
            s.conversations.contains(open.talk->id)) {
            continue;
        }
        const OpenConversation& kept = *open.talk;
        Conversation& talk =
            s.conversations
                .emplace(kept.id,
                         Conversation(Conversation::Facts{
                             kept.id, session, kept.request_id, kept.language, kept.home, kept.tier,
                             kept.requested_at, kept.started_at, kept.channel, kept.organisation}))
                .first->second;
        // Invited colleagues are guests, whom a conversation does not wait for: only the lead
        // comes back to it.
        for (const OpenSeat& seat : kept.seats) {
            auto advisor = s.advisors.find(seat.advisor);
            if (seat.lead && advisor != s.advisors.end()) {
                talk.add_advisor(seat.advisor, advisor->second.session, true);
                advisor->second.conversations.push_back(kept.id);
            }
        }
        talk.transfers = kept.transfers;
        talk.transfer_from_point = kept.transfer_from_point;
        talk.transfer_to_point = kept.transfer_to_point;
        talk.invited_advisors = kept.invited_advisors;
        talk.last_lead_point = kept.last_lead_point;
        for (const OpenEvent& event : events_of[kept.id]) {
            talk.continue_after(event.seq);
            talk.keep_for_advisors(event.seq, event.event, s.policy.max_unconfirmed_events);
            if (const auto* message = std::get_if<ChatMessage>(&event.event)) {
                talk.remember(event.sender, message->message_id, event.seq);
            }
        }
        ClientSession& client = s.clients.at(session);
        client.conversation = kept.id;
        keep_events(client, kept.id);
        conversations.push_back(kept.id);
    }
    // A clerk's customer who joined from a kiosk, when the clerk's conversation came back.
    for (auto& [session, open] : work.clients) {
        auto client = s.clients.find(session);
        if (open.talk || open.conversation.empty() || client == s.clients.end() ||
            client->second.resume_token != open.resume_token) {
            continue;
        }
        auto talk = s.conversations.find(open.conversation);
        if (talk == s.conversations.end() || talk->second.has_participant(session)) {
            continue;
        }
        talk->second.add_companion(session);
        client->second.conversation = open.conversation;
        keep_events(client->second, open.conversation);
    }

    // The lines are rebuilt in the order their clients first joined them.
    std::vector<std::pair<SessionId, OpenRequest>> waiting;
    for (auto& [session, open] : work.clients) {
        auto client = s.clients.find(session);
        if (!open.waiting || client == s.clients.end() ||
            client->second.resume_token != open.resume_token || client->second.waiting) {
            continue;
        }
        const OpenRequest& request = *open.waiting;
        if (!request.transfer_of.empty() && client->second.conversation != request.transfer_of) {
            continue; // its conversation did not come back
        }
        if (request.transfer_of.empty() && !client->second.conversation.empty()) {
            continue;
        }
        waiting.emplace_back(session, request);
    }
    std::stable_sort(waiting.begin(), waiting.end(),
                     [](const auto& a, const auto& b) { return a.second.at < b.second.at; });
    for (auto& [session, open] : waiting) {
        Request request;
        request.id = open.id;
        request.language = open.language;
        request.home = open.home;
        request.at = open.at;
        request.transfer_of = open.transfer_of;
        request.transfer_from = open.transfer_from;
        request.transfer_note = open.transfer_note;
        s.enter_line(session, std::move(request), false);
    }

    // A conversation whose lead did not come back, and that is not already in a queue, waits in
    // its language's queue for the next advisor, as after a transfer.
    for (const std::string& id : conversations) {
        Conversation& talk = s.conversations.at(id);
        const ClientSession& client = s.clients.at(talk.facts().client);
        if (talk.lead() == nullptr && !client.waiting) {
            s.rehome(talk, effects);
        }
    }
    // Nothing left to continue: a session without a request or a conversation is not kept.
    for (SessionId session : restored) {
        ClientSession& client = s.clients.at(session);
        if (!client.waiting && client.conversation.empty()) {
            s.drop_client(session, effects);
        }
    }
    s.finish(effects);
    return effects;
}

} // namespace neuvo::core
