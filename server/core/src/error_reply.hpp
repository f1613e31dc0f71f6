#pragma once

#include "neuvo/core/messages.hpp"

#include <string>
#include <utility>

namespace neuvo::core {

// The one effect of a refused event: an error to its sender, quoting the message's id.
inline Effects error_reply(SessionId to, std::string code, std::string reason, std::string ref) {
    return Effects{Deliver{to, ErrorReply{std::move(code), std::move(reason), std::move(ref)}}};
}

} // namespace neuvo::core
