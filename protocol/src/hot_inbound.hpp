#pragma once

#include "neuvo/protocol/messages.hpp"

#include <optional>
#include <string_view>

namespace neuvo::protocol {

// The two frames a busy peer sends most, `message` and `ack`, read straight from the text when
// they are in their plain form, instead of through a json tree and the schema: a flat object of
// exactly the type's fields, strings without escapes, `seq` as plain digits. Whatever it returns
// is what the tree would have decoded; anything else (an escape, another field, a number in
// another form, a frame that is wrong in any way) gives nothing, and the tree decides, with its
// precise errors. It is a shortcut, never a second judge of what is valid.
std::optional<Inbound> decode_hot_inbound(std::string_view frame);

} // namespace neuvo::protocol
