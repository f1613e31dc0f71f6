#include "switchboard_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace neuvo::core;
using namespace neuvo::core::testing;

// Random events against the switchboard, with a model built only from the effects that came out.
// After every event the model checks the promises that no single example can cover: capacity is
// never exceeded at assignment, nobody is in two places, no waiting client has a free advisor who
// could serve them, nobody is overtaken by a later client the same advisor could serve, and every
// waiting client's last Queued tells its true position.

namespace {

struct ModelClient {
    std::optional<std::string> waiting_language;
    std::string home;
    std::uint64_t ticket = 0;
    int last_told_position = 0;
    std::string conversation;
};

struct ModelAdvisor {
    AdvisorProfile profile;
    Presence status = Presence::away;
    int capacity = 0;
    std::set<std::string> conversations;
};

struct ModelConversation {
    SessionId client = 0;
    SessionId advisor = 0;
    std::uint64_t last_seq = 0;
    std::map<std::pair<SessionId, std::string>, std::uint64_t> message_seqs;
};

class Model {
public:
    const ServiceNetwork network = demo_network();
    std::map<SessionId, ModelClient> clients;
    std::map<SessionId, ModelAdvisor> advisors;
    std::map<std::string, ModelConversation> conversations;
    std::map<std::string, std::vector<SessionId>> lines;
    std::uint64_t next_ticket = 1;
    int served_visits = 0;
    int unserved_visits = 0;
    int conversations_ended = 0;
    int conversations_started = 0;

    std::vector<std::string> errors;                       // codes of this event
    std::vector<std::pair<SessionId, SessionId>> assigned; // (client, advisor) in this event

    bool statically_eligible(const ModelAdvisor& advisor, const ModelClient& client) const {
        const Point* point = network.find_point(advisor.profile.point_id);
        const auto& spoken = advisor.profile.languages;
        return point != nullptr &&
               std::find(spoken.begin(), spoken.end(), *client.waiting_language) != spoken.end() &&
               network.tier_for(*point, client.home).has_value();
    }

    bool has_free_seat(const ModelAdvisor& advisor) const {
        return advisor.status == Presence::available &&
               static_cast<int>(advisor.conversations.size()) < advisor.capacity;
    }

    int speakers(const std::string& language) const {
        return static_cast<int>(std::count_if(advisors.begin(), advisors.end(), [&](const auto& a) {
            const auto& spoken = a.second.profile.languages;
            return std::find(spoken.begin(), spoken.end(), language) != spoken.end();
        }));
    }

    void join_line(SessionId session, const std::string& language, const std::string& home) {
        ModelClient& client = clients.at(session);
        client.waiting_language = language;
        client.home = home.empty() ? "unknown" : home;
        client.ticket = next_ticket++;
        client.last_told_position = 0;
        lines[language].push_back(session);
    }

    void leave_line(SessionId session) {
        ModelClient& client = clients.at(session);
        std::erase(lines[*client.waiting_language], session);
        client.waiting_language.reset();
    }

