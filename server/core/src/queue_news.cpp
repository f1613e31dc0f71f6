#include "switchboard_state.hpp"

#include "weekly_schedule.hpp"

#include <algorithm>

namespace neuvo::core {

namespace {

bool same_news(const Queued& a, const Queued& b) {
    return a.position == b.position && a.advisors_signed_in == b.advisors_signed_in &&
           a.estimated_wait_seconds == b.estimated_wait_seconds;
}

} // namespace

// Tells every waiting client whose position, estimate or advisor count changed during the event,
// or who just joined, where it stands now; a client told within the last queue_news_interval is
// told when it has passed (the tick then reads its line again). Only lines that moved, whose
// staffing or service history changed or that have news due are read, and in a moved line only
// from the first place that moved.
void Switchboard::State::announce_queue(Effects& effects) {
    std::map<std::string, std::size_t> from = waiting.take_moved_from();
    for (const std::string& language : restaffed) {
        from[language] = 0;
    }
    restaffed.clear();
    for (const std::string& language : news_due) {
        from[language] = 0;
    }
    news_due.clear();
    const TimePoint now = clock.now();
    for (const auto& [language, first] : from) {
        const auto* line = waiting.line(language);
        if (line == nullptr) {
            continue;
        }
        const Staffing staff = staffing(language);
        auto recent = history.find(language);
        const std::optional<double> mean =
            recent == history.end() ? std::nullopt : recent->second.mean_seconds();
        for (std::size_t i = first; i < line->size(); ++i) {
            const SessionId client = (*line)[i].client;
            Request& request = request_of(client);
            const int position = static_cast<int>(i) + 1;
            Queued news{request.id, language, position, staff.advisors_signed_in,
                        estimate_wait(mean, policy.default_service, staff, position)};
            if (request.told && same_news(*request.told, news)) {
                continue;
            }
            if (request.told && now < request.told_at + policy.queue_news_interval) {
                if (!request.news_due) {
                    request.news_due = request.told_at + policy.queue_news_interval;
                    queue_news_deadlines.emplace(*request.news_due, client);
                }
                continue;
            }
            if (request.news_due) {
                queue_news_deadlines.erase({*request.news_due, client});
                request.news_due.reset();
            }
            request.told = news;
            request.told_at = now;
            effects.push_back(Deliver{client, std::move(news)});
        }
    }
}

Alternatives Switchboard::State::alternatives_for(SessionId client,
                                                  const std::string& reason) const {
    const ClientSession& session = clients.at(client);
    const Request& request = *session.waiting;
    Alternatives alternatives{
        request.id, request.language, reason, next_staffed(request.language), {}};
    for (const std::string& language : session.also_speaks) {
        const int position = static_cast<int>(waiting.length(language)) + 1;
        alternatives.other_languages.push_back(LanguageWait{
            language, staffing(language).advisors_signed_in, estimate(language, position)});
    }
    return alternatives;
}

// The earliest start of a scheduled slot for the language at any point, within the coming week;
// a slot open now counts as starting now. Points that list the language without a schedule say
// nothing about when someone will be there, so they are left out.
std::optional<NextStaffed> Switchboard::State::next_staffed(const std::string& language) const {
    const TimePoint now = clock.now();
    const TimePoint local = now + clock.utc_offset(now);
    const std::int64_t face = week_second(local);
    std::optional<std::int64_t> soonest;
    const Point* where = nullptr;
    for (const Point& point : network.points) {
        const LanguageOffer* offer = find_offer(point, language);
        if (offer == nullptr) {
            continue;
        }
        for (const ScheduleSlot& slot : offer->schedule) {
            std::int64_t wait = slot_open(slot, face) ? 0 : seconds_until_start(slot, face);
            if (!soonest || wait < *soonest) {
                soonest = wait;
                where = &point;
            }
        }
    }
    if (!soonest) {
        return std::nullopt;
    }
    TimePoint at = now;
    if (*soonest > 0) {
        // Slots start on whole minutes: count from the start of the current local second.
        at = now - (local - std::chrono::floor<std::chrono::seconds>(local)) +
             std::chrono::seconds{*soonest};
    }
    return NextStaffed{at, where->id, where->name};
}

} // namespace neuvo::core
