#include "switchboard_state.hpp"

#include "blank_text.hpp"
#include "weekly_schedule.hpp"

#include <algorithm>

namespace neuvo::core {

namespace {

std::int64_t whole_seconds(TimePoint from, TimePoint to) {
    // A wall clock stepped backwards must not produce negative waits in the register.
    if (to <= from) {
        return 0;
    }
    return std::chrono::duration_cast<std::chrono::seconds>(to - from).count();
}

} // namespace

Conversation* Switchboard::State::conversation_of(SessionId session, const std::string& id) {
    // Outsiders learn nothing, not even whether the id exists.
    auto it = conversations.find(id);
    if (it == conversations.end() || !it->second.has_participant(session)) {
        return nullptr;
    }
    return &it->second;
}

SignedInAdvisor* Switchboard::State::advisor_on(SessionId session) {
    auto it = advisor_sessions.find(session);
    return it == advisor_sessions.end() ? nullptr : &advisors.at(it->second);
}

std::int64_t Switchboard::State::local_week_second() const {
    TimePoint now = clock.now();
    return week_second(now + clock.utc_offset(now));
}

Staffing Switchboard::State::staffing(const std::string& language) const {
    auto it = staffing_by_language.find(language);
    return it == staffing_by_language.end() ? Staffing{} : it->second;
}

std::optional<std::int64_t> Switchboard::State::estimate(const std::string& language,
                                                         int position) const {
    auto recent = history.find(language);
    return estimate_wait(recent == history.end() ? std::nullopt : recent->second.mean_seconds(),
                         policy.default_service, staffing(language), position);
}

std::optional<ErrorReply> Switchboard::State::text_problem(const std::string& text) const {
    if (is_blank(text)) {
        return ErrorReply{"empty_message", "the message is blank", ""};
    }
    if (text.size() > policy.max_text_bytes) {
        return ErrorReply{
            "message_too_long",
            "the message is longer than " + std::to_string(policy.max_text_bytes) + " bytes", ""};
    }
    return std::nullopt;
}

void Switchboard::State::enter_line(SessionId client, Request request, bool at_head) {
    request.ticket = at_head ? waiting.join_at_head(client, request.language, request.home)
                             : waiting.join(client, request.language, request.home);
    long_wait_deadlines.emplace(request.at + policy.long_wait, client);
    clients.at(client).waiting = std::move(request);
    fresh_clients.insert(client);
    touched_clients.insert(client);
}

void Switchboard::State::leave_line(SessionId client) {
    ClientSession& session = clients.at(client);
    const Request& request = *session.waiting;
    waiting.leave(request.language, request.home, request.ticket);
    long_wait_deadlines.erase({request.at + policy.long_wait, client});
    if (request.news_due) {
        queue_news_deadlines.erase({*request.news_due, client});
    }
    session.waiting.reset();
    touched_clients.insert(client);
}

void Switchboard::State::give_up_request(SessionId client, const std::string& ended_by,
                                         Effects& effects) {
    const Request& request = request_of(client);
    if (!request.offer.empty()) {
        tell_withdrawn(request.offer, "client_left", effects);
    }
    VisitRecord visit;
    visit.outcome = "unserved";
    visit.wrapup_state = "none";
    visit.channel = clients.at(client).requester.channel;
    visit.language = request.language;
    visit.home_municipality = request.home;
    visit.started_hour = std::chrono::floor<std::chrono::hours>(request.at);
    visit.wait_seconds = whole_seconds(request.at, clock.now());
    visit.ended_by = ended_by;
    effects.push_back(RecordVisit{std::move(visit)});
    ++unmet_requests[request.language];
    leave_line(client);
}

void Switchboard::State::accept(const std::string& offer_id, Effects& effects) {
    auto it = offers.find(offer_id);
    PendingOffer offer = it->second;
    offers.erase(it);
    offer_deadlines.erase({offer.expires_at, offer_id});
    SignedInAdvisor& advisor = advisors.at(offer.advisor);
    std::erase(advisor.offers, offer_id);
    advisor.missed_offers_in_row = 0;

    ClientSession& session = clients.at(offer.client);
    Request request = *session.waiting;
    leave_line(offer.client);
    if (!request.transfer_of.empty()) {
        // A conversation sent to a queue: the new advisor joins it and leads it from here on.
        Conversation& talk = conversations.at(request.transfer_of);
        talk.transfer_to_point = advisor.profile.point_id;
        join_conversation(talk, advisor, true, "transfer", request.transfer_from,
                          request.transfer_note, effects);
        return;
    }
    Conversation& talk =
        conversations
            .emplace(offer_id, Conversation(Conversation::Facts{
                                   offer_id, offer.client, request.id, request.language,
                                   request.home, offer.tier, request.at, clock.now(),
                                   session.requester.channel, session.requester.organisation}))
            .first->second;
    talk.add_advisor(advisor.profile.id, advisor.session, true);
    talk.last_lead_point = advisor.profile.point_id;
    ++conversations_begun;
    session.conversation = offer_id;
    advisor.conversations.push_back(offer_id);

    ConversationStarted started;
    started.conversation = offer_id;
    started.request_id = request.id;
    started.language = request.language;
    started.home_municipality = request.home;
    started.tier = offer.tier;
    started.advisor_name = advisor.profile.display_name;
    started.point_id = advisor.point->id;
    started.point_name = advisor.point->name;
    effects.push_back(Deliver{offer.client, started});
    started.request_id.clear();
    started.channel = session.requester.channel;
    started.organisation = session.requester.organisation;
    effects.push_back(Deliver{advisor.session, std::move(started)});
    if (session.away_until) {
        // Offered while its connection was down: it may still come back within its window.
        effects.push_back(Deliver{advisor.session, ClientConnection{offer_id, "reconnecting"}});
    }
    effects.push_back(Deliver{advisor.session, advisor.presence_state()});
}

// The id is taken by value because callers pass the participants' own copies, which this clears.
void Switchboard::State::close_conversation(std::string id, const std::string& reason,
                                            std::optional<SessionId> gone, Effects& effects) {
    cancel_handover_of(id, effects, gone);
    auto it = conversations.find(id);
    Conversation& talk = it->second;
    void_customer_code(talk);
    const Conversation::Facts facts = talk.facts();
    ConversationEnded ended{id, talk.take_next_seq(), reason};
    TimePoint now = clock.now();
    tell_participants(talk, ended, gone.value_or(0), effects);

    // A conversation waiting in a queue after a transfer leaves it.
    if (auto client = clients.find(facts.client); client != clients.end()) {
        ClientSession& session = client->second;
        if (session.waiting && session.waiting->transfer_of == id) {
            if (!session.waiting->offer.empty()) {
                tell_withdrawn(session.waiting->offer, "client_left", effects);
            }
            leave_line(facts.client);
        }
        session.conversation.clear();
        session.rateable = id;
    }
    for (SessionId companion : talk.companions()) {
        touched_clients.insert(companion);
        if (auto it = clients.find(companion); it != clients.end()) {
            it->second.conversation.clear();
        }
    }

    VisitRecord visit;
    visit.outcome = "served";
    visit.channel = facts.channel;
    visit.point_id = talk.last_lead_point;
    visit.advisor_point_id = talk.last_lead_point;
    visit.language = facts.language;
    visit.home_municipality = facts.home;
    visit.tier = tier_name(facts.tier);
    visit.started_hour = std::chrono::floor<std::chrono::hours>(facts.requested_at);
    visit.wait_seconds = whole_seconds(facts.requested_at, facts.started_at);
    visit.duration_seconds = whole_seconds(facts.started_at, now);
    visit.ended_by = reason;
    visit.transfers = talk.transfers;
    visit.transfer_from_point_id = talk.transfer_from_point;
    visit.transfer_to_point_id = talk.transfer_to_point;
    visit.invited_advisors = talk.invited_advisors;
    // A conversation cut short by a lost advisor, or handed around, says little about how long
    // service takes.
    if (reason != "advisor_disconnected" && talk.transfers == 0) {
        history[facts.language].add(visit.duration_seconds, policy.service_history);
        restaffed.insert(facts.language);
    }
    visit.conversation = id;

    const std::vector<Conversation::Seat> seats = talk.seats();
    const Conversation::Seat* lead = talk.lead();
    if (lead != nullptr) {
        hold_for_wrapup(std::move(visit), lead->advisor, gone, effects);
    } else {
        // Waiting in a queue after a transfer: nobody is there to write a wrap-up.
        visit.wrapup_state = "missing";
        effects.push_back(RecordVisit{std::move(visit)});
    }
    conversations.erase(it);
    ++conversations_closed;
    // The conversation's content goes from the store now; its register row is all that stays.
    effects.push_back(ForgetConversation{id});
    touched_clients.insert(facts.client);
    for (const Conversation::Seat& seat : seats) {
        SignedInAdvisor& advisor = advisors.at(seat.advisor);
        if (!seat.lead) {
            std::erase(advisor.guest_in, id);
            continue;
        }
        std::erase(advisor.conversations, id);
        advisor.idle_since = now;
        fresh_advisors.insert(advisor.profile.id);
        if (seat.session != gone && advisor.connected()) {
            effects.push_back(Deliver{seat.session, advisor.presence_state()});
        }
    }
}

void Switchboard::State::drop_client(SessionId client, Effects& effects) {
    ClientSession& session = clients.at(client);
    if (!session.resume_token.empty()) {
        resume_tokens.erase(session.resume_token);
    }
    if (session.away_until) {
        client_grace_deadlines.erase({*session.away_until, client});
    }
    if (session.waiting && session.waiting->transfer_of.empty()) {
        give_up_request(client, "client_left_queue", effects);
    }
    if (!session.conversation.empty()) {
        Conversation& talk = conversations.at(session.conversation);
        if (talk.is_companion(client)) {
            // The clerk's customer goes; the clerk and the advisor carry on.
            remove_companion(talk, client, effects);
        } else {
            close_conversation(session.conversation, "client_disconnected", client, effects);
        }
    }
    forget_client(session, effects);
    clients.erase(client);
}

// A profile may name a language twice; the advisor speaks it once.
void Switchboard::State::add_speaker(SignedInAdvisor& advisor) {
    for (const std::string& language : advisor.profile.languages) {
        auto& speaking = speakers[language];
        if (std::find(speaking.begin(), speaking.end(), &advisor) != speaking.end()) {
            continue;
        }
        speaking.push_back(&advisor);
        Staffing& staff = staffing_by_language[language];
        ++staff.advisors_signed_in;
        staff.total_capacity += advisor.capacity;
        restaffed.insert(language);
    }
}

void Switchboard::State::remove_speaker(const SignedInAdvisor& advisor) {
    for (const std::string& language : advisor.profile.languages) {
        auto it = speakers.find(language);
        if (it == speakers.end()) {
            continue;
        }
        auto found = std::find(it->second.begin(), it->second.end(), &advisor);
        if (found == it->second.end()) {
            continue;
        }
        it->second.erase(found);
        if (it->second.empty()) {
            speakers.erase(it);
            staffing_by_language.erase(language);
        } else {
            Staffing& staff = staffing_by_language[language];
            --staff.advisors_signed_in;
            staff.total_capacity -= advisor.capacity;
        }
        restaffed.insert(language);
    }
}

// Estimates count the capacity of everyone speaking the language.
void Switchboard::State::change_capacity(SignedInAdvisor& advisor, int capacity) {
    if (capacity == advisor.capacity) {
        return;
    }
    remove_speaker(advisor);
    advisor.capacity = capacity;
    add_speaker(advisor);
}

void Switchboard::State::set_follow_schedule(SignedInAdvisor& advisor, bool follow) {
    advisor.follow_schedule = follow;
    if (follow) {
        schedule_followers.insert(advisor.profile.id);
    } else {
        schedule_followers.erase(advisor.profile.id);
    }
}

void Switchboard::State::sign_out(AdvisorId id, Effects& effects) {
    SignedInAdvisor& advisor = advisors.at(id);
    for (const std::string& offer : std::vector<std::string>(advisor.offers)) {
        withdraw_offer(offer, "socket_gone");
    }
    withdraw_handovers_to(advisor, effects);
    close_consults_of(advisor, effects);
    for (const std::string& conversation : std::vector<std::string>(advisor.guest_in)) {
        leave_conversation(conversations.at(conversation), id, "disconnected", true, effects);
    }
    for (const std::string& conversation : std::vector<std::string>(advisor.conversations)) {
        close_conversation(conversation, "advisor_disconnected", advisor.session, effects);
    }
    // Gone for good: nobody else can write these wrap-ups, the rows are written without them.
    record_wrapups_of(advisor, effects);
    if (advisor.grace_until) {
        grace_deadlines.erase({*advisor.grace_until, id});
    }
    if (auto it = advisor_sessions.find(advisor.session);
        it != advisor_sessions.end() && it->second == id) {
        advisor_sessions.erase(it);
    }
    remove_speaker(advisor);
    fresh_advisors.erase(id);
    schedule_followers.erase(id);
    if (advisor.kept) {
        effects.push_back(ForgetAdvisor{id});
    }
    advisors.erase(id);
}

// The socket is gone. Without conversations the advisor simply signs out; with some, they wait
// for the advisor's return during the grace period.
void Switchboard::State::lose_connection(SessionId session, Effects& effects) {
    AdvisorId id = advisor_sessions.at(session);
    SignedInAdvisor& advisor = advisors.at(id);
    // A wrap-up still due keeps the advisor too: a page reloaded mid-form must not lose it.
    if (advisor.conversations.empty() && advisor.wrapups.empty()) {
        sign_out(id, effects);
        return;
    }
    for (const std::string& offer : std::vector<std::string>(advisor.offers)) {
        withdraw_offer(offer, "socket_gone");
    }
    withdraw_handovers_to(advisor, effects);
    // An invited advisor is a guest: the conversation does not wait for them.
    for (const std::string& conversation : std::vector<std::string>(advisor.guest_in)) {
        leave_conversation(conversations.at(conversation), id, "disconnected", true, effects);
    }
    advisor_sessions.erase(session);
    advisor.grace_until = clock.now() + policy.advisor_grace;
    grace_deadlines.emplace(*advisor.grace_until, id);
    for (const std::string& conversation : advisor.conversations) {
        effects.push_back(Deliver{conversations.at(conversation).facts().client,
                                  AdvisorConnection{conversation, "reconnecting"}});
    }
}

// The advisor did not come back. A conversation with an invited colleague goes on with them; one
// being transferred waits for the colleague's answer; the other clients lose the conversation but
// not their turn.
void Switchboard::State::end_grace(AdvisorId id, Effects& effects) {
    SignedInAdvisor& advisor = advisors.at(id);
    std::vector<Conversation::Facts> lost;
    for (const std::string& conversation : std::vector<std::string>(advisor.conversations)) {
        Conversation& talk = conversations.at(conversation);
        auto handover = handovers.find(conversation);
        const bool transfer_pending =
            handover != handovers.end() && handover->second.kind == OfferKind::transfer;
        if (talk.seats().size() > 1 || transfer_pending) {
            leave_conversation(talk, id, "disconnected", !transfer_pending, effects);
            continue;
        }
        lost.push_back(talk.facts());
        close_conversation(conversation, "advisor_disconnected", advisor.session, effects);
    }
    sign_out(id, effects);
    // Newest first, so that the oldest conversation's client ends up at the very head.
    for (auto it = lost.rbegin(); it != lost.rend(); ++it) {
        if (!clients.contains(it->client)) {
            continue;
        }
        Request request;
        request.id = it->request_id;
        request.language = it->language;
        request.home = it->home;
        request.at = clock.now();
        enter_line(it->client, std::move(request), true);
    }
}

void Switchboard::State::finish(Effects& effects) {
    route(effects);
    announce_queue(effects);
    for (Deliver& deliver : alternatives_due) {
        effects.push_back(std::move(deliver));
    }
    alternatives_due.clear();
    keep_open_work(effects);
}

} // namespace neuvo::core
