// How long one routing decision takes in a busy network: 1,000 advisors, all busy, and 10,000
// clients waiting across languages. Build in Release and run bench/routing_benchmark.

#include "neuvo/core/switchboard.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
#include <string>
#include <variant>
#include <vector>

using namespace neuvo::core;

namespace {

class StillClock final : public Clock {
public:
    TimePoint now() const override { return now_; }
    std::chrono::minutes utc_offset(TimePoint) const override { return std::chrono::minutes{120}; }

private:
    TimePoint now_ =
        std::chrono::sys_days{std::chrono::year{2026} / 11 / 25} + std::chrono::hours{12};
};

// Not "p" + std::to_string(i): GCC 12 at -O3 warns falsely about that (-Wrestrict).
std::string numbered(std::string prefix, int number) {
    prefix += std::to_string(number);
    return prefix;
}

LanguageOffer offer(std::string language) {
    return LanguageOffer{std::move(language), {}};
}

const std::vector<std::string> languages{"fi", "sv", "en", "ru", "ar", "so", "fa", "zh"};
const std::vector<std::string> homes{"091", "049", "092", "837", "853", "205", "", "other"};
const std::vector<std::string> point_homes{"091", "049", "092", "837", "853", "205"};

// Twenty points, the first four a region, every fifth in the national pool, Oulu apart.
ServiceNetwork busy_network() {
    ServiceNetwork network;
    for (const std::string& tag : languages) {
        network.languages.push_back(Language{tag, tag, false});
    }
    network.municipalities = {{"091", "Helsinki", "capital-region"},
                              {"049", "Espoo", "capital-region"},
                              {"092", "Vantaa", "capital-region"},
                              {"837", "Tampere", ""},
                              {"853", "Turku", ""},
                              {"205", "Kajaani", ""},
                              {"564", "Oulu", ""}};
    for (int i = 0; i < 20; ++i) {
        Point point;
        point.id = numbered("p", i);
        point.municipality = point_homes[static_cast<std::size_t>(i) % point_homes.size()];
        point.name = point.id;
        for (const std::string& tag : languages) {
            point.languages.push_back(offer(tag));
        }
        point.serves_municipalities = {"205"};
        point.national_pool = i % 5 == 0;
        network.points.push_back(std::move(point));
    }
    Point oulu;
    oulu.id = "564-oulu10";
    oulu.municipality = "564";
    oulu.name = "Oulu10";
    oulu.languages = {offer("fi")};
    network.points.push_back(std::move(oulu));
    return network;
}

std::vector<std::string> offered_conversations(const Effects& effects) {
    std::vector<std::string> ids;
    for (const Effect& effect : effects) {
        if (const auto* deliver = std::get_if<Deliver>(&effect)) {
            if (const auto* o = std::get_if<Offer>(&deliver->message)) {
                ids.push_back(o->conversation);
            }
        }
    }
    return ids;
}

// 1,000 advisors with every seat taken and 10,000 clients waiting, plus one Oulu advisor with a
// free seat whom none of the waiting clients may have (Oulu10 serves only Oulu residents).
struct BusyNetwork {
    StillClock clock;
    // Every move told at once: the clock stands still, so with the default interval the line's
    // news would be held for ever, and the figure is meant to show what telling costs.
    Switchboard board{busy_network(), Policy{.queue_news_interval = std::chrono::milliseconds{0}},
                      clock, "b-"};
    SessionId next_session = 1;
    SessionId oulu_advisor = 0;

    BusyNetwork() {
        // Advisors sign in away, so that the seats are filled in a controlled way below.
        std::vector<SessionId> advisors;
        for (int i = 0; i < 1000; ++i) {
            SessionId session = next_session++;
            std::vector<std::string> spoken{"fi", languages[1 + static_cast<std::size_t>(i) % 7],
                                            languages[1 + static_cast<std::size_t>(i + 3) % 7]};
            board.advisor_connected(
                session, AdvisorProfile{i + 1, numbered("A", i), numbered("p", i % 20), spoken});
            advisors.push_back(session);
        }
        // Each advisor becomes available with two seats and takes two residents of its point's
        // municipality at once.
        for (std::size_t i = 0; i < advisors.size(); ++i) {
            for (int seat = 0; seat < 2; ++seat) {
                SessionId client = next_session++;
                board.client_connected(client);
                board.client_request(client, "r", "fi", point_homes[i % 20 % point_homes.size()]);
            }
            for (const std::string& id : offered_conversations(
                     board.set_presence(advisors[i], Presence::available, 2, "p"))) {
                board.accept_offer(advisors[i], id, "a");
            }
        }
        for (int i = 0; i < 10000; ++i) {
            SessionId client = next_session++;
            board.client_connected(client);
            board.client_request(client, "r", languages[static_cast<std::size_t>(i) % 8],
                                 homes[static_cast<std::size_t>(i) % homes.size()]);
        }
        oulu_advisor = next_session++;
        board.advisor_connected(oulu_advisor, AdvisorProfile{5000, "Oona", "564-oulu10", {"fi"}});
        board.set_presence(oulu_advisor, Presence::available, 1, "p");
    }
};

// An Oulu resident asks for Finnish: the switchboard weighs every Finnish-speaking advisor and
// offers the client to the Oulu advisor; then the client leaves, withdrawing the offer, and the
// Oulu advisor looks for another client it may serve (none). The state is the same afterwards.
void BM_RequestOfferedThenLeaves(benchmark::State& state) {
    BusyNetwork network;
    for (auto _ : state) {
        SessionId client = network.next_session++;
        network.board.client_connected(client);
        Effects offered = network.board.client_request(client, "r", "fi", "564");
        Effects left = network.board.disconnected(client);
        if (offered_conversations(offered).size() != 1) {
            state.SkipWithError("the Oulu resident was not offered");
            return;
        }
        benchmark::DoNotOptimize(offered);
        benchmark::DoNotOptimize(left);
    }
    state.counters["fi_waiting"] = static_cast<double>(network.board.queue_length("fi"));
    state.counters["conversations"] = static_cast<double>(network.board.open_conversations());
}
BENCHMARK(BM_RequestOfferedThenLeaves);

// An advisor's conversation ends; the longest-waiting client it may serve is offered and accepted,
// which moves everyone behind that client up one place: each of them gets a new Queued. A new
// client joins at the back so that the line stays as long.
void BM_SeatFreedOfferAcceptedLineMoves(benchmark::State& state) {
    BusyNetwork network;
    // The conversation ids of advisor session 1 ("b-1", "b-2") are taken in turn.
    std::string conversation = "b-1";
    for (auto _ : state) {
        Effects freed = network.board.end_conversation(1, conversation, "e");
        std::vector<std::string> offered = offered_conversations(freed);
        if (offered.size() != 1) {
            state.SkipWithError("no offer after the seat was freed");
            return;
        }
        Effects accepted = network.board.accept_offer(1, offered[0], "a");
        conversation = offered[0];
        SessionId client = network.next_session++;
        network.board.client_connected(client);
        Effects joined = network.board.client_request(client, "r", "sv", "091");
        benchmark::DoNotOptimize(accepted);
        benchmark::DoNotOptimize(joined);
        state.counters["effects"] = static_cast<double>(freed.size() + accepted.size());
    }
}
BENCHMARK(BM_SeatFreedOfferAcceptedLineMoves);

} // namespace

BENCHMARK_MAIN();
