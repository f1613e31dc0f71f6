#include "neuvo/protocol/codec.hpp"

#include "neuvo/protocol/schema.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace neuvo::protocol {
namespace {

using nlohmann::json;

std::string optional_string(const json& message, const char* field) {
    auto it = message.find(field);
    return it != message.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string format_timestamp(core::TimePoint time) {
    auto millis = std::chrono::floor<std::chrono::milliseconds>(time);
    auto seconds = std::chrono::floor<std::chrono::seconds>(millis);
    std::time_t as_time_t = std::chrono::system_clock::to_time_t(seconds);
    std::tm utc{};
    gmtime_r(&as_time_t, &utc);
    char buffer[64]; // roomy enough for any int the compiler can imagine in these fields
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>((millis - seconds).count()));
    return buffer;
}

// Invalid UTF-8 from a peer must not make the encoder throw on the way out.
std::string dump(const json& message) {
    return message.dump(-1, ' ', false, json::error_handler_t::replace);
}

json encode_fields(const core::Queued& m) {
    json message = {{"type", "queued"},
                    {"request", m.request_id},
                    {"language", m.language},
                    {"position", m.position},
                    {"advisors_signed_in", m.advisors_signed_in}};
    if (m.estimated_wait_seconds)
        message["estimated_wait_seconds"] = *m.estimated_wait_seconds;
    return message;
}

json encode_fields(const core::Offer& m) {
    return {{"type", "offer"},
            {"conversation", m.conversation},
            {"language", m.language},
            {"home", m.home_municipality},
            {"tier", core::tier_name(m.tier)},
            {"expires_at", format_timestamp(m.expires_at)}};
}

json encode_fields(const core::OfferWithdrawn& m) {
    return {{"type", "offer_withdrawn"}, {"conversation", m.conversation}, {"reason", m.reason}};
}

json encode_fields(const core::Alternatives& m) {
    json others = json::array();
    for (const auto& other : m.other_languages) {
        json entry = {{"language", other.language},
                      {"advisors_signed_in", other.advisors_signed_in}};
        if (other.estimated_wait_seconds)
            entry["estimated_wait_seconds"] = *other.estimated_wait_seconds;
        others.push_back(std::move(entry));
    }
    json message = {{"type", "alternatives"},
                    {"request", m.request_id},
                    {"language", m.language},
                    {"reason", m.reason},
                    {"other_languages", std::move(others)}};
    if (m.next_staffed)
        message["next_staffed"] = {{"at", format_timestamp(m.next_staffed->at)},
                                   {"point", m.next_staffed->point_id},
                                   {"point_name", m.next_staffed->point_name}};
    return message;
}

json encode_fields(const core::RequestClosed& m) {
    return {{"type", "request_closed"}, {"request", m.request_id}, {"reason", m.reason}};
}

json encode_fields(const core::AdvisorConnection& m) {
    return {{"type", "advisor_connection"}, {"conversation", m.conversation}, {"status", m.status}};
}

json encode_fields(const core::ConversationStarted& m) {
    json message = {
        {"type", "conversation_started"},
        {"conversation", m.conversation},
        {"language", m.language},
        {"home", m.home_municipality},
        {"tier", core::tier_name(m.tier)},
        {"advisor",
         {{"name", m.advisor_name}, {"point", m.point_id}, {"point_name", m.point_name}}}};
    if (!m.request_id.empty())
        message["request"] = m.request_id;
    return message;
}

json encode_fields(const core::ChatMessage& m) {
    json message = {{"type", "message"},
                    {"conversation", m.conversation},
                    {"seq", m.seq},
                    {"id", m.message_id},
                    {"from", core::role_name(m.from)},
                    {"text", m.text},
                    {"sent_at", format_timestamp(m.sent_at)}};
    if (!m.author.empty())
        message["author"] = m.author;
    return message;
}

json encode_fields(const core::MessageAccepted& m) {
    return {{"type", "accepted"},
            {"id", m.message_id},
            {"conversation", m.conversation},
            {"seq", m.seq},
            {"duplicate", m.duplicate}};
}

json encode_fields(const core::ConversationEnded& m) {
    return {{"type", "conversation_ended"},
            {"conversation", m.conversation},
            {"seq", m.seq},
            {"reason", m.reason}};
}

json encode_fields(const core::PresenceState& m) {
    json message = {{"type", "presence"},
                    {"status", core::presence_name(m.status)},
                    {"capacity", m.capacity},
                    {"active", m.active},
                    {"follow_schedule", m.follow_schedule}};
    if (!m.reason.empty())
        message["reason"] = m.reason;
    return message;
}

json encode_fields(const core::ErrorReply& m) {
    json message = {{"type", "error"}, {"code", m.code}, {"reason", m.reason}};
    if (!m.ref.empty())
        message["ref"] = m.ref;
    return message;
}

Inbound to_inbound(const json& message) {
    const auto& type = message.at("type").get_ref<const std::string&>();
    if (type == "request") {
        RequestAdvisor request{message.at("id").get<std::string>(),
                               message.at("language").get<std::string>(),
                               optional_string(message, "home"),
                               {}};
        if (auto also = message.find("also_speaks"); also != message.end() && also->is_array())
            request.also_speaks = also->get<std::vector<std::string>>();
        return request;
    }
    if (type == "cancel")
        return CancelRequest{message.at("id").get<std::string>(),
                             message.at("request").get<std::string>()};
    if (type == "accept" || type == "decline")
        return AnswerOffer{message.at("id").get<std::string>(),
                           message.at("conversation").get<std::string>(), type == "accept"};
    if (type == "message")
        return SendText{message.at("id").get<std::string>(),
                        message.at("conversation").get<std::string>(),
                        message.at("text").get<std::string>()};
    if (type == "ack")
        return Acknowledge{message.at("conversation").get<std::string>(),
                           message.at("seq").get<std::uint64_t>()};
    if (type == "end")
        return EndConversation{message.at("id").get<std::string>(),
                               message.at("conversation").get<std::string>()};
    SetPresence presence{message.at("id").get<std::string>(),
                         message.at("status") == "available" ? core::Presence::available
                                                             : core::Presence::away,
                         std::nullopt, std::nullopt};
    if (auto capacity = message.find("capacity");
        capacity != message.end() && !capacity->is_null()) {
        // The schema accepted a positive integer; anything past int's range is simply too big.
        auto value = capacity->get<std::uint64_t>();
        presence.capacity = value > 1000000 ? 1000000 : static_cast<int>(value);
    }
    if (auto follow = message.find("follow_schedule");
        follow != message.end() && follow->is_boolean())
        presence.follow_schedule = follow->get<bool>();
    return presence;
}

} // namespace

