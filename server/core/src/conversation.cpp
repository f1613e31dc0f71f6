#include "conversation.hpp"

#include <algorithm>

namespace neuvo::core {

std::optional<std::uint64_t> Conversation::seq_of(Role sender,
                                                  const std::string& message_id) const {
    const auto& seen = sender == Role::advisor ? advisor_messages_ : client_messages_;
    auto it = seen.find(message_id);
    if (it == seen.end()) {
        return std::nullopt;
    }
    return it->second;
}

void Conversation::remember(Role sender, const std::string& message_id, std::uint64_t seq) {
    auto& seen = sender == Role::advisor ? advisor_messages_ : client_messages_;
    seen.emplace(message_id, seq);
}

void Conversation::acknowledge(Role receiver, std::uint64_t seq) {
    auto& acknowledged = receiver == Role::advisor ? advisor_acknowledged_ : client_acknowledged_;
    // Acks may arrive out of order; only the highest one says what the receiver has.
    acknowledged = std::max(acknowledged, seq);
}

std::uint64_t Conversation::acknowledged(Role receiver) const {
    return receiver == Role::advisor ? advisor_acknowledged_ : client_acknowledged_;
}

} // namespace neuvo::core
