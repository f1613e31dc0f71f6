#pragma once

#include <string>

namespace neuvo::core {

// A client who names no municipality of the network (left it out, said "unknown", lives in one
// the network does not list: "other", or does not live in Finland: "abroad") can be served by the
// national pool only.
inline bool names_no_municipality(const std::string& home) {
    return home.empty() || home == "unknown" || home == "other" || home == "abroad";
}

} // namespace neuvo::core
