#include "neuvo/core/switchboard.hpp"

#include "error_reply.hpp"
#include "home_municipality.hpp"
#include "switchboard_state.hpp"
#include "weekly_schedule.hpp"

#include <algorithm>
#include <utility>

namespace neuvo::core {

namespace {

// The also-spoken languages worth reporting: known to the network, not the one asked for, once.
std::vector<std::string> known_other_languages(const ServiceNetwork& network,
                                               const std::vector<std::string>& also_speaks,
                                               const std::string& language) {
    std::vector<std::string> known;
    for (const std::string& tag : also_speaks) {
        if (tag != language && network.find_language(tag) != nullptr &&
            std::find(known.begin(), known.end(), tag) == known.end()) {
            known.push_back(tag);
        }
    }
    return known;
}

} // namespace

Switchboard::Switchboard(ServiceNetwork network, Policy policy, const Clock& clock,
                         std::string conversation_prefix)
    : state_(std::make_unique<State>(std::move(network), policy, clock,
                                     std::move(conversation_prefix))) {}

Switchboard::~Switchboard() = default;

const ServiceNetwork& Switchboard::network() const {
    return state_->network;
}

const Policy& Switchboard::policy() const {
    return state_->policy;
}

void Switchboard::client_connected(SessionId session, Requester requester,
                                   std::string resume_token) {
    State& s = *state_;
    if (s.advisor_sessions.contains(session) || s.resume_tokens.contains(resume_token)) {
        return;
    }
    ClientSession& client = s.clients.try_emplace(session).first->second;
    client.requester = std::move(requester);
    if (!resume_token.empty()) {
        client.resume_token = std::move(resume_token);
        s.resume_tokens[client.resume_token] = session;
    }
}

Effects Switchboard::client_request(SessionId session, const std::string& request_id,
                                    const std::string& language, const std::string& home,
                                    const std::vector<std::string>& also_speaks) {
    State& s = *state_;
    auto client = s.clients.find(session);
    if (client == s.clients.end()) {
        return error_reply(session, "not_allowed", "only clients may request an advisor",
                           request_id);
    }
    if (s.network.find_language(language) == nullptr) {
        return error_reply(session, "unknown_language",
                           "the language is not served by this network; choose one from the list",
                           request_id);
    }
    if (!names_no_municipality(home) && s.network.find_municipality(home) == nullptr) {
        return error_reply(session, "unknown_municipality",
                           "the home municipality is not in the list, nor \"other\", \"abroad\" or "
                           "\"unknown\"",
                           request_id);
    }
    if (client->second.waiting || !client->second.conversation.empty()) {
        return error_reply(session, "already_requested",
                           "this client already waits or is in a conversation", request_id);
    }

    Effects effects;
    client->second.also_speaks = known_other_languages(s.network, also_speaks, language);
    Request request;
    request.id = request_id;
    request.language = language;
    const Requester& requester = client->second.requester;
    request.home = !home.empty()                     ? home
                   : !requester.default_home.empty() ? requester.default_home
                                                     : "unknown";
    request.at = s.clock.now();
    s.enter_line(session, std::move(request), false);
    if (!s.speakers.contains(language)) {
        s.alternatives_due.push_back(
            Deliver{session, s.alternatives_for(session, "nobody_signed_in")});
    }
    s.finish(effects);
    return effects;
}

Effects Switchboard::cancel_request(SessionId session, const std::string& request_id,
                                    const std::string& ref) {
    State& s = *state_;
    auto client = s.clients.find(session);
    if (client == s.clients.end()) {
        return error_reply(session, "not_allowed", "only clients have requests", ref);
    }
    if (!client->second.waiting || client->second.waiting->id != request_id) {
        return error_reply(session, "unknown_request", "no such request is waiting", ref);
    }
    Effects effects;
    effects.push_back(Deliver{session, RequestClosed{request_id, "cancelled"}});
    if (!client->second.waiting->transfer_of.empty()) {
        // Waiting for the next advisor of a transferred conversation: giving up ends it.
        s.close_conversation(client->second.conversation, "client", std::nullopt, effects);
    } else {
        s.give_up_request(session, "client_cancelled", effects);
    }
    s.finish(effects);
    return effects;
}

Effects Switchboard::advisor_connected(SessionId session, AdvisorProfile profile) {
    State& s = *state_;
    Effects effects;
    // The shell numbers sessions afresh, so these two only guard against a reused number.
    if (s.clients.contains(session)) {
        s.drop_client(session, effects);
    }
    if (s.advisor_sessions.contains(session)) {
        s.lose_connection(session, effects);
    }

    const Point* point = s.network.find_point(profile.point_id);
    const std::size_t point_index =
        point == nullptr ? 0 : static_cast<std::size_t>(point - s.network.points.data());
    auto known = s.advisors.find(profile.id);
    if (known == s.advisors.end()) {
        SignedInAdvisor advisor;
        advisor.point = point;
        advisor.point_index = point_index;
        advisor.profile = std::move(profile);
        advisor.session = session;
        // Away until the advisor says otherwise: a sign-in is not a promise to take chats.
        advisor.status = Presence::away;
        advisor.capacity = s.policy.default_capacity;
        advisor.idle_since = s.clock.now();
        AdvisorId id = advisor.profile.id;
        s.advisor_sessions[session] = id;
        auto placed = s.advisors.emplace(id, std::move(advisor)).first;
        s.add_speaker(placed->second);
        effects.push_back(Deliver{session, placed->second.presence_state()});
        s.finish(effects);
        return effects;
    }

    // The same advisor again: the conversations carry on on the new socket. Back within the grace
    // period the advisor keeps the presence they had; replacing a live socket starts away, as
    // every new connection does.
    SignedInAdvisor& advisor = known->second;
    const bool replacing = advisor.connected();
    if (replacing) {
        effects.push_back(CloseSession{advisor.session, "replaced by a newer sign-in"});
        s.advisor_sessions.erase(advisor.session);
        for (const std::string& offer : std::vector<std::string>(advisor.offers)) {
            s.withdraw_offer(offer, "socket_gone");
        }
        // The old socket had the offers; the senders hear they were not taken.
        s.withdraw_handovers_to(advisor, effects);
        advisor.status = Presence::away;
        s.change_capacity(advisor, s.policy.default_capacity);
        s.set_follow_schedule(advisor, false);
    } else {
        s.grace_deadlines.erase({*advisor.grace_until, advisor.profile.id});
        advisor.grace_until.reset();
    }
    s.remove_speaker(advisor);
    advisor.point = point;
    advisor.point_index = point_index;
    advisor.profile = std::move(profile);
    advisor.session = session;
    advisor.missed_offers_in_row = 0;
    s.advisor_sessions[session] = advisor.profile.id;
    s.add_speaker(advisor);
    auto restart = [&](const std::string& id, bool lead) {
        Conversation& talk = s.conversations.at(id);
        talk.move_advisor_to(advisor.profile.id, session);
        const Conversation::Facts& facts = talk.facts();
        ConversationStarted started{id,
                                    "",
                                    facts.language,
                                    facts.home,
                                    facts.tier,
                                    advisor.profile.display_name,
                                    advisor.point ? advisor.point->id : "",
                                    advisor.point ? advisor.point->name : "",
                                    lead ? "lead" : "invited",
                                    std::nullopt,
                                    "",
                                    {},
                                    facts.channel,
                                    facts.organisation};
        for (const Conversation::Seat& seat : talk.seats()) {
            if (seat.advisor != advisor.profile.id) {
                started.participants.push_back(s.badge(s.advisors.at(seat.advisor)));
            }
        }
        effects.push_back(Deliver{session, std::move(started)});
        // What the advisor has not confirmed comes again, in order: a page that kept its screen
        // passes over what it has by seq, a reloaded one gets its conversation back.
        for (const Outbound& event : talk.events_after(talk.acknowledged(advisor.profile.id))) {
            effects.push_back(Deliver{session, event});
        }
        if (!replacing && lead) {
            effects.push_back(Deliver{facts.client, AdvisorConnection{id, "back"}});
        }
    };
    for (const std::string& id : advisor.conversations) {
        restart(id, true);
    }
    for (const std::string& id : advisor.guest_in) {
        restart(id, false);
    }
    for (const std::string& id : advisor.wrapups) {
        if (!s.wrapups.at(id).saving) {
            effects.push_back(Deliver{session, s.wrapup_due(id)});
        }
    }
    for (const std::string& id : advisor.consults) {
        const ConsultThread& thread = s.consults.at(id);
        const SignedInAdvisor& other = s.advisors.at(thread.other_than(advisor.profile.id));
        effects.push_back(
            Deliver{session, ConsultOpened{id, "", s.colleague_ref(other), thread.about()}});
    }
    effects.push_back(Deliver{session, advisor.presence_state()});
    s.fresh_advisors.insert(advisor.profile.id);
    s.finish(effects);
    return effects;
}

Effects Switchboard::set_presence(SessionId session, Presence status, std::optional<int> capacity,
                                  const std::string& ref, std::optional<bool> follow_schedule) {
    State& s = *state_;
    SignedInAdvisor* advisor = s.advisor_on(session);
    if (advisor == nullptr) {
        return error_reply(session, "not_allowed", "only advisors have a presence", ref);
    }
    if (capacity && (*capacity < 1 || *capacity > s.policy.max_capacity)) {
        return error_reply(session, "invalid_field",
                           "field \"capacity\" must be between 1 and " +
                               std::to_string(s.policy.max_capacity),
                           ref);
    }

    Effects effects;
    if (status == Presence::available && advisor->status == Presence::away) {
        advisor->idle_since = s.clock.now();
    }
    advisor->status = status;
    if (capacity) {
        s.change_capacity(*advisor, *capacity);
    }
    if (follow_schedule) {
        s.set_follow_schedule(*advisor, *follow_schedule);
    }
    effects.push_back(Deliver{session, advisor->presence_state()});
    s.fresh_advisors.insert(advisor->profile.id);
    s.finish(effects);
    return effects;
}

Effects Switchboard::accept_offer(SessionId session, const std::string& conversation,
                                  const std::string& ref) {
    return answer_offer(session, conversation, ref, true);
}

Effects Switchboard::decline_offer(SessionId session, const std::string& conversation,
                                   const std::string& ref) {
    return answer_offer(session, conversation, ref, false);
}

Effects Switchboard::answer_offer(SessionId session, const std::string& conversation,
                                  const std::string& ref, bool accept) {
    State& s = *state_;
    SignedInAdvisor* advisor = s.advisor_on(session);
    if (advisor == nullptr) {
        return error_reply(session, "not_allowed", "only advisors answer offers", ref);
    }
    Effects effects;
    if (auto handover = s.handovers.find(conversation);
        handover != s.handovers.end() && handover->second.receiver == advisor->profile.id) {
        s.answer_handover(conversation, accept, effects);
        s.finish(effects);
        return effects;
    }
    auto offer = s.offers.find(conversation);
    if (offer == s.offers.end() || offer->second.advisor != advisor->profile.id) {
        return error_reply(session, "no_such_offer", "the offer is not (or no longer) yours", ref);
    }
    if (accept) {
        s.accept(conversation, effects);
    } else {
        s.tell_withdrawn(conversation, "declined", effects);
    }
    s.finish(effects);
    return effects;
}

Effects Switchboard::post_message(SessionId session, const std::string& conversation,
                                  const std::string& message_id, const std::string& text) {
    State& s = *state_;
    Conversation* talk = s.conversation_of(session, conversation);
    if (talk == nullptr) {
        return error_reply(session, "not_in_conversation", "no such conversation for this session",
                           message_id);
    }
    if (message_id.empty()) {
        return error_reply(session, "missing_field", "field \"id\" is required in \"message\"",
                           message_id);
    }
    const bool from_client = talk->is_client(session);
    const bool someone_to_answer = std::any_of(
        talk->seats().begin(), talk->seats().end(), [&](const Conversation::Seat& seat) {
            return seat.session != session && s.advisors.at(seat.advisor).connected();
        });
    if (from_client && !someone_to_answer) {
        // Nothing is kept: the client resends when an advisor is there again.
        return error_reply(session, "advisor_unavailable",
                           "the advisor's connection is being restored; send it again later",
                           message_id);
    }
    if (auto problem = s.text_problem(text)) {
        problem->ref = message_id;
        return Effects{Deliver{session, std::move(*problem)}};
    }

    const AdvisorId sender = talk->key_of(session);
    if (auto seen = talk->seq_of(sender, message_id)) {
        return Effects{Deliver{session, MessageAccepted{message_id, conversation, *seen, true}}};
    }
    // After the duplicate check: a resend of what the server has costs nothing.
    if (auto refusal = s.over_rate(session, message_id)) {
        return Effects{Deliver{session, std::move(*refusal)}};
    }
    std::uint64_t seq = talk->take_next_seq();
    talk->remember(sender, message_id, seq);
    std::string author = from_client ? std::string() : s.advisors.at(sender).profile.display_name;
    Effects effects;
    s.tell_participants(*talk,
                        ChatMessage{conversation, seq, message_id,
                                    from_client ? Role::client : Role::advisor, std::move(author),
                                    text, s.clock.now()},
                        session, effects);
    effects.push_back(Deliver{session, MessageAccepted{message_id, conversation, seq, false}});
    return effects;
}

Effects Switchboard::acknowledge(SessionId session, const std::string& conversation,
                                 std::uint64_t seq) {
    State& s = *state_;
    Conversation* talk = s.conversation_of(session, conversation);
    if (talk == nullptr) {
        // The end of a conversation is confirmed after it is gone.
        if (auto client = s.clients.find(session); client != s.clients.end() &&
                                                   !conversation.empty() &&
                                                   client->second.unconfirmed_of == conversation) {
            s.confirm_events(client->second, seq);
            return {};
        }
        return error_reply(session, "not_in_conversation", "no such conversation for this session",
                           "");
    }
    if (seq > talk->last_seq()) {
        return error_reply(session, "invalid_field",
                           "field \"seq\" is beyond the last event of the conversation (" +
                               std::to_string(talk->last_seq()) + ")",
                           "");
    }
    talk->acknowledge(talk->key_of(session), seq);
    if (auto client = s.clients.find(session); client != s.clients.end()) {
        s.confirm_events(client->second, seq);
    }
    return {};
}

Effects Switchboard::end_conversation(SessionId session, const std::string& conversation,
                                      const std::string& ref) {
    State& s = *state_;
    Conversation* talk = s.conversation_of(session, conversation);
    if (talk == nullptr) {
        return error_reply(session, "not_in_conversation", "no such conversation for this session",
                           ref);
    }
    if (talk->is_companion(session)) {
        // A customer who joined from a kiosk leaves; the clerk's conversation goes on.
        Effects effects;
        const std::uint64_t seq = s.remove_companion(*talk, session, effects);
        effects.push_back(Deliver{session, ConversationEnded{conversation, seq, "client"}});
        return effects;
    }
    const Conversation::Seat* seat = talk->seat_on(session);
    if (seat != nullptr && !seat->lead && talk->lead() != nullptr) {
        return error_reply(session, "not_lead",
                           "an invited advisor steps out with \"leave\"; the lead ends it", ref);
    }
    Effects effects;
    s.close_conversation(conversation, seat == nullptr ? "client" : "advisor", std::nullopt,
                         effects);
    s.finish(effects);
    return effects;
}

Effects Switchboard::disconnected(SessionId session) {
    State& s = *state_;
    Effects effects;
    if (auto client = s.clients.find(session); client != s.clients.end()) {
        if (client->second.away_until) {
            return effects; // already away
        }
        if (s.worth_holding(client->second)) {
            s.hold_client(session, effects);
        } else {
            s.drop_client(session, effects);
        }
    } else if (s.advisor_sessions.contains(session)) {
        s.lose_connection(session, effects);
    } else {
        return effects;
    }
    s.finish(effects);
    return effects;
}

Effects Switchboard::signed_out(SessionId session) {
    State& s = *state_;
    Effects effects;
    auto advisor = s.advisor_sessions.find(session);
    if (advisor == s.advisor_sessions.end()) {
        if (s.clients.contains(session)) {
            s.drop_client(session, effects);
            s.finish(effects);
        }
        return effects;
    }
    // The same as a grace period that ends at once: clients keep their turn.
    s.end_grace(advisor->second, effects);
    s.finish(effects);
    return effects;
}

Effects Switchboard::tick() {
    State& s = *state_;
    Effects effects;
    const TimePoint now = s.clock.now();
    // Each key is copied out first: handling it erases its own entry of the set.
    while (!s.offer_deadlines.empty() && s.offer_deadlines.begin()->first <= now) {
        const std::string offer = s.offer_deadlines.begin()->second;
        s.expire_offer(offer, effects);
    }
    while (!s.code_deadlines.empty() && s.code_deadlines.begin()->first <= now) {
        const std::string code = s.code_deadlines.begin()->second;
        s.conversations.at(s.customer_codes.at(code).first).customer_code.clear();
        s.customer_codes.erase(code);
        s.code_deadlines.erase(s.code_deadlines.begin());
    }
    while (!s.handover_deadlines.empty() && s.handover_deadlines.begin()->first <= now) {
        const std::string conversation = s.handover_deadlines.begin()->second;
        s.refuse_handover(conversation, "timeout", effects);
    }
    while (!s.grace_deadlines.empty() && s.grace_deadlines.begin()->first <= now) {
        s.end_grace(s.grace_deadlines.begin()->second, effects);
    }
    // Clients not back within their resume window are gone, as if they had left.
    while (!s.client_grace_deadlines.empty() && s.client_grace_deadlines.begin()->first <= now) {
        s.drop_client(s.client_grace_deadlines.begin()->second, effects);
    }
    while (!s.wrapup_deadlines.empty() && s.wrapup_deadlines.begin()->first <= now) {
        const std::string conversation = s.wrapup_deadlines.begin()->second;
        const AdvisorId owner = s.wrapups.at(conversation).advisor;
        s.record_without_wrapup(conversation, effects);
        if (auto advisor = s.advisors.find(owner);
            advisor != s.advisors.end() && advisor->second.connected()) {
            effects.push_back(
                Deliver{advisor->second.session, WrapupDone{conversation, "expired", ""}});
        }
    }
    // Advisors who passed a client over may be offered it again if it still waits.
    while (!s.reoffer_deadlines.empty() && s.reoffer_deadlines.begin()->first <= now) {
        SessionId client = s.reoffer_deadlines.begin()->second;
        s.reoffer_deadlines.erase(s.reoffer_deadlines.begin());
        if (auto it = s.clients.find(client); it != s.clients.end() && it->second.waiting) {
            s.fresh_clients.insert(client);
        }
    }
    // A slot may have opened for advisors who follow the schedule.
    for (AdvisorId id : s.schedule_followers) {
        if (s.advisors.at(id).has_free_seat()) {
            s.fresh_advisors.insert(id);
        }
    }
    // Held-back queue news: finish() reads these clients' lines again and tells what is new.
    while (!s.queue_news_deadlines.empty() && s.queue_news_deadlines.begin()->first <= now) {
        const SessionId client = s.queue_news_deadlines.begin()->second;
        s.queue_news_deadlines.erase(s.queue_news_deadlines.begin());
        // leave_line takes a request's deadline with it; a client found without one is simply
        // not waiting any more.
        if (auto it = s.clients.find(client); it != s.clients.end() && it->second.waiting) {
            it->second.waiting->news_due.reset();
            s.news_due.insert(it->second.waiting->language);
        }
    }
    while (!s.long_wait_deadlines.empty() && s.long_wait_deadlines.begin()->first <= now) {
        SessionId client = s.long_wait_deadlines.begin()->second;
        s.long_wait_deadlines.erase(s.long_wait_deadlines.begin());
        s.request_of(client).long_wait_shown = true;
        s.alternatives_due.push_back(Deliver{client, s.alternatives_for(client, "long_wait")});
    }
    s.finish(effects);
    return effects;
}

std::optional<TimePoint> Switchboard::next_deadline() const {
    const State& s = *state_;
    std::optional<TimePoint> next;
    auto consider = [&](TimePoint at) {
        if (!next || at < *next) {
            next = at;
        }
    };
    if (!s.offer_deadlines.empty()) {
        consider(s.offer_deadlines.begin()->first);
    }
    if (!s.grace_deadlines.empty()) {
        consider(s.grace_deadlines.begin()->first);
    }
    if (!s.client_grace_deadlines.empty()) {
        consider(s.client_grace_deadlines.begin()->first);
    }
    if (!s.handover_deadlines.empty()) {
        consider(s.handover_deadlines.begin()->first);
    }
    if (!s.wrapup_deadlines.empty()) {
        consider(s.wrapup_deadlines.begin()->first);
    }
    if (!s.code_deadlines.empty()) {
        consider(s.code_deadlines.begin()->first);
    }
    if (!s.long_wait_deadlines.empty()) {
        consider(s.long_wait_deadlines.begin()->first);
    }
    if (!s.queue_news_deadlines.empty()) {
        consider(s.queue_news_deadlines.begin()->first);
    }
    if (!s.reoffer_deadlines.empty()) {
        consider(s.reoffer_deadlines.begin()->first);
    }
    const bool someone_follows_schedule =
        std::any_of(s.schedule_followers.begin(), s.schedule_followers.end(),
                    [&s](AdvisorId id) { return s.advisors.at(id).has_free_seat(); });
    if (someone_follows_schedule) {
        // The next start of any slot: strictly later than now, so that a tick at a slot's start
        // does not leave the same deadline behind.
        const TimePoint now = s.clock.now();
        const TimePoint local = now + s.clock.utc_offset(now);
        const std::int64_t face = week_second(local);
        std::optional<std::int64_t> soonest;
        for (const Point& point : s.network.points) {
            for (const LanguageOffer& offer : point.languages) {
                for (const ScheduleSlot& slot : offer.schedule) {
                    std::int64_t wait = seconds_until_start(slot, face);
                    if (wait == 0) {
                        wait = seconds_per_week;
                    }
                    soonest = std::min(soonest.value_or(wait), wait);
                }
            }
        }
        if (soonest) {
            consider(now - (local - std::chrono::floor<std::chrono::seconds>(local)) +
                     std::chrono::seconds{*soonest});
        }
    }
    return next;
}

std::size_t Switchboard::queue_length(const std::string& language) const {
    return state_->waiting.length(language);
}

std::size_t Switchboard::open_conversations() const {
    return state_->conversations.size();
}

std::size_t Switchboard::advisors_signed_in() const {
    return state_->advisors.size();
}

std::size_t Switchboard::wrapups_due() const {
    return state_->wrapups.size();
}

std::uint64_t Switchboard::conversations_begun() const {
    return state_->conversations_begun;
}

std::uint64_t Switchboard::conversations_closed() const {
    return state_->conversations_closed;
}

} // namespace neuvo::core
