#include "neuvo/core/switchboard.hpp"

#include "advisor_choice.hpp"
#include "blank_text.hpp"
#include "conversation.hpp"
#include "home_municipality.hpp"
#include "signed_in_advisor.hpp"
#include "waiting_room.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace neuvo::core {

namespace {

struct Request {
    std::string id;
    std::string language;
    std::string home; // a municipality code, "other" or "unknown"
    TimePoint at;
};

struct ClientSession {
    std::optional<Request> waiting; // set while the client stands in a line
    std::string conversation;       // set while the client talks with an advisor
};

Effects error_reply(SessionId to, std::string code, std::string reason, std::string ref) {
    return Effects{Deliver{to, ErrorReply{std::move(code), std::move(reason), std::move(ref)}}};
}

std::int64_t whole_seconds(TimePoint from, TimePoint to) {
    // A wall clock stepped backwards must not produce negative waits in the register.
    if (to <= from) {
        return 0;
    }
    return std::chrono::duration_cast<std::chrono::seconds>(to - from).count();
}

} // namespace

struct Switchboard::State {
    State(ServiceNetwork network_, Policy policy_, const Clock& clock_, std::string prefix)
        : network(std::move(network_)), policy(policy_), clock(clock_),
          conversation_prefix(std::move(prefix)) {}

    ServiceNetwork network;
    Policy policy;
    const Clock& clock;
    std::string conversation_prefix;
    std::uint64_t conversations_started = 0;

    std::map<SessionId, ClientSession> clients;
    std::map<SessionId, SignedInAdvisor> advisors;
    std::map<AdvisorId, SessionId> advisor_sessions;
    WaitingRoom waiting;
    std::map<std::string, Conversation> conversations;

    // The conversation `id` if `session` takes part in it. Outsiders learn nothing, not even
    // whether the id exists.
    Conversation* conversation_of(SessionId session, const std::string& id) {
        auto it = conversations.find(id);
        if (it == conversations.end() || !it->second.has_participant(session)) {
            return nullptr;
        }
        return &it->second;
    }

    int advisors_speaking(const std::string& language) const {
        return static_cast<int>(std::count_if(advisors.begin(), advisors.end(), [&](const auto& a) {
            return a.second.speaks(language);
        }));
    }

    bool any_free_seat() const {
        return std::any_of(advisors.begin(), advisors.end(),
                           [](const auto& a) { return a.second.has_free_seat(); });
    }

    void start_conversation(SessionId client, AdvisorMatch match, Effects& effects) {
        ClientSession& session = clients.at(client);
        Request request = std::move(*session.waiting);
        session.waiting.reset();
        waiting.leave(client, request.language);

        SignedInAdvisor& advisor = advisors.at(match.advisor);
        std::string id = conversation_prefix + std::to_string(++conversations_started);
        conversations.emplace(id, Conversation(Conversation::Facts{
                                      id, client, match.advisor, request.id, request.language,
                                      request.home, match.tier, request.at, clock.now()}));
        session.conversation = id;
        advisor.conversations.push_back(id);

        ConversationStarted started{id,
                                    request.id,
                                    request.language,
                                    request.home,
                                    match.tier,
                                    advisor.profile.display_name,
                                    advisor.point->id,
                                    advisor.point->name};
        effects.push_back(Deliver{client, started});
        started.request_id.clear();
        effects.push_back(Deliver{match.advisor, std::move(started)});
        effects.push_back(Deliver{match.advisor, advisor.presence_state()});
    }

    // `gone` is a participant whose socket is already closed: it is told nothing. The id is
    // taken by value because callers pass the participants' own copies, which this clears.
    void close_conversation(std::string id, const std::string& reason,
                            std::optional<SessionId> gone, Effects& effects) {
        auto it = conversations.find(id);
        Conversation::Facts facts = it->second.facts();
        ConversationEnded ended{id, it->second.take_next_seq(), reason};
        conversations.erase(it);
        TimePoint now = clock.now();

        if (facts.client != gone) {
            effects.push_back(Deliver{facts.client, ended});
        }
        if (facts.advisor != gone) {
            effects.push_back(Deliver{facts.advisor, ended});
        }

        SignedInAdvisor& advisor = advisors.at(facts.advisor);
        VisitRecord visit;
        visit.outcome = "served";
        visit.point_id = advisor.profile.point_id;
        visit.advisor_point_id = advisor.profile.point_id;
        visit.language = facts.language;
        visit.home_municipality = facts.home;
        visit.tier = tier_name(facts.tier);
        visit.started_hour = std::chrono::floor<std::chrono::hours>(facts.requested_at);
        visit.wait_seconds = whole_seconds(facts.requested_at, facts.started_at);
        visit.duration_seconds = whole_seconds(facts.started_at, now);
        visit.ended_by = reason;
        effects.push_back(RecordVisit{std::move(visit)});

        if (auto client = clients.find(facts.client); client != clients.end()) {
            client->second.conversation.clear();
        }
        std::erase(advisor.conversations, id);
        advisor.idle_since = now;
        if (facts.advisor != gone) {
            effects.push_back(Deliver{facts.advisor, advisor.presence_state()});
        }
    }

