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

// Random events against the switchboard, with a model built only from the effects that came out
// (and from what the rules say happens silently: a dropped advisor's offers vanish). After every
// event the model checks the promises no single example can cover: offers plus conversations
// never exceed an advisor's capacity when an offer is made, nobody is offered or served twice,
// nobody is overtaken in their language's line by a later client the same advisor could serve,
// every waiting client's last Queued tells its true position, and no advisor with room sits idle
// while a client it may serve waits unoffered.

namespace {

constexpr int hour = 60;

// Oulu10 staffs its languages by the day (local time UTC+2), one slot past midnight and one
// from Sunday into Monday, so that advisors who follow the schedule come and go with the clock.
ServiceNetwork random_network() {
    ServiceNetwork network = demo_network();
    for (Point& point : network.points) {
        if (point.id == "564-oulu10") {
            point.languages = {
                LanguageOffer{"zh", {{1, 9 * hour, 16 * hour}, {7, 23 * hour, 1 * hour}}},
                LanguageOffer{"ar", {{2, 9 * hour, 16 * hour}, {4, 6 * hour, 7 * hour}}},
                LanguageOffer{"th", {{3, 22 * hour, 2 * hour}}},
            };
        }
    }
    return network;
}

// The schedule rule written out again, independently of the core's week arithmetic.
bool open_at(const LanguageOffer& offer, TimePoint utc) {
    if (offer.schedule.empty()) {
        return true;
    }
    TimePoint local = utc + 2h;
    auto day = std::chrono::floor<std::chrono::days>(local);
    int weekday = static_cast<int>(std::chrono::weekday{day}.iso_encoding());
    int minute =
        static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(local - day).count());
    for (const ScheduleSlot& slot : offer.schedule) {
        bool wraps = slot.to_minute <= slot.from_minute;
        if (slot.weekday == weekday && minute >= slot.from_minute &&
            (wraps || minute < slot.to_minute)) {
            return true;
        }
        if (wraps && weekday == slot.weekday % 7 + 1 && minute < slot.to_minute) {
            return true;
        }
    }
    return false;
}

struct ModelClient {
    std::optional<std::string> language; // set while waiting
    std::string home;
    std::string request_id;
    int told_position = 0;
    TimePoint told_at; // of told_position
    std::string offer;
    std::map<AdvisorId, TimePoint> passed_over; // and until when
    bool long_wait_told = false;
    std::string conversation;
};

struct ModelAdvisor {
    AdvisorProfile profile;
    SessionId session = 0; // 0 while reconnecting
    TimePoint grace_until;
    Presence status = Presence::away;
    int capacity = 3;
    bool follow_schedule = false;
    std::set<std::string> conversations;
    std::set<std::string> offers;
    int active() const { return static_cast<int>(conversations.size() + offers.size()); }
};

struct ModelOffer {
    SessionId client = 0;
    AdvisorId advisor = 0;
};

struct ModelConversation {
    SessionId client = 0;
    AdvisorId advisor = 0;
    std::string language;
    std::uint64_t last_seq = 0;
};

class Model {
public:
    const ServiceNetwork network = random_network();
    const FakeClock& clock;
    const std::chrono::seconds reoffer_after = Policy{}.reoffer_after;
    std::map<SessionId, ModelClient> clients;
    std::map<AdvisorId, ModelAdvisor> advisors;
    std::map<std::string, ModelOffer> offers;
    std::map<std::string, ModelConversation> conversations;
    std::map<std::string, std::vector<SessionId>> lines;
    int served_visits = 0;
    int unserved_visits = 0;
    int conversations_ended = 0;
    int conversations_started = 0;
    int offers_made = 0;
    int timeouts = 0;
    int reattached = 0;
    int requeued = 0;
    int alternatives = 0;

    std::vector<std::string> errors; // codes of this event
    // Wrap-ups advisors were told they owe: this model saves each at once (wrapup_tests.cpp and
    // the collaboration runs cover the rest), so that rows follow the conversations' ends.
    std::vector<std::pair<SessionId, std::string>> wrapups_owed;

