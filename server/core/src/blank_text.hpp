#pragma once

#include <string_view>

namespace neuvo::core {

// True when UTF-8 `text` holds nothing but white space, including the Unicode spaces that
// keyboards of other scripts type (no-break space, ideographic space, zero-width space ...).
bool is_blank(std::string_view text);

} // namespace neuvo::core
