#pragma once

#include "neuvo/core/messages.hpp"

#include <optional>
#include <string>

namespace neuvo::protocol {

// The frames a busy server sends most (chat messages, their acknowledgements, typing) written
// straight into one string instead of through a json tree: byte for byte what the tree's dump
// gives (nlohmann's sorted key order, the same escapes), so no client can tell them apart, at a
// fraction of the cost. Nothing for any other message, or for text that is not valid UTF-8, which
// the tree's encoder replaces by its own rules.
std::optional<std::string> encode_hot_frame(const core::Outbound& message);

} // namespace neuvo::protocol