    void leave_queue(SessionId client, Effects& effects) {
        ClientSession& session = clients.at(client);
        const Request& request = *session.waiting;
        VisitRecord visit;
        visit.outcome = "unserved";
        visit.language = request.language;
        visit.home_municipality = request.home;
        visit.started_hour = std::chrono::floor<std::chrono::hours>(request.at);
        visit.wait_seconds = whole_seconds(request.at, clock.now());
        visit.ended_by = "client_left_queue";
        effects.push_back(RecordVisit{std::move(visit)});
        waiting.leave(client, request.language);
        session.waiting.reset();
    }

    void drop_client(SessionId client, Effects& effects) {
        ClientSession& session = clients.at(client);
        if (session.waiting) {
            leave_queue(client, effects);
        }
        if (!session.conversation.empty()) {
            close_conversation(session.conversation, "client_disconnected", client, effects);
        }
        clients.erase(client);
    }

    void drop_advisor(SessionId session, Effects& effects) {
        SignedInAdvisor& advisor = advisors.at(session);
        for (const std::string& id : std::vector<std::string>(advisor.conversations)) {
            close_conversation(id, "advisor_disconnected", session, effects);
        }
        if (auto it = advisor_sessions.find(advisor.profile.id);
            it != advisor_sessions.end() && it->second == session) {
            advisor_sessions.erase(it);
        }
        advisors.erase(session);
    }

    // Restores the invariant that no waiting client has an eligible advisor with a free seat.
    // Going through clients longest-waiting first, each taking its best advisor, is the same as
    // every freed advisor taking the longest-waiting client it may serve: before the event no
    // waiting client had a free advisor, so only seats the event opened can be taken.
    void seat_waiting_clients(Effects& effects) {
        if (waiting.empty()) {
            return;
        }
        // Only lines that some advisor with a free seat speaks can move at all.
        std::set<std::string> languages;
        for (const auto& [session, advisor] : advisors) {
            if (advisor.has_free_seat()) {
                languages.insert(advisor.profile.languages.begin(),
                                 advisor.profile.languages.end());
            }
        }
        if (languages.empty()) {
            return;
        }
        for (SessionId client : waiting.longest_waiting_first(languages)) {
            const Request& request = *clients.at(client).waiting;
            if (auto match = choose_advisor(network, advisors, request.language, request.home)) {
                start_conversation(client, *match, effects);
                if (!any_free_seat()) {
                    return;
                }
            }
        }
    }

    // Tells every waiting client whose place in line changed during the event, or who just
    // joined, where it stands now.
    void announce_moves(Effects& effects) {
        for (const WaitingRoom::Move& move : waiting.take_moves()) {
            effects.push_back(
                Deliver{move.client, Queued{clients.at(move.client).waiting->id, move.language,
                                            move.position, advisors_speaking(move.language)}});
        }
    }

    // Every event that can change who waits or who has room ends here.
    void settle(Effects& effects) {
        seat_waiting_clients(effects);
        announce_moves(effects);
    }
};

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

void Switchboard::client_connected(SessionId session) {
    if (state_->advisors.contains(session)) {
        return;
    }
    state_->clients.try_emplace(session);
}

Effects Switchboard::client_request(SessionId session, const std::string& request_id,
                                    const std::string& language, const std::string& home) {
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
                           "the home municipality is not in the list, nor \"other\" or \"unknown\"",
                           request_id);
    }
    if (client->second.waiting || !client->second.conversation.empty()) {
        return error_reply(session, "already_requested",
                           "this client already waits or is in a conversation", request_id);
    }

    Effects effects;
    client->second.waiting =
        Request{request_id, language, home.empty() ? "unknown" : home, s.clock.now()};
    s.waiting.join(session, language);
    s.settle(effects);
    return effects;
}