std::variant<Inbound, DecodeError> decode_inbound(std::string_view frame) {
    json message = json::parse(frame, nullptr, /*allow_exceptions=*/false);
    if (message.is_discarded())
        return DecodeError{"bad_json", "the frame is not valid JSON", {}};
    std::string ref = message.is_object() ? optional_string(message, "id") : std::string();
    if (ref.size() > 128)
        ref.clear();
    if (auto violation = validate(message, Direction::to_server))
        return DecodeError{violation->code, violation->reason, ref};
    return to_inbound(message);
}

std::string encode(const core::Outbound& message) {
    return std::visit([](const auto& m) { return dump(encode_fields(m)); }, message);
}

std::string encode(const Welcome& welcome) {
    json languages = json::array();
    for (const auto& language : welcome.languages)
        languages.push_back({{"tag", language.tag},
                             {"autonym", language.autonym},
                             {"dir", language.right_to_left ? "rtl" : "ltr"}});
    json municipalities = json::array();
    for (const auto& municipality : welcome.municipalities)
        municipalities.push_back({{"code", municipality.code}, {"name", municipality.name}});
    json message = {{"type", "welcome"},
                    {"protocol", subprotocol},
                    {"role", core::role_name(welcome.role)},
                    {"languages", std::move(languages)},
                    {"municipalities", std::move(municipalities)},
                    {"limits", {{"max_text_bytes", welcome.max_text_bytes}}}};
    if (welcome.advisor)
        message["advisor"] = {{"name", welcome.advisor->name},
                              {"point", welcome.advisor->point_id},
                              {"point_name", welcome.advisor->point_name},
                              {"languages", welcome.advisor->languages}};
    return dump(message);
}

std::string encode_error(const std::string& code, const std::string& reason,
                         const std::string& ref) {
    return encode(core::Outbound{core::ErrorReply{code, reason, ref}});
}

} // namespace neuvo::protocol
