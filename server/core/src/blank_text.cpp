#include "blank_text.hpp"

#include <array>

namespace neuvo::core {

namespace {

constexpr std::array<std::string_view, 6> ascii_spaces{" ", "\t", "\n", "\r", "\v", "\f"};

// U+0085, U+00A0, U+1680, U+2000..U+200B, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF, U+2060.
constexpr std::array<std::string_view, 22> unicode_spaces{
    "\xC2\x85",     "\xC2\xA0",     "\xE1\x9A\x80", "\xE2\x80\x80", "\xE2\x80\x81", "\xE2\x80\x82",
    "\xE2\x80\x83", "\xE2\x80\x84", "\xE2\x80\x85", "\xE2\x80\x86", "\xE2\x80\x87", "\xE2\x80\x88",
    "\xE2\x80\x89", "\xE2\x80\x8A", "\xE2\x80\x8B", "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x80\xAF",
    "\xE2\x81\x9F", "\xE3\x80\x80", "\xEF\xBB\xBF", "\xE2\x81\xA0"};

// The length of the space at the start of `text`, or 0 when it does not start with one.
std::size_t leading_space(std::string_view text) {
    for (std::string_view space : ascii_spaces) {
        if (text.starts_with(space)) {
            return space.size();
        }
    }
    for (std::string_view space : unicode_spaces) {
        if (text.starts_with(space)) {
            return space.size();
        }
    }
    return 0;
}

} // namespace

bool is_blank(std::string_view text) {
    while (!text.empty()) {
        std::size_t space = leading_space(text);
        if (space == 0) {
            return false;
        }
        text.remove_prefix(space);
    }
    return true;
}

} // namespace neuvo::core
