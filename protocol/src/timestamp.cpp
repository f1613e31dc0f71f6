#include "timestamp.hpp"

#include <chrono>

namespace neuvo::protocol {
namespace {

void two_digits(char* out, unsigned value) {
    out[0] = static_cast<char>('0' + value / 10);
    out[1] = static_cast<char>('0' + value % 10);
}

} // namespace

// Written digit by digit: every chat message carries one, and snprintf was a good part of its
// cost.
std::string format_timestamp(core::TimePoint time) {
    using namespace std::chrono;
    const auto millis = floor<milliseconds>(time);
    const auto day = floor<days>(millis);
    const year_month_day date{day};
    const hh_mm_ss clock{millis - day};
    // A TimePoint counts nanoseconds in 64 bits: its years are 1677-2262, always four digits.
    const auto year = static_cast<unsigned>(static_cast<int>(date.year()));
    char text[] = "0000-00-00T00:00:00.000Z";
    two_digits(text, year / 100);
    two_digits(text + 2, year % 100);
    two_digits(text + 5, static_cast<unsigned>(date.month()));
    two_digits(text + 8, static_cast<unsigned>(date.day()));
    two_digits(text + 11, static_cast<unsigned>(clock.hours().count()));
    two_digits(text + 14, static_cast<unsigned>(clock.minutes().count()));
    two_digits(text + 17, static_cast<unsigned>(clock.seconds().count()));
    const auto fraction = static_cast<unsigned>(clock.subseconds().count());
    text[20] = static_cast<char>('0' + fraction / 100);
    two_digits(text + 21, fraction % 100);
    return std::string(text, sizeof text - 1);
}

} // namespace neuvo::protocol
