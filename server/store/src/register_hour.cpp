#include "register_hour.hpp"

#include <chrono>
#include <cstdio>

namespace neuvo::store {

std::string iso_hour(core::TimePoint time) {
    using namespace std::chrono;
    const auto hour = floor<hours>(time);
    const auto day = floor<days>(hour);
    const year_month_day date{day};
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:00Z", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>((hour - day).count()));
    return text;
}

} // namespace neuvo::store
