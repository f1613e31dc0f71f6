#pragma once

#include "neuvo/core/messages.hpp"
#include "neuvo/protocol/messages.hpp"

#include <string>
#include <string_view>
#include <variant>

namespace neuvo::protocol {

// Turns one text frame from a client or an advisor into a message, or says precisely what is
// wrong with it. Unknown extra fields are ignored so that later minor versions stay compatible.
std::variant<Inbound, DecodeError> decode_inbound(std::string_view frame);
// The same through a json tree and the schema, as every frame but the two hottest (a plain
// `message` or `ack`) is decoded: decode_inbound must give exactly this (the hot frames' test
// and the protocol fuzzer compare the two).
std::variant<Inbound, DecodeError> decode_inbound_through_tree(std::string_view frame);

// Frames the server sends. Each returns one compact JSON text.
std::string encode(const core::Outbound& message);
// The same frame built through a json tree, as every frame but the hottest few is: encode() must
// give exactly this (the hot frames' test compares the two).
std::string encode_through_tree(const core::Outbound& message);
std::string encode(const Welcome& welcome);
std::string encode_error(const std::string& code, const std::string& reason,
                         const std::string& ref = {});

} // namespace neuvo::protocol
