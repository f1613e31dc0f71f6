#include "weekly_schedule.hpp"

#include <algorithm>

namespace neuvo::core {

namespace {

constexpr std::int64_t seconds_per_day = 24 * 3600;

std::int64_t modulo_week(std::int64_t seconds) {
    std::int64_t rest = seconds % seconds_per_week;
    return rest < 0 ? rest + seconds_per_week : rest;
}

std::int64_t slot_start(const ScheduleSlot& slot) {
    return (static_cast<std::int64_t>(slot.weekday - 1) * 24 * 60 + slot.from_minute) * 60;
}

std::int64_t slot_length(const ScheduleSlot& slot) {
    int minutes = slot.to_minute > slot.from_minute ? slot.to_minute - slot.from_minute
                                                    : slot.to_minute + 24 * 60 - slot.from_minute;
    return static_cast<std::int64_t>(minutes) * 60;
}

} // namespace

std::int64_t week_second(TimePoint local) {
    std::int64_t since_epoch =
        std::chrono::floor<std::chrono::seconds>(local.time_since_epoch()).count();
    // 1970-01-01 was a Thursday, three days after the Monday that starts the face.
    return modulo_week(since_epoch + 3 * seconds_per_day);
}

bool slot_open(const ScheduleSlot& slot, std::int64_t week_second) {
    return modulo_week(week_second - slot_start(slot)) < slot_length(slot);
}

std::int64_t seconds_until_start(const ScheduleSlot& slot, std::int64_t week_second) {
    return modulo_week(slot_start(slot) - week_second);
}

const LanguageOffer* find_offer(const Point& point, const std::string& language) {
    auto it = std::find_if(point.languages.begin(), point.languages.end(),
                           [&](const LanguageOffer& offer) { return offer.language == language; });
    return it == point.languages.end() ? nullptr : &*it;
}

bool offered_at(const LanguageOffer& offer, std::int64_t week_second) {
    return offer.schedule.empty() ||
           std::any_of(offer.schedule.begin(), offer.schedule.end(),
                       [&](const ScheduleSlot& slot) { return slot_open(slot, week_second); });
}

} // namespace neuvo::core
