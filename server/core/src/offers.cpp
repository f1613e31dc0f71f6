#include "switchboard_state.hpp"

#include <algorithm>

namespace neuvo::core {

void Switchboard::State::make_offer(SessionId client, AdvisorMatch match, Effects& effects) {
    Request& request = request_of(client);
    SignedInAdvisor& advisor = advisors.at(match.advisor);
    // A transferred conversation keeps its id; a new one gets the next.
    std::string id = request.transfer_of.empty()
                         ? conversation_prefix + std::to_string(++conversations_started)
                         : request.transfer_of;
    TimePoint expires_at = clock.now() + policy.offer_timeout;
    offers.emplace(id, PendingOffer{client, match.advisor, match.tier, expires_at});
    offer_deadlines.emplace(expires_at, id);
    advisor.offers.push_back(id);
    request.offer = id;
    fresh_clients.erase(client);
    effects.push_back(Deliver{
        advisor.session,
        Offer{id, request.language, request.home, match.tier, expires_at, OfferKind::request,
              !request.transfer_of.empty(), request.transfer_from, request.transfer_note,
              clients.at(client).requester.channel, clients.at(client).requester.organisation}});
    effects.push_back(Deliver{advisor.session, advisor.presence_state()});
}

SignedInAdvisor& Switchboard::State::withdraw_offer(std::string id, const std::string& reason) {
    auto it = offers.find(id);
    PendingOffer offer = it->second;
    offers.erase(it);
    offer_deadlines.erase({offer.expires_at, id});
    SignedInAdvisor& advisor = advisors.at(offer.advisor);
    std::erase(advisor.offers, id);
    fresh_advisors.insert(offer.advisor);
    if (auto client = clients.find(offer.client);
        client != clients.end() && client->second.waiting) {
        Request& request = *client->second.waiting;
        request.offer.clear();
        if (reason == "declined" || reason == "timeout") {
            const TimePoint until = clock.now() + policy.reoffer_after;
            request.passed_over[offer.advisor] = until;
            reoffer_deadlines.emplace(until, offer.client);
        }
        fresh_clients.insert(offer.client);
    }
    return advisor;
}

void Switchboard::State::tell_withdrawn(std::string id, const std::string& reason,
                                        Effects& effects) {
    SignedInAdvisor& advisor = withdraw_offer(id, reason);
    effects.push_back(Deliver{advisor.session, OfferWithdrawn{id, reason}});
    effects.push_back(Deliver{advisor.session, advisor.presence_state()});
}

// An unanswered offer counts against the advisor: after policy.max_missed_offers in a row the
// advisor is probably not at the desk, and clients should not wait for them.
void Switchboard::State::expire_offer(const std::string& id, Effects& effects) {
    SignedInAdvisor& advisor = withdraw_offer(id, "timeout");
    effects.push_back(Deliver{advisor.session, OfferWithdrawn{id, "timeout"}});
    ++advisor.missed_offers_in_row;
    std::string reason;
    if (advisor.missed_offers_in_row >= policy.max_missed_offers) {
        advisor.status = Presence::away;
        advisor.missed_offers_in_row = 0;
        reason = "missed_offers";
    }
    effects.push_back(Deliver{advisor.session, advisor.presence_state(std::move(reason))});
}

} // namespace neuvo::core
