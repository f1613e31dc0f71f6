#include "neuvo/core/messages.hpp"

namespace neuvo::core {

const char* role_name(Role role) {
    switch (role) {
    case Role::client:
        return "client";
    case Role::advisor:
        return "advisor";
    }
    return "client";
}

const char* presence_name(Presence presence) {
    switch (presence) {
    case Presence::available:
        return "available";
    case Presence::away:
        return "away";
    }
    return "away";
}

const char* offer_kind_name(OfferKind kind) {
    switch (kind) {
    case OfferKind::request:
        return "request";
    case OfferKind::invitation:
        return "invitation";
    case OfferKind::transfer:
        return "transfer";
    }
    return "request";
}

bool is_open_work(const Effect& effect) {
    return std::holds_alternative<KeepClient>(effect) ||
           std::holds_alternative<ForgetClient>(effect) ||
           std::holds_alternative<KeepEvent>(effect) ||
           std::holds_alternative<ForgetConversation>(effect) ||
           std::holds_alternative<KeepAdvisor>(effect) ||
           std::holds_alternative<ForgetAdvisor>(effect) ||
           std::holds_alternative<KeepVisit>(effect);
}

} // namespace neuvo::core
