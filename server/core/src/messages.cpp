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

} // namespace neuvo::core
