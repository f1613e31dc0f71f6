#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <optional>
#include <string>

namespace neuvo::protocol {

enum class Direction {
    to_server, // sent by a client or an advisor
    to_peer,   // sent by the server
};

// Sender-chosen ids (PROTOCOL.md, "Ids") are short printable strings; the limit keeps dedup
// tables small. Every reader of an id holds it to this.
constexpr std::size_t max_id_length = 128;

struct SchemaViolation {
    std::string code; // "bad_json", "unknown_type", "missing_field" or "invalid_field"
    std::string reason;
};

// Checks a parsed message against the field table of PROTOCOL.md for its direction: the type is
// known, every required field is present, every present field has its documented JSON type and
// range. The single source of truth for both decoding and the document's own examples test.
std::optional<SchemaViolation> validate(const nlohmann::json& message, Direction direction);

} // namespace neuvo::protocol
