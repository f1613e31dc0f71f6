#pragma once

#include "neuvo/core/clock.hpp"
#include "neuvo/core/service_network.hpp"

#include <cstdint>
#include <string>

namespace neuvo::core {

// Weekly schedules are read on one clock face: seconds since Monday 00:00 local time. A slot is a
// start on that face and a length, so a slot past midnight (and Sunday into Monday) needs no
// special case: it is open while the time since its start, modulo a week, is below its length.

inline constexpr std::int64_t seconds_per_week = 7 * 24 * 3600;

// The instant's local time on the weekly face; `local` is UTC plus the service's offset.
std::int64_t week_second(TimePoint local);

bool slot_open(const ScheduleSlot& slot, std::int64_t week_second);

// Seconds from `week_second` to the slot's next start; 0 when it starts exactly then.
std::int64_t seconds_until_start(const ScheduleSlot& slot, std::int64_t week_second);

// The point's offer of the language, or nullptr when it does not list it.
const LanguageOffer* find_offer(const Point& point, const std::string& language);

// An offer without slots is open whenever someone is signed in to serve it.
bool offered_at(const LanguageOffer& offer, std::int64_t week_second);

} // namespace neuvo::core
