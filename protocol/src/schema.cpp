#include "neuvo/protocol/schema.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

namespace neuvo::protocol {
namespace {

enum class Kind {
    string,
    identifier,
    count,
    positive,
    boolean,
    object,
    array,
    string_array,
    enumeration
};

struct Field {
    std::string_view name;
    Kind kind;
    bool required;
    // A vector, not an initializer_list: the table below is copied out of a temporary list, and
    // a copied initializer_list would point into that list's already destroyed array.
    std::vector<std::string_view> allowed = {}; // for Kind::enumeration
};

struct MessageSchema {
    Direction direction;
    std::string_view type;
    std::vector<Field> fields;
};

const std::vector<MessageSchema>& schemas() {
    static const std::vector<MessageSchema> table = {
        // ---- to the server ----
        {Direction::to_server,
         "request",
         {{"id", Kind::identifier, true},
          {"language", Kind::string, true},
          {"home", Kind::string, false},
          {"also_speaks", Kind::string_array, false}}},
        {Direction::to_server,
         "cancel",
         {{"id", Kind::identifier, true}, {"request", Kind::identifier, true}}},
        {Direction::to_server,
         "accept",
         {{"id", Kind::identifier, true}, {"conversation", Kind::string, true}}},
        {Direction::to_server,
         "decline",
         {{"id", Kind::identifier, true}, {"conversation", Kind::string, true}}},
        {Direction::to_server,
         "message",
         {{"id", Kind::identifier, true},
          {"conversation", Kind::string, true},
          {"text", Kind::string, true}}},
        {Direction::to_server,
         "ack",
         {{"conversation", Kind::string, true}, {"seq", Kind::count, true}}},
        {Direction::to_server, "typing", {{"conversation", Kind::string, true}}},
        {Direction::to_server,
         "end",
         {{"id", Kind::identifier, true}, {"conversation", Kind::string, true}}},
        {Direction::to_server,
         "presence",
         {{"id", Kind::identifier, true},
          {"status", Kind::enumeration, true, {"available", "away"}},
          {"capacity", Kind::positive, false},
          {"follow_schedule", Kind::boolean, false}}},
        {Direction::to_server,
         "directory",
         {{"id", Kind::identifier, true},
          {"language", Kind::string, false},
          {"point", Kind::string, false}}},
        {Direction::to_server,
         "consult_open",
         {{"id", Kind::identifier, true},
          {"colleague", Kind::positive, true},
          {"about", Kind::string, false}}},
        {Direction::to_server,
         "consult_message",
         {{"id", Kind::identifier, true},
          {"consult", Kind::string, true},
          {"text", Kind::string, true}}},
        {Direction::to_server,
         "consult_close",
         {{"id", Kind::identifier, true}, {"consult", Kind::string, true}}},
        {Direction::to_server,
         "invite",
         {{"id", Kind::identifier, true},
          {"conversation", Kind::string, true},
          {"colleague", Kind::positive, true},
          {"note", Kind::string, false}}},
        {Direction::to_server,
         "transfer",
         {{"id", Kind::identifier, true},
          {"conversation", Kind::string, true},
          {"colleague", Kind::positive, false},
          {"language", Kind::string, false},
          {"note", Kind::string, false}}},
        {Direction::to_server,
         "leave",
         {{"id", Kind::identifier, true}, {"conversation", Kind::string, true}}},
        {Direction::to_server,
         "customer_code",
         {{"id", Kind::identifier, true}, {"conversation", Kind::string, true}}},
        {Direction::to_server,
         "join",
         {{"id", Kind::identifier, true}, {"code", Kind::identifier, true}}},
        {Direction::to_server,
         "wrapup",
         {{"id", Kind::identifier, true},
          {"conversation", Kind::string, true},
          {"fields", Kind::object, true}}},
        {Direction::to_server,
         "resume",
         {{"id", Kind::identifier, true},
          {"token", Kind::identifier, true},
          {"last_seq", Kind::count, true}}},
        {Direction::to_server,
         "rate",
         {{"id", Kind::identifier, true},
          {"conversation", Kind::string, true},
          {"rating", Kind::positive, true}}},
        // ---- to clients and advisors ----
        {Direction::to_peer,
         "welcome",
         {{"protocol", Kind::string, true},
          {"role", Kind::enumeration, true, {"client", "advisor", "clerk"}},
          {"languages", Kind::array, true},
          {"municipalities", Kind::array, true},
          {"limits", Kind::object, true},
          {"advisor", Kind::object, false},
          {"clerk", Kind::object, false},
          {"resume", Kind::object, false}}},
        {Direction::to_peer,
         "queued",
         {{"request", Kind::identifier, true},
          {"language", Kind::string, true},
          {"position", Kind::positive, true},
          {"advisors_signed_in", Kind::count, true},
          {"estimated_wait_seconds", Kind::count, false}}},
        {Direction::to_peer,
         "alternatives",
         {{"request", Kind::identifier, true},
          {"language", Kind::string, true},
          {"reason", Kind::enumeration, true, {"nobody_signed_in", "long_wait"}},
          {"next_staffed", Kind::object, false},
          {"other_languages", Kind::array, true}}},
        {Direction::to_peer,
         "request_closed",
         {{"request", Kind::identifier, true}, {"reason", Kind::enumeration, true, {"cancelled"}}}},
        {Direction::to_peer,
         "offer",
         {{"conversation", Kind::string, true},
          {"kind", Kind::enumeration, true, {"request", "invitation", "transfer"}},
          {"language", Kind::string, true},
          {"home", Kind::string, true},
          {"tier", Kind::enumeration, true, {"own-point", "region", "partner", "national"}},
          {"expires_at", Kind::string, true},
          {"transferred", Kind::boolean, false},
          {"from", Kind::object, false},
          {"note", Kind::string, false},
          {"channel", Kind::enumeration, false, {"chat", "kiosk", "language-support"}},
          {"organisation", Kind::string, false}}},
        {Direction::to_peer,
         "offer_withdrawn",
         {{"conversation", Kind::string, true},
          {"reason",
           Kind::enumeration,
           true,
           {"declined", "timeout", "client_left", "conversation_ended"}}}},
        {Direction::to_peer,
         "advisor_connection",
         {{"conversation", Kind::string, true},
          {"status", Kind::enumeration, true, {"reconnecting", "back"}}}},
        {Direction::to_peer,
         "client_connection",
         {{"conversation", Kind::string, true},
          {"status", Kind::enumeration, true, {"reconnecting", "back"}}}},
        {Direction::to_peer,
         "resumed",
         {{"ref", Kind::identifier, false},
          {"state", Kind::enumeration, true, {"waiting", "conversation", "ended", "idle"}},
          {"conversation", Kind::string, false}}},
        {Direction::to_peer,
         "conversation_started",
         {{"conversation", Kind::string, true},
          {"request", Kind::identifier, false},
          {"language", Kind::string, true},
          {"home", Kind::string, true},
          {"tier", Kind::enumeration, true, {"own-point", "region", "partner", "national"}},
          {"advisor", Kind::object, true},
          {"joined_as", Kind::enumeration, false, {"lead", "invited"}},
          {"from", Kind::object, false},
          {"note", Kind::string, false},
          {"participants", Kind::array, false},
          {"channel", Kind::enumeration, false, {"chat", "kiosk", "language-support"}},
          {"organisation", Kind::string, false}}},
        {Direction::to_peer,
         "message",
         {{"conversation", Kind::string, true},
          {"seq", Kind::positive, true},
          {"id", Kind::identifier, true},
          {"from", Kind::enumeration, true, {"client", "advisor"}},
          {"author", Kind::string, false},
          {"text", Kind::string, true},
          {"sent_at", Kind::string, true}}},
        {Direction::to_peer,
         "accepted",
         {{"id", Kind::identifier, true},
          {"conversation", Kind::string, false}, // one of the two
          {"consult", Kind::string, false},
          {"seq", Kind::positive, true},
          {"duplicate", Kind::boolean, true}}},
        {Direction::to_peer,
         "conversation_ended",
         {{"conversation", Kind::string, true},
          {"seq", Kind::positive, true},
          {"reason",
           Kind::enumeration,
           true,
           {"client", "advisor", "client_disconnected", "advisor_disconnected"}}}},
        {Direction::to_peer,
         "presence",
         {{"status", Kind::enumeration, true, {"available", "away"}},
          {"capacity", Kind::positive, true},
          {"active", Kind::count, true},
          {"follow_schedule", Kind::boolean, true},
          {"reason", Kind::string, false}}},
        {Direction::to_peer,
         "directory",
         {{"ref", Kind::identifier, false}, {"advisors", Kind::array, true}}},
        {Direction::to_peer,
         "consult_opened",
         {{"consult", Kind::string, true},
          {"ref", Kind::identifier, false},
          {"with", Kind::object, true},
          {"about", Kind::object, false}}},
        {Direction::to_peer,
         "consult_message",
         {{"consult", Kind::string, true},
          {"seq", Kind::positive, true},
          {"id", Kind::identifier, true},
          {"author", Kind::string, true},
          {"text", Kind::string, true},
          {"sent_at", Kind::string, true}}},
        {Direction::to_peer,
         "consult_closed",
         {{"consult", Kind::string, true},
          {"reason", Kind::enumeration, true, {"closed", "colleague_left"}}}},
        {Direction::to_peer,
         "handover",
         {{"conversation", Kind::string, true},
          {"ref", Kind::identifier, false},
          {"kind", Kind::enumeration, true, {"invitation", "transfer"}},
          {"status",
           Kind::enumeration,
           true,
           {"pending", "accepted", "declined", "timeout", "withdrawn", "queued"}},
          {"colleague", Kind::object, false},
          {"language", Kind::string, false}}},
        {Direction::to_peer,
         "advisor_joined",
         {{"conversation", Kind::string, true},
          {"seq", Kind::positive, true},
          {"role", Kind::enumeration, true, {"lead", "invited"}},
          {"via", Kind::enumeration, true, {"invitation", "transfer", "reassignment"}},
          {"advisor", Kind::object, true}}},
        {Direction::to_peer,
         "advisor_left",
         {{"conversation", Kind::string, true},
          {"seq", Kind::positive, true},
          {"reason", Kind::enumeration, true, {"left", "transferred", "disconnected"}},
          {"advisor", Kind::object, true}}},
        {Direction::to_peer,
         "conversation_left",
         {{"conversation", Kind::string, true},
          {"reason", Kind::enumeration, true, {"left", "transferred"}}}},
        {Direction::to_peer,
         "customer_code",
         {{"ref", Kind::identifier, false},
          {"conversation", Kind::string, true},
          {"code", Kind::string, true},
          {"expires_at", Kind::string, true}}},
        {Direction::to_peer,
         "customer_joined",
         {{"conversation", Kind::string, true}, {"seq", Kind::positive, true}}},
        {Direction::to_peer,
         "customer_left",
         {{"conversation", Kind::string, true}, {"seq", Kind::positive, true}}},
        {Direction::to_peer,
         "wrapup_due",
         {{"conversation", Kind::string, true},
          {"language", Kind::string, true},
          {"home", Kind::string, true},
          {"channel", Kind::enumeration, true, {"chat", "kiosk", "video", "language-support"}},
          {"due_at", Kind::string, true}}},
        {Direction::to_peer,
         "wrapup_done",
         {{"conversation", Kind::string, true},
          {"status", Kind::enumeration, true, {"saved", "expired"}},
          {"ref", Kind::identifier, false}}},
        {Direction::to_peer,
         "typing",
         {{"conversation", Kind::string, true},
          {"from", Kind::enumeration, true, {"client", "advisor"}},
          {"name", Kind::string, false}}},
        {Direction::to_peer,
         "rated",
         {{"conversation", Kind::string, true}, {"ref", Kind::identifier, false}}},
        {Direction::to_peer,
         "error",
         {{"code", Kind::string, true},
          {"reason", Kind::string, true},
          {"ref", Kind::string, false},
          {"retry_after_ms", Kind::count, false}}},
    };
    return table;
}

const char* kind_description(Kind kind) {
    switch (kind) {
    case Kind::string:
        return "a string";
    case Kind::identifier:
        return "a non-empty string of at most 128 bytes";
    case Kind::count:
        return "a non-negative integer";
    case Kind::positive:
        return "a positive integer";
    case Kind::boolean:
        return "true or false";
    case Kind::object:
        return "an object";
    case Kind::array:
        return "an array";
    case Kind::string_array:
        return "an array of strings";
    case Kind::enumeration:
        return "one of the listed values";
    }
    return "a valid value";
}

bool fits(const nlohmann::json& value, const Field& field) {
    switch (field.kind) {
    case Kind::string:
        return value.is_string();
    case Kind::identifier: {
        if (!value.is_string())
            return false;
        const auto& text = value.get_ref<const std::string&>();
        return !text.empty() && text.size() <= max_id_length;
    }
    case Kind::count:
        return value.is_number_unsigned() ||
               (value.is_number_integer() && value.get<std::int64_t>() >= 0);
    case Kind::positive:
        return (value.is_number_unsigned() && value.get<std::uint64_t>() > 0) ||
               (value.is_number_integer() && value.get<std::int64_t>() > 0);
    case Kind::boolean:
        return value.is_boolean();
    case Kind::object:
        return value.is_object();
    case Kind::array:
        return value.is_array();
    case Kind::string_array:
        return value.is_array() && value.size() <= 32 &&
               std::all_of(value.begin(), value.end(),
                           [](const nlohmann::json& item) { return item.is_string(); });
    case Kind::enumeration:
        return value.is_string() &&
               std::find(field.allowed.begin(), field.allowed.end(),
                         value.get_ref<const std::string&>()) != field.allowed.end();
    }
    return false;
}

std::string allowed_list(const Field& field) {
    std::string list;
    for (auto value : field.allowed) {
        if (!list.empty())
            list += ", ";
        list += '"';
        list += value;
        list += '"';
    }
    return list;
}

} // namespace

std::optional<SchemaViolation> validate(const nlohmann::json& message, Direction direction) {
    if (!message.is_object())
        return SchemaViolation{"bad_json", "a message must be a JSON object"};
    auto type_it = message.find("type");
    if (type_it == message.end())
        return SchemaViolation{"missing_field", "field \"type\" is required"};
    if (!type_it->is_string())
        return SchemaViolation{"invalid_field", "field \"type\" must be a string"};
    const auto& type = type_it->get_ref<const std::string&>();

    auto schema = std::find_if(schemas().begin(), schemas().end(), [&](const MessageSchema& s) {
        return s.direction == direction && s.type == type;
    });
    if (schema == schemas().end())
        return SchemaViolation{"unknown_type", "unknown message type \"" + type + "\""};

    for (const auto& field : schema->fields) {
        auto it = message.find(std::string(field.name));
        if (it == message.end() || it->is_null()) {
            if (field.required)
                return SchemaViolation{"missing_field", "field \"" + std::string(field.name) +
                                                            "\" is required in \"" + type + "\""};
            continue;
        }
        if (!fits(*it, field)) {
            std::string expected = field.kind == Kind::enumeration ? "one of " + allowed_list(field)
                                                                   : kind_description(field.kind);
            return SchemaViolation{"invalid_field",
                                   "field \"" + std::string(field.name) + "\" must be " + expected};
        }
    }
    return std::nullopt;
}

} // namespace neuvo::protocol