    explicit Model(const FakeClock& c) : clock(c) {}
    const std::chrono::milliseconds news_interval = Policy{}.queue_news_interval;

    std::optional<AdvisorId> advisor_on(SessionId session) const {
        for (const auto& [id, advisor] : advisors) {
            if (advisor.session == session && session != 0) {
                return id;
            }
        }
        return std::nullopt;
    }

    bool eligible(const ModelAdvisor& advisor, const ModelClient& client) const {
        const std::string& language = *client.language;
        const Point* point = network.find_point(advisor.profile.point_id);
        const auto& spoken = advisor.profile.languages;
        if (point == nullptr || advisor.session == 0 || advisor.status != Presence::available ||
            advisor.active() >= advisor.capacity || !client.offer.empty() ||
            (client.passed_over.contains(advisor.profile.id) &&
             client.passed_over.at(advisor.profile.id) > clock.now()) ||
            std::find(spoken.begin(), spoken.end(), language) == spoken.end() ||
            !network.tier_for(*point, client.home)) {
            return false;
        }
        if (advisor.follow_schedule) {
            auto offer =
                std::find_if(point->languages.begin(), point->languages.end(),
                             [&](const LanguageOffer& o) { return o.language == language; });
            return offer != point->languages.end() && open_at(*offer, clock.now());
        }
        return true;
    }

    int speakers(const std::string& language) const {
        return static_cast<int>(std::count_if(advisors.begin(), advisors.end(), [&](const auto& a) {
            const auto& spoken = a.second.profile.languages;
            return std::find(spoken.begin(), spoken.end(), language) != spoken.end();
        }));
    }

    void join_line(SessionId session, const std::string& language, const std::string& home,
                   const std::string& request_id) {
        ModelClient& client = clients.at(session);
        client.language = language;
        client.home = home.empty() ? "unknown" : home;
        client.request_id = request_id;
        client.told_position = 0;
        client.passed_over.clear();
        client.long_wait_told = false;
        lines[language].push_back(session);
    }

    void leave_line(SessionId session) {
        ModelClient& client = clients.at(session);
        std::erase(lines[*client.language], session);
        client.language.reset();
        client.offer.clear();
    }

    // What the rules do without a message: a dropped advisor's offers are gone.
    void forget_offers_of(AdvisorId id) {
        for (const std::string& offer : std::set<std::string>(advisors.at(id).offers)) {
            clients.at(offers.at(offer).client).offer.clear();
            offers.erase(offer);
        }
        advisors.at(id).offers.clear();
    }

