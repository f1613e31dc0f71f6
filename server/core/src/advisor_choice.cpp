#include "switchboard_state.hpp"

#include "weekly_schedule.hpp"

#include <tuple>

namespace neuvo::core {

// An advisor who follows the schedule is offered a language only while their point offers it;
// the others serve every language they speak whenever they are available.
bool Switchboard::State::schedule_allows(const SignedInAdvisor& advisor,
                                         const std::string& language,
                                         std::int64_t week_second) const {
    if (!advisor.follow_schedule) {
        return true;
    }
    const LanguageOffer* offer = advisor.point ? find_offer(*advisor.point, language) : nullptr;
    return offer != nullptr && offered_at(*offer, week_second);
}

std::optional<Tier> Switchboard::State::eligible_tier(const SignedInAdvisor& advisor,
                                                      const Request& request,
                                                      std::int64_t week_second) const {
    if (!advisor.has_free_seat() || advisor.point == nullptr || !request.offer.empty() ||
        !advisor.speaks(request.language) ||
        request.passed_over_by(advisor.profile.id, clock.now()) ||
        !schedule_allows(advisor, request.language, week_second)) {
        return std::nullopt;
    }
    return tiers.tier(advisor.point_index, request.home);
}

// The closest tier first, then the least loaded, then the one idle longest, then the lowest
// session id so that the choice is reproducible.
std::optional<AdvisorMatch> Switchboard::State::choose_advisor(const Request& request,
                                                               std::int64_t week_second) const {
    auto speaking = speakers.find(request.language);
    if (speaking == speakers.end()) {
        return std::nullopt;
    }
    std::optional<AdvisorMatch> best;
    auto preference = [](Tier tier, const SignedInAdvisor& a) {
        return std::make_tuple(tier, a.active(), a.idle_since, a.session);
    };
    const SignedInAdvisor* best_advisor = nullptr;
    for (const SignedInAdvisor* speaker : speaking->second) {
        const SignedInAdvisor& advisor = *speaker;
        auto tier = eligible_tier(advisor, request, week_second);
        if (tier && (!best || preference(*tier, advisor) < preference(best->tier, *best_advisor))) {
            best = AdvisorMatch{advisor.profile.id, *tier};
            best_advisor = &advisor;
        }
    }
    return best;
}

std::optional<std::pair<WaitingRoom::Ticket, SessionId>>
Switchboard::State::first_eligible_client(const SignedInAdvisor& advisor,
                                          std::int64_t week_second) const {
    std::optional<std::pair<WaitingRoom::Ticket, SessionId>> first;
    if (!advisor.has_free_seat() || advisor.point == nullptr) {
        return first;
    }
    for (const std::string& language : advisor.profile.languages) {
        const auto* homes = waiting.by_home(language);
        if (homes == nullptr || !schedule_allows(advisor, language, week_second)) {
            continue;
        }
        for (const auto& [home, bucket] : *homes) {
            if (!tiers.tier(advisor.point_index, home)) {
                continue;
            }
            // Within one home everyone is alike to this advisor but for offers and refusals,
            // so the first such client is the one.
            for (const auto& [ticket, client] : bucket) {
                if (first && first->first < ticket) {
                    break;
                }
                const Request& request = *clients.at(client).waiting;
                if (request.offer.empty() &&
                    !request.passed_over_by(advisor.profile.id, clock.now())) {
                    first = std::make_pair(ticket, client);
                    break;
                }
            }
        }
    }
    return first;
}

// Restores the promise that no waiting, unoffered client has an eligible advisor with room.
// Only the event's fresh clients and advisors can break it. The candidates are the fresh clients
// and each fresh advisor's longest-waiting eligible client; the longest-waiting candidate goes
// first and takes its best advisor. So nobody is overtaken by a later client of an advisor it
// could have had: a fresh advisor would have named the earlier client, and an advisor who was
// not fresh had no eligible client before the event.
void Switchboard::State::route(Effects& effects) {
    if (fresh_clients.empty() && fresh_advisors.empty()) {
        return;
    }
    const std::int64_t week_second = local_week_second();
    while (true) {
        std::optional<std::pair<WaitingRoom::Ticket, SessionId>> next;
        for (auto it = fresh_clients.begin(); it != fresh_clients.end();) {
            auto client = clients.find(*it);
            if (client == clients.end() || !client->second.waiting ||
                !client->second.waiting->offer.empty()) {
                it = fresh_clients.erase(it);
                continue;
            }
            auto candidate = std::make_pair(client->second.waiting->ticket, *it);
            if (!next || candidate < *next) {
                next = candidate;
            }
            ++it;
        }
        for (auto it = fresh_advisors.begin(); it != fresh_advisors.end();) {
            auto advisor = advisors.find(*it);
            auto candidate = advisor == advisors.end()
                                 ? std::nullopt
                                 : first_eligible_client(advisor->second, week_second);
            if (!candidate) {
                it = fresh_advisors.erase(it);
                continue;
            }
            if (!next || *candidate < *next) {
                next = candidate;
            }
            ++it;
        }
        if (!next) {
            return;
        }
        fresh_clients.erase(next->second);
        if (auto match = choose_advisor(request_of(next->second), week_second)) {
            make_offer(next->second, *match, effects);
        }
    }
}

} // namespace neuvo::core
