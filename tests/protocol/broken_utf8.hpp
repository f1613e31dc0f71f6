#pragma once

#include <string>
#include <vector>

namespace neuvo::protocol::testing {

// Byte sequences that are not UTF-8, each for its own reason: a lone continuation byte, a
// truncated sequence, an overlong form, a surrogate, 0xFF, and a value past U+10FFFF. The hand-
// written frame paths must treat every one as the json tree does.
inline const std::vector<std::string> broken_utf8 = {
    "\x80", "\xe2\x82", "\xc0\xaf", "\xed\xa0\x80", "\xff", "\xf4\x90\x80\x80"};

// `pieces` with the broken sequences after them.
inline std::vector<std::string> with_broken_utf8(std::vector<std::string> pieces) {
    pieces.insert(pieces.end(), broken_utf8.begin(), broken_utf8.end());
    return pieces;
}

} // namespace neuvo::protocol::testing