    void apply(const Effects& effects) {
        errors.clear();
        assigned.clear();
        std::map<std::string, std::uint64_t> ended_now;
        std::map<SessionId, std::pair<std::string, ConversationStarted>> started_for_client;
        std::vector<SessionId> closed;
        for (const Effect& effect : effects) {
            if (const auto* visit = std::get_if<RecordVisit>(&effect)) {
                if (visit->record.outcome == "served") {
                    ++served_visits;
                    REQUIRE(visit->record.duration_seconds >= 0);
                    REQUIRE(visit->record.point_id == visit->record.advisor_point_id);
                    REQUIRE_FALSE(visit->record.tier.empty());
                } else {
                    REQUIRE(visit->record.outcome == "unserved");
                    ++unserved_visits;
                    REQUIRE(visit->record.point_id.empty());
                    REQUIRE(visit->record.tier.empty());
                    REQUIRE(visit->record.ended_by == "client_left_queue");
                }
                continue;
            }
            if (const auto* close = std::get_if<CloseSession>(&effect)) {
                REQUIRE(advisors.contains(close->session));
                closed.push_back(close->session);
                continue;
            }
            const Deliver& deliver = std::get<Deliver>(effect);
            const SessionId to = deliver.to;
            std::visit(
                [&](const auto& m) {
                    using T = std::decay_t<decltype(m)>;
                    if constexpr (std::is_same_v<T, Queued>) {
                        ModelClient& client = clients.at(to);
                        REQUIRE(client.waiting_language == m.language);
                        REQUIRE(m.advisors_signed_in == speakers(m.language));
                        client.last_told_position = m.position;
                    } else if constexpr (std::is_same_v<T, ConversationStarted>) {
                        if (clients.contains(to)) {
                            ModelClient& client = clients.at(to);
                            REQUIRE(client.waiting_language == m.language);
                            REQUIRE(client.conversation.empty());
                            REQUIRE_FALSE(m.request_id.empty());
                            started_for_client[to] = {m.conversation, m};
                            return;
                        }
                        // The advisor's copy follows the client's.
                        auto pending = std::find_if(
                            started_for_client.begin(), started_for_client.end(),
                            [&](const auto& s) { return s.second.first == m.conversation; });
                        REQUIRE(pending != started_for_client.end());
                        REQUIRE(m.request_id.empty());
                        SessionId client_session = pending->first;
                        started_for_client.erase(pending);
                        ModelAdvisor& advisor = advisors.at(to);
                        ModelClient& client = clients.at(client_session);
                        REQUIRE(has_free_seat(advisor));
                        REQUIRE(statically_eligible(advisor, client));
                        const Point* point = network.find_point(advisor.profile.point_id);
                        REQUIRE(network.tier_for(*point, client.home) == m.tier);
                        REQUIRE_FALSE(conversations.contains(m.conversation));
                        leave_line(client_session);
                        client.conversation = m.conversation;
                        advisor.conversations.insert(m.conversation);
                        conversations[m.conversation] =
                            ModelConversation{client_session, to, 0, {}};
                        assigned.emplace_back(client_session, to);
                        ++conversations_started;
                    } else if constexpr (std::is_same_v<T, ChatMessage>) {
                        ModelConversation& talk = conversations.at(m.conversation);
                        REQUIRE((to == talk.client || to == talk.advisor));
                        REQUIRE(m.seq == talk.last_seq + 1);
                        talk.last_seq = m.seq;
                        SessionId sender = to == talk.client ? talk.advisor : talk.client;
                        talk.message_seqs[{sender, m.message_id}] = m.seq;
                    } else if constexpr (std::is_same_v<T, MessageAccepted>) {
                        ModelConversation& talk = conversations.at(m.conversation);
                        REQUIRE(talk.message_seqs.at({to, m.message_id}) == m.seq);
                    } else if constexpr (std::is_same_v<T, ConversationEnded>) {
                        auto it = conversations.find(m.conversation);
                        if (it == conversations.end()) {
                            REQUIRE(ended_now.at(m.conversation) == m.seq);
                            return;
                        }
                        REQUIRE((to == it->second.client || to == it->second.advisor));
                        REQUIRE(m.seq == it->second.last_seq + 1);
                        ended_now[m.conversation] = m.seq;
                        if (auto client = clients.find(it->second.client);
                            client != clients.end()) {
                            client->second.conversation.clear();
                        }
                        advisors.at(it->second.advisor).conversations.erase(m.conversation);
                        conversations.erase(it);
                        ++conversations_ended;
                    } else if constexpr (std::is_same_v<T, PresenceState>) {
                        ModelAdvisor& advisor = advisors.at(to);
                        advisor.status = m.status;
                        advisor.capacity = m.capacity;
                    } else {
                        errors.push_back(m.code);
                    }
                },
                deliver.message);
        }
        REQUIRE(started_for_client.empty());
        for (SessionId session : closed) {
            REQUIRE(advisors.at(session).conversations.empty());
            advisors.erase(session);
        }
    }

