#include "switchboard_state.hpp"

#include <algorithm>
#include <tuple>

namespace neuvo::core {

// A supervisor's picture: per language, who waits and who could serve; per advisor, their state.
// "Available" advisors are those a client could be offered to now if they had room: connected
// and set available (capacity and schedules are not considered).
LiveView Switchboard::live_view() const {
    const State& s = *state_;
    const TimePoint now = s.clock.now();
    LiveView view;
    for (const Language& language : s.network.languages) {
        LanguageQueueView row;
        row.language = language.tag;
        if (const auto* line = s.waiting.line(language.tag)) {
            row.waiting = static_cast<int>(line->size());
            for (const auto& place : *line) {
                TimePoint since = s.clients.at(place.client).waiting->at;
                if (since < now) {
                    row.longest_wait_seconds = std::max<std::int64_t>(
                        row.longest_wait_seconds,
                        std::chrono::duration_cast<std::chrono::seconds>(now - since).count());
                }
            }
        }
        if (auto speaking = s.speakers.find(language.tag); speaking != s.speakers.end()) {
            for (const SignedInAdvisor* speaker : speaking->second) {
                const SignedInAdvisor& advisor = *speaker;
                ++row.advisors_signed_in;
                if (advisor.connected() && advisor.status == Presence::available) {
                    ++row.advisors_available;
                }
            }
        }
        if (auto unmet = s.unmet_requests.find(language.tag); unmet != s.unmet_requests.end()) {
            row.unmet_requests = unmet->second;
        }
        if (row.waiting > 0 || row.advisors_signed_in > 0 || row.unmet_requests > 0) {
            view.languages.push_back(std::move(row));
        }
    }
    for (const auto& [id, advisor] : s.advisors) {
        view.advisors.push_back(AdvisorView{
            advisor.profile.display_name, advisor.profile.point_id, advisor.profile.languages,
            advisor.status, advisor.active(), advisor.capacity, advisor.connected()});
    }
    for (const auto& [id, talk] : s.conversations) {
        ConversationView row;
        row.conversation = id;
        row.language = talk.facts().language;
        row.home_municipality = talk.facts().home;
        row.channel = talk.facts().channel;
        row.point_id = talk.last_lead_point;
        const Conversation::Seat* lead = talk.lead();
        if (lead != nullptr) {
            row.advisors.push_back(s.advisors.at(lead->advisor).profile.display_name);
        }
        for (const Conversation::Seat& seat : talk.seats()) {
            if (!seat.lead) {
                row.advisors.push_back(s.advisors.at(seat.advisor).profile.display_name);
            }
        }
        row.waiting_for_advisor = lead == nullptr || !s.advisors.at(lead->advisor).connected();
        if (talk.facts().started_at < now) {
            row.duration_seconds =
                std::chrono::duration_cast<std::chrono::seconds>(now - talk.facts().started_at)
                    .count();
        }
        view.conversations.push_back(std::move(row));
    }
    std::sort(view.conversations.begin(), view.conversations.end(),
              [](const ConversationView& a, const ConversationView& b) {
                  return std::tie(b.duration_seconds, a.conversation) <
                         std::tie(a.duration_seconds, b.conversation);
              });
    std::sort(view.advisors.begin(), view.advisors.end(),
              [](const AdvisorView& a, const AdvisorView& b) {
                  return std::tie(a.point_id, a.name) < std::tie(b.point_id, b.name);
              });
    return view;
}

} // namespace neuvo::core