Effects Switchboard::advisor_connected(SessionId session, AdvisorProfile profile) {
    State& s = *state_;
    Effects effects;
    // The shell numbers sessions afresh, so these two only guard against a reused number.
    if (s.clients.contains(session)) {
        s.drop_client(session, effects);
    }
    if (s.advisors.contains(session)) {
        s.drop_advisor(session, effects);
    }
    if (auto older = s.advisor_sessions.find(profile.id); older != s.advisor_sessions.end()) {
        SessionId older_session = older->second;
        effects.push_back(CloseSession{older_session, "replaced by a newer sign-in"});
        s.drop_advisor(older_session, effects);
    }

    SignedInAdvisor advisor;
    advisor.point = s.network.find_point(profile.point_id);
    advisor.profile = std::move(profile);
    // Away until the advisor says otherwise: a sign-in is not a promise to take chats.
    advisor.status = Presence::away;
    advisor.capacity = s.policy.default_capacity;
    advisor.idle_since = s.clock.now();
    s.advisor_sessions[advisor.profile.id] = session;
    auto placed = s.advisors.emplace(session, std::move(advisor)).first;
    effects.push_back(Deliver{session, placed->second.presence_state()});
    s.settle(effects);
    return effects;
}

Effects Switchboard::set_presence(SessionId session, Presence status, std::optional<int> capacity,
                                  const std::string& ref) {
    State& s = *state_;
    auto it = s.advisors.find(session);
    if (it == s.advisors.end()) {
        return error_reply(session, "not_allowed", "only advisors have a presence", ref);
    }
    if (capacity && (*capacity < 1 || *capacity > s.policy.max_capacity)) {
        return error_reply(session, "invalid_field",
                           "field \"capacity\" must be between 1 and " +
                               std::to_string(s.policy.max_capacity),
                           ref);
    }

    Effects effects;
    SignedInAdvisor& advisor = it->second;
    if (status == Presence::available && advisor.status == Presence::away) {
        advisor.idle_since = s.clock.now();
    }
    advisor.status = status;
    if (capacity) {
        advisor.capacity = *capacity;
    }
    effects.push_back(Deliver{session, advisor.presence_state()});
    s.settle(effects);
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
    if (is_blank(text)) {
        return error_reply(session, "empty_message", "the message is blank", message_id);
    }
    if (text.size() > s.policy.max_text_bytes) {
        return error_reply(session, "message_too_long",
                           "the message is longer than " + std::to_string(s.policy.max_text_bytes) +
                               " bytes",
                           message_id);
    }

    Role sender = talk->role_of(session);
    if (auto seen = talk->seq_of(sender, message_id)) {
        return Effects{Deliver{session, MessageAccepted{message_id, conversation, *seen, true}}};
    }
    std::uint64_t seq = talk->take_next_seq();
    talk->remember(sender, message_id, seq);
    std::string author =
        sender == Role::advisor ? s.advisors.at(session).profile.display_name : std::string();
    Effects effects;
    effects.push_back(
        Deliver{talk->other_than(session), ChatMessage{conversation, seq, message_id, sender,
                                                       std::move(author), text, s.clock.now()}});
    effects.push_back(Deliver{session, MessageAccepted{message_id, conversation, seq, false}});
    return effects;
}

Effects Switchboard::acknowledge(SessionId session, const std::string& conversation,
                                 std::uint64_t seq) {
    State& s = *state_;
    Conversation* talk = s.conversation_of(session, conversation);
    if (talk == nullptr) {
        return error_reply(session, "not_in_conversation", "no such conversation for this session",
                           "");
    }
    if (seq > talk->last_seq()) {
        return error_reply(session, "invalid_field",
                           "field \"seq\" is beyond the last event of the conversation (" +
                               std::to_string(talk->last_seq()) + ")",
                           "");
    }
    talk->acknowledge(talk->role_of(session), seq);
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
    Effects effects;
    s.close_conversation(conversation, role_name(talk->role_of(session)), std::nullopt, effects);
    s.settle(effects);
    return effects;
}

Effects Switchboard::disconnected(SessionId session) {
    State& s = *state_;
    Effects effects;
    if (s.clients.contains(session)) {
        s.drop_client(session, effects);
    } else if (s.advisors.contains(session)) {
        s.drop_advisor(session, effects);
    } else {
        return effects;
    }
    s.settle(effects);
    return effects;
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

} // namespace neuvo::core