    void check(const Switchboard& board) const {
        REQUIRE(board.open_conversations() == conversations.size());
        REQUIRE(board.advisors_signed_in() == advisors.size());
        for (const Language& language : network.languages) {
            auto line = lines.find(language.tag);
            std::size_t length = line == lines.end() ? 0 : line->second.size();
            REQUIRE(board.queue_length(language.tag) == length);
        }
        std::set<SessionId> seen;
        for (const auto& [language, line] : lines) {
            for (std::size_t i = 0; i < line.size(); ++i) {
                const ModelClient& client = clients.at(line[i]);
                REQUIRE(seen.insert(line[i]).second);
                REQUIRE(client.conversation.empty());
                REQUIRE(client.last_told_position == static_cast<int>(i) + 1);
                for (const auto& [session, advisor] : advisors) {
                    REQUIRE_FALSE((has_free_seat(advisor) && statically_eligible(advisor, client)));
                }
            }
        }
        for (const auto& [client_session, advisor_session] : assigned) {
            // The model has already moved the client out of its line; its ticket remains.
            const std::uint64_t ticket = clients.at(client_session).ticket;
            const ModelAdvisor& advisor = advisors.at(advisor_session);
            for (const auto& [language, line] : lines) {
                for (SessionId earlier : line) {
                    const ModelClient& other = clients.at(earlier);
                    if (other.ticket < ticket) {
                        REQUIRE_FALSE(statically_eligible(advisor, other));
                    }
                }
            }
        }
        for (const auto& [id, talk] : conversations) {
            REQUIRE(clients.at(talk.client).conversation == id);
            REQUIRE(advisors.at(talk.advisor).conversations.contains(id));
        }
    }
};

// Portable across standard libraries, unlike the std distributions.
struct Dice {
    std::mt19937_64 engine;
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(engine() % n); }
    template <typename T> const T& pick(const std::vector<T>& from) {
        return from[below(from.size())];
    }
};

template <typename Map> typename Map::key_type any_key(Dice& dice, const Map& map) {
    auto it = map.begin();
    std::advance(it, static_cast<long>(dice.below(map.size())));
    return it->first;
}

} // namespace