    void apply(const Effects& effects) {
        errors.clear();
        std::map<SessionId, std::string> started_for_client; // client -> conversation
        // Clients whose advisor did not come back go to the head of their line, the oldest
        // conversation's client first; a later advisor's clients go before an earlier one's.
        std::optional<AdvisorId> requeue_batch_of;
        std::map<std::string, std::size_t> requeue_batch_size;
        // Conversations an advisor's new socket took over in this event: what the advisor had
        // not confirmed of them comes again, numbered as before.
        std::set<std::string> reattached_now;
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
                    REQUIRE(visit->record.tier.empty());
                    REQUIRE((visit->record.ended_by == "client_left_queue" ||
                             visit->record.ended_by == "client_cancelled"));
                }
                continue;
            }
            if (const auto* close = std::get_if<CloseSession>(&effect)) {
                REQUIRE(close->reason == "replaced by a newer sign-in");
                continue;
            }
            if (is_open_work(effect)) {
                continue;
            }
            const Deliver& deliver = std::get<Deliver>(effect);
            const SessionId to = deliver.to;
            std::visit(
                [&](const auto& m) {
                    using T = std::decay_t<decltype(m)>;
                    if constexpr (std::is_same_v<T, Queued>) {
                        ModelClient& client = clients.at(to);
                        REQUIRE(client.language == m.language);
                        REQUIRE(client.request_id == m.request_id);
                        REQUIRE(m.advisors_signed_in == speakers(m.language));
                        REQUIRE(m.estimated_wait_seconds.has_value() == (m.advisors_signed_in > 0));
                        // The first news of a wait at once, later ones no closer together than
                        // the policy's interval.
                        REQUIRE((client.told_position == 0 ||
                                 clock.now() >= client.told_at + news_interval));
                        client.told_position = m.position;
                        client.told_at = clock.now();
                    } else if constexpr (std::is_same_v<T, Offer>) {
                        AdvisorId id = advisor_on(to).value();
                        ModelAdvisor& advisor = advisors.at(id);
                        REQUIRE_FALSE(offers.contains(m.conversation));
                        REQUIRE_FALSE(conversations.contains(m.conversation));
                        // Exactly one waiting unoffered client of this language and home, the
                        // first in line the advisor may serve.
                        auto& line = lines[m.language];
                        auto chosen = std::find_if(line.begin(), line.end(), [&](SessionId c) {
                            const ModelClient& client = clients.at(c);
                            return client.home == m.home_municipality && eligible(advisor, client);
                        });
                        if (chosen == line.end()) {
                            for (const Effect& e : effects) {
                                UNSCOPED_INFO(effect_text(e));
                            }
                            for (SessionId c : line) {
                                const ModelClient& mc = clients.at(c);
                                UNSCOPED_INFO("line " << c << " home=" << mc.home
                                                      << " offer=" << mc.offer
                                                      << " passed=" << mc.passed_over.size());
                            }
                            UNSCOPED_INFO("advisor " << id
                                                     << " status=" << presence_name(advisor.status)
                                                     << " cap=" << advisor.capacity
                                                     << " active=" << advisor.active()
                                                     << " follow=" << advisor.follow_schedule);
                        }
                        REQUIRE(chosen != line.end());
                        // Nobody earlier in the line could have had this advisor.
                        for (auto it = line.begin(); it != chosen; ++it) {
                            REQUIRE_FALSE(eligible(advisor, clients.at(*it)));
                        }
                        const Point* point = network.find_point(advisor.profile.point_id);
                        REQUIRE(network.tier_for(*point, m.home_municipality) == m.tier);
                        REQUIRE(advisor.active() < advisor.capacity);
                        clients.at(*chosen).offer = m.conversation;
                        advisor.offers.insert(m.conversation);
                        offers[m.conversation] = ModelOffer{*chosen, id};
                        ++offers_made;
                    } else if constexpr (std::is_same_v<T, OfferWithdrawn>) {
                        AdvisorId id = advisor_on(to).value();
                        ModelOffer offer = offers.at(m.conversation);
                        REQUIRE(offer.advisor == id);
                        offers.erase(m.conversation);
                        advisors.at(id).offers.erase(m.conversation);
                        if (auto client = clients.find(offer.client); client != clients.end()) {
                            client->second.offer.clear();
                            if (m.reason == "declined" || m.reason == "timeout") {
                                client->second.passed_over[id] = clock.now() + reoffer_after;
                            }
                        } else {
                            REQUIRE(m.reason == "client_left");
                        }
                        timeouts += m.reason == "timeout";
                    } else if constexpr (std::is_same_v<T, ConversationStarted>) {
                        if (clients.contains(to)) {
                            ModelClient& client = clients.at(to);
                            REQUIRE(client.offer == m.conversation);
                            REQUIRE(client.request_id == m.request_id);
                            started_for_client[to] = m.conversation;
                            return;
                        }
                        AdvisorId id = advisor_on(to).value();
                        REQUIRE(m.request_id.empty());
                        auto pending =
                            std::find_if(started_for_client.begin(), started_for_client.end(),
                                         [&](const auto& s) { return s.second == m.conversation; });
                        if (pending == started_for_client.end()) {
                            // A conversation carried over to the advisor's new socket.
                            REQUIRE(conversations.at(m.conversation).advisor == id);
                            ++reattached;
                            reattached_now.insert(m.conversation);
                            return;
                        }
                        SessionId client_session = pending->first;
                        started_for_client.erase(pending);
                        ModelOffer offer = offers.at(m.conversation);
                        REQUIRE(offer.advisor == id);
                        REQUIRE(offer.client == client_session);
                        offers.erase(m.conversation);
                        ModelAdvisor& advisor = advisors.at(id);
                        advisor.offers.erase(m.conversation);
                        advisor.conversations.insert(m.conversation);
                        leave_line(client_session);
                        clients.at(client_session).conversation = m.conversation;
                        conversations[m.conversation] =
                            ModelConversation{client_session, id, m.language, 0};
                        ++conversations_started;
                    } else if constexpr (std::is_same_v<T, ChatMessage>) {
                        ModelConversation& talk = conversations.at(m.conversation);
                        if (m.seq <= talk.last_seq) {
                            REQUIRE(reattached_now.contains(m.conversation));
                            REQUIRE(advisor_on(to) == talk.advisor);
                            return;
                        }
                        REQUIRE(m.seq == talk.last_seq + 1);
                        talk.last_seq = m.seq;
                    } else if constexpr (std::is_same_v<T, MessageAccepted>) {
                        REQUIRE(conversations.contains(m.conversation));
                    } else if constexpr (std::is_same_v<T, ConversationEnded>) {
                        auto it = conversations.find(m.conversation);
                        if (it == conversations.end()) {
                            return; // the other side's copy
                        }
                        REQUIRE(m.seq == it->second.last_seq + 1);
                        SessionId client = it->second.client;
                        const ModelConversation ended = it->second;
                        if (auto advisor = advisors.find(it->second.advisor);
                            advisor != advisors.end()) {
                            advisor->second.conversations.erase(m.conversation);
                        }
                        conversations.erase(it);
                        ++conversations_ended;
                        if (auto c = clients.find(client); c != clients.end()) {
                            c->second.conversation.clear();
                            if (m.reason == "advisor_disconnected") {
                                if (requeue_batch_of != ended.advisor) {
                                    requeue_batch_of = ended.advisor;
                                    requeue_batch_size.clear();
                                }
                                ModelClient& again = c->second;
                                again.language = ended.language;
                                again.passed_over.clear();
                                again.long_wait_told = false;
                                again.told_position = 0;
                                auto& line = lines[ended.language];
                                std::size_t& placed = requeue_batch_size[ended.language];
                                line.insert(line.begin() + static_cast<long>(placed), client);
                                ++placed;
                                ++requeued;
                            }
                        }
                    } else if constexpr (std::is_same_v<T, PresenceState>) {
                        ModelAdvisor& advisor = advisors.at(advisor_on(to).value());
                        advisor.status = m.status;
                        advisor.capacity = m.capacity;
                        advisor.follow_schedule = m.follow_schedule;
                        REQUIRE(m.active == advisor.active());
                    } else if constexpr (std::is_same_v<T, Alternatives>) {
                        ModelClient& client = clients.at(to);
                        REQUIRE(client.language == m.language);
                        if (m.reason == "long_wait") {
                            REQUIRE_FALSE(client.long_wait_told);
                            client.long_wait_told = true;
                        } else {
                            REQUIRE(m.reason == "nobody_signed_in");
                            REQUIRE(speakers(m.language) == 0);
                        }
                        ++alternatives;
                    } else if constexpr (std::is_same_v<T, RequestClosed>) {
                        REQUIRE(clients.at(to).request_id == m.request_id);
                    } else if constexpr (std::is_same_v<T, WrapupDue>) {
                        REQUIRE(advisor_on(to).has_value());
                        wrapups_owed.emplace_back(to, m.conversation);
                    } else if constexpr (std::is_same_v<T, WrapupDone>) {
                        REQUIRE(m.status == "saved");
                    } else if constexpr (std::is_same_v<T, AdvisorConnection>) {
                        REQUIRE(clients.at(to).conversation == m.conversation);
                    } else if constexpr (std::is_same_v<T, ErrorReply>) {
                        errors.push_back(m.code);
                    } else {
                        // These runs have no colleagues working together; nothing of it may
                        // appear out of routing alone.
                        FAIL("unexpected collaboration message to " << to);
                    }
                },
                deliver.message);
        }
        REQUIRE(started_for_client.empty());
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
                // Told where it stands, or told within the interval and due to hear the rest
                // when it has passed.
                if (client.told_position != static_cast<int>(i) + 1) {
                    REQUIRE(client.told_position != 0);
                    REQUIRE(clock.now() < client.told_at + news_interval);
                    REQUIRE(board.next_deadline().has_value());
                    REQUIRE(*board.next_deadline() <= client.told_at + news_interval);
                }
                for (const auto& [id, advisor] : advisors) {
                    REQUIRE_FALSE(eligible(advisor, client));
                }
            }
        }
        std::set<SessionId> engaged;
        for (const auto& [id, offer] : offers) {
            REQUIRE(engaged.insert(offer.client).second);
            REQUIRE(clients.at(offer.client).offer == id);
            REQUIRE(clients.at(offer.client).language.has_value());
        }
        for (const auto& [id, talk] : conversations) {
            REQUIRE(engaged.insert(talk.client).second);
            REQUIRE(clients.at(talk.client).conversation == id);
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

void run_random_events(std::uint64_t seed, int steps) {
    FakeClock clock;
    clock.set_utc_offset(2h);
    Switchboard board{random_network(), Policy{}, clock, "c-"};
    Model model(clock);
    Dice dice{std::mt19937_64{seed}};

    const std::vector<AdvisorProfile> staff{aino(),
                                            elias(),
                                            hanna(),
                                            tuomas(),
                                            oona(),
                                            veera(),
                                            profile(7, "Sami", "564-oulu10", {"zh", "fi"})};
    const std::vector<std::string> languages{"fi", "ar", "zh", "so", "th", "xx"};
    const std::vector<std::string> homes{"049", "091", "092", "837",   "564",
                                         "205", "853", "",    "other", "999"};
    const std::vector<std::optional<int>> capacities{std::nullopt, 0, 1, 1, 2, 3, 11};
    SessionId next_session = 1;
    int requests = 0;

    for (int step = 0; step < steps; ++step) {
        CAPTURE(seed, step);
        const std::size_t kind = dice.below(100);
        if (kind < 10) {
            SessionId session = next_session++;
            board.client_connected(session);
            model.clients[session];
        } else if (kind < 24) {
            if (model.clients.empty()) {
                continue;
            }
            SessionId session = any_key(dice, model.clients);
            const std::string& language = dice.pick(languages);
            const std::string& home = dice.pick(homes);
            std::vector<std::string> also{dice.pick(languages), dice.pick(languages)};
            ModelClient& client = model.clients.at(session);
            std::string expected;
            std::string request_id = "r" + std::to_string(++requests);
            if (language == "xx") {
                expected = "unknown_language";
            } else if (home == "999") {
                expected = "unknown_municipality";
            } else if (client.language || !client.conversation.empty()) {
                expected = "already_requested";
            } else {
                model.join_line(session, language, home, request_id);
            }
            model.apply(board.client_request(session, request_id, language, home, also));
            REQUIRE(model.errors == (expected.empty() ? std::vector<std::string>{}
                                                      : std::vector<std::string>{expected}));
        } else if (kind < 28) {
            if (model.clients.empty()) {
                continue;
            }
            SessionId session = any_key(dice, model.clients);
            ModelClient& client = model.clients.at(session);
            const bool waiting = client.language.has_value();
            const std::string request_id = client.request_id;
            Effects effects = board.cancel_request(session, request_id, "x-" + request_id);
            if (waiting) {
                model.leave_line(session);
            }
            model.apply(effects);
            REQUIRE(model.errors == (waiting ? std::vector<std::string>{}
                                             : std::vector<std::string>{"unknown_request"}));
        } else if (kind < 34) {
            const AdvisorProfile& who = dice.pick(staff);
            SessionId session = next_session++;
            if (auto known = model.advisors.find(who.id); known != model.advisors.end()) {
                ModelAdvisor& advisor = known->second;
                if (advisor.session != 0) {
                    model.forget_offers_of(who.id);
                    advisor.status = Presence::away;
                    advisor.capacity = 3;
                    advisor.follow_schedule = false;
                }
                advisor.session = session;
            } else {
                ModelAdvisor& advisor = model.advisors[who.id];
                advisor.profile = who;
                advisor.session = session;
            }
            model.apply(board.advisor_connected(session, who));
        } else if (kind < 46) {
            if (model.advisors.empty()) {
                continue;
            }
            ModelAdvisor& advisor = model.advisors.at(any_key(dice, model.advisors));
            auto status = dice.below(4) == 0 ? Presence::away : Presence::available;
            auto capacity = dice.pick(capacities);
            std::optional<bool> follow;
            if (dice.below(3) == 0) {
                follow = dice.below(2) == 0;
            }
            bool valid = !capacity || (*capacity >= 1 && *capacity <= 10);
            SessionId session = advisor.session == 0 ? next_session + 1000 : advisor.session;
            model.apply(board.set_presence(session, status, capacity, "p", follow));
            std::vector<std::string> expected;
            if (advisor.session == 0) {
                expected = {"not_allowed"};
            } else if (!valid) {
                expected = {"invalid_field"};
            }
            REQUIRE(model.errors == expected);
        } else if (kind < 62) {
            if (model.offers.empty()) {
                continue;
            }
            const std::string id = any_key(dice, model.offers);
            const ModelOffer offer = model.offers.at(id);
            const SessionId session = model.advisors.at(offer.advisor).session;
            const std::size_t answer = dice.below(10);
            if (answer < 7) {
                model.apply(board.accept_offer(session, id, "a"));
                REQUIRE(model.errors.empty());
                REQUIRE(model.conversations.contains(id));
            } else if (answer < 9) {
                model.apply(board.decline_offer(session, id, "d"));
                REQUIRE(model.errors.empty());
                REQUIRE_FALSE(model.offers.contains(id));
            } else {
                // Someone else's offer.
                model.apply(board.accept_offer(offer.client, id, "a"));
                REQUIRE(model.errors == std::vector<std::string>{"not_allowed"});
            }
        } else if (kind < 70) {
            if (model.conversations.empty()) {
                continue;
            }
            const std::string id = any_key(dice, model.conversations);
            const ModelConversation talk = model.conversations.at(id);
            const ModelAdvisor& advisor = model.advisors.at(talk.advisor);
            const bool from_client = dice.below(2) == 0 || advisor.session == 0;
            model.apply(
                board.post_message(from_client ? talk.client : advisor.session, id, "m", "Hei"));
            if (advisor.session == 0) {
                REQUIRE(model.errors == std::vector<std::string>{"advisor_unavailable"});
            } else {
                REQUIRE(model.errors.empty());
            }
        } else if (kind < 78) {
            if (model.conversations.empty()) {
                continue;
            }
            const std::string id = any_key(dice, model.conversations);
            const ModelConversation talk = model.conversations.at(id);
            const ModelAdvisor& advisor = model.advisors.at(talk.advisor);
            const bool by_client = dice.below(2) == 0 || advisor.session == 0;
            model.apply(board.end_conversation(by_client ? talk.client : advisor.session, id, "e"));
            REQUIRE(model.errors.empty());
            REQUIRE_FALSE(model.conversations.contains(id));
        } else if (kind < 83) {
            if (model.clients.empty()) {
                continue;
            }
            SessionId session = any_key(dice, model.clients);
            Effects effects = board.disconnected(session);
            if (model.clients.at(session).language) {
                std::erase(model.lines[*model.clients.at(session).language], session);
            }
            model.apply(effects);
            if (const std::string id = model.clients.at(session).conversation; !id.empty()) {
                // Nobody is told when the advisor is in the grace period: the row waits for the
                // advisor's wrap-up, and the advisor's seat is free when they come back.
                const ModelConversation talk = model.conversations.at(id);
                ModelAdvisor& advisor = model.advisors.at(talk.advisor);
                REQUIRE(advisor.session == 0);
                REQUIRE(std::none_of(effects.begin(), effects.end(), [](const Effect& effect) {
                    return std::holds_alternative<RecordVisit>(effect) &&
                           std::get<RecordVisit>(effect).record.outcome == "served";
                }));
                advisor.conversations.erase(id);
                model.conversations.erase(id);
                model.clients.at(session).conversation.clear();
                ++model.conversations_ended;
            }
            REQUIRE(model.clients.at(session).conversation.empty());
            REQUIRE(model.clients.at(session).offer.empty());
            model.clients.erase(session);
        } else if (kind < 88) {
            std::vector<AdvisorId> connected;
            for (const auto& [id, advisor] : model.advisors) {
                if (advisor.session != 0) {
                    connected.push_back(id);
                }
            }
            if (connected.empty()) {
                continue;
            }
            AdvisorId id = dice.pick(connected);
            ModelAdvisor& advisor = model.advisors.at(id);
            SessionId session = advisor.session;
            model.forget_offers_of(id);
            if (advisor.conversations.empty()) {
                model.advisors.erase(id);
            } else {
                advisor.session = 0;
                advisor.grace_until = clock.now() + board.policy().advisor_grace;
            }
            model.apply(board.disconnected(session));
        } else {
            // Time passes, mostly a little, sometimes hours (schedules open and close).
            const std::size_t jump = dice.below(20);
            clock.advance(jump == 0 ? std::chrono::seconds(3600 * (1 + dice.below(30)))
                                    : std::chrono::seconds(dice.below(90)));
            for (auto it = model.advisors.begin(); it != model.advisors.end();) {
                if (it->second.session == 0 && it->second.grace_until <= clock.now()) {
                    it = model.advisors.erase(it);
                } else {
                    ++it;
                }
            }
            model.apply(board.tick());
            // Everything due has been handled: the same reading changes nothing.
            REQUIRE(board.tick().empty());
            if (auto next = board.next_deadline()) {
                REQUIRE(*next > clock.now());
            }
        }
        while (!model.wrapups_owed.empty()) {
            const auto [advisor, conversation] = model.wrapups_owed.back();
            model.wrapups_owed.pop_back();
            model.apply(board.save_wrapup(advisor, conversation, Wrapup{}, "w"));
            model.apply(board.visit_stored(conversation, true));
        }
        model.check(board);
        // Every ended conversation has its one row, or its row waits for a wrap-up.
        REQUIRE(model.served_visits + static_cast<int>(board.wrapups_due()) ==
                model.conversations_ended);
    }
    // The run must have exercised the interesting paths, or it proves little.
    CHECK(model.conversations_started > 60);
    CHECK(model.offers_made > 200);
    CHECK(model.timeouts > 10);
    CHECK(model.reattached > 5);
    CHECK(model.requeued > 5);
    CHECK(model.alternatives > 20);
    CHECK(model.unserved_visits > 20);
    UNSCOPED_INFO("started " << model.conversations_started << " offers " << model.offers_made
                             << " timeouts " << model.timeouts << " reattached " << model.reattached
                             << " requeued " << model.requeued << " alternatives "
                             << model.alternatives << " unserved " << model.unserved_visits);
}

} // namespace

TEST_CASE("random events keep every promise of the switchboard", "[core][invariants]") {
    for (std::uint64_t seed : {20261125u, 1u, 2u, 3u, 4u}) {
        run_random_events(seed, 6000);
    }
    // Show the counts of the last run when asked (-s).
    SUCCEED();
}
