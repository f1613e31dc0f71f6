#pragma once

#include <string_view>

namespace neuvo::protocol {

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF):
// the same rule as nlohmann's, so that the hand-written frame paths accept and write exactly
// what the json tree would.
bool valid_utf8(std::string_view text);

} // namespace neuvo::protocol