TEST_CASE("random events keep every promise of the switchboard", "[core][invariants]") {
    FakeClock clock;
    Switchboard board{demo_network(), Policy{}, clock, "c-"};
    Model model;
    Dice dice{std::mt19937_64{20261125}};

    const std::vector<AdvisorProfile> staff{aino(), elias(), hanna(), tuomas(), oona(), veera()};
    const std::vector<std::string> languages{"fi", "ar", "zh", "so", "ru", "xx"};
    const std::vector<std::string> homes{"049", "091", "092", "837",   "564",
                                         "205", "853", "",    "other", "999"};
    const std::vector<std::string> message_ids{"m1", "m2", "m3", ""};
    const std::vector<std::string> texts{"Hei", "مرحبا", " ", std::string(4001, 'x')};
    const std::vector<std::optional<int>> capacities{std::nullopt, 0, 1, 2, 3, 11};
    SessionId next_session = 1;
    int left_queue = 0;

    for (int step = 0; step < 6000; ++step) {
        CAPTURE(step);
        const std::size_t kind = dice.below(100);
        // An event that needs someone who is not there is skipped, not replaced by another kind.
        const bool skip = (kind >= 12 && kind < 30 && model.clients.empty()) ||
                          (kind >= 36 && kind < 50 && model.advisors.empty()) ||
                          (kind >= 50 && kind < 84 && model.conversations.empty()) ||
                          (kind >= 84 && kind < 88 && model.clients.empty()) ||
                          (kind >= 88 && kind < 91 && model.advisors.empty());
        if (skip) {
            continue;
        }
        if (kind < 12) {
            SessionId session = next_session++;
            board.client_connected(session);
            model.clients[session];
        } else if (kind < 30) {
            SessionId session = any_key(dice, model.clients);
            const std::string& language = dice.pick(languages);
            const std::string& home = dice.pick(homes);
            ModelClient& client = model.clients.at(session);
            std::string expected;
            if (language == "xx") {
                expected = "unknown_language";
            } else if (home == "999") {
                expected = "unknown_municipality";
            } else if (client.waiting_language || !client.conversation.empty()) {
                expected = "already_requested";
            } else {
                model.join_line(session, language, home);
            }
            model.apply(board.client_request(session, "r", language, home));
            REQUIRE(model.errors == (expected.empty() ? std::vector<std::string>{}
                                                      : std::vector<std::string>{expected}));
        } else if (kind < 36) {
            SessionId session = next_session++;
            const AdvisorProfile& who = dice.pick(staff);
            auto effects = board.advisor_connected(session, who);
            model.advisors[session].profile = who;
            model.apply(effects);
            REQUIRE(model.advisors.at(session).status == Presence::away);
        } else if (kind < 50) {
            SessionId session = any_key(dice, model.advisors);
            auto status = dice.below(3) == 0 ? Presence::away : Presence::available;
            auto capacity = dice.pick(capacities);
            bool valid = !capacity || (*capacity >= 1 && *capacity <= 10);
            model.apply(board.set_presence(session, status, capacity, "p"));
            REQUIRE(model.errors == (valid ? std::vector<std::string>{}
                                           : std::vector<std::string>{"invalid_field"}));
        } else if (kind < 72) {
            const std::string id = any_key(dice, model.conversations);
            const ModelConversation& talk = model.conversations.at(id);
            SessionId sender = dice.below(2) == 0 ? talk.client : talk.advisor;
            const std::string& message_id = dice.pick(message_ids);
            const std::string& text = dice.pick(texts);
            model.apply(board.post_message(sender, id, message_id, text));
            std::string expected = message_id.empty()   ? "missing_field"
                                   : text == " "        ? "empty_message"
                                   : text.size() > 4000 ? "message_too_long"
                                                        : "";
            REQUIRE(model.errors == (expected.empty() ? std::vector<std::string>{}
                                                      : std::vector<std::string>{expected}));
        } else if (kind < 76) {
            const std::string id = any_key(dice, model.conversations);
            const ModelConversation& talk = model.conversations.at(id);
            std::uint64_t seq = dice.below(talk.last_seq + 2);
            model.apply(board.acknowledge(talk.advisor, id, seq));
            REQUIRE(model.errors.size() == (seq > talk.last_seq ? 1u : 0u));
        } else if (kind < 84) {
            const std::string id = any_key(dice, model.conversations);
            const ModelConversation& talk = model.conversations.at(id);
            SessionId ender = dice.below(2) == 0 ? talk.client : talk.advisor;
            model.apply(board.end_conversation(ender, id, "e"));
            REQUIRE(model.errors.empty());
            REQUIRE_FALSE(model.conversations.contains(id));
        } else if (kind < 88) {
            SessionId session = any_key(dice, model.clients);
            if (model.clients.at(session).waiting_language) {
                model.leave_line(session);
                ++left_queue;
            }
            model.apply(board.disconnected(session));
            REQUIRE(model.clients.at(session).conversation.empty());
            model.clients.erase(session);
        } else if (kind < 91) {
            SessionId session = any_key(dice, model.advisors);
            model.apply(board.disconnected(session));
            REQUIRE(model.advisors.at(session).conversations.empty());
            model.advisors.erase(session);
        } else if (kind < 93) {
            // Someone outside every conversation tries its luck.
            model.apply(board.post_message(next_session + 100, "c-1", "m", "Hei"));
            REQUIRE(model.errors == std::vector<std::string>{"not_in_conversation"});
        } else {
            clock.advance(std::chrono::seconds(dice.below(120)));
        }
        model.check(board);
        REQUIRE(model.served_visits == model.conversations_ended);
        REQUIRE(model.unserved_visits == left_queue);
    }
    // The run must have exercised the interesting paths, or it proves little.
    CHECK(model.conversations_started > 200);
    CHECK(model.conversations_ended > 200);
    CHECK(left_queue > 20);
}
