#include "neuvo/protocol/codec.hpp"

#include "neuvo/protocol/schema.hpp"

#include "hot_frames.hpp"
#include "hot_inbound.hpp"
#include "timestamp.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>

namespace neuvo::protocol {
namespace {

using nlohmann::json;

std::string optional_string(const json& message, const char* field) {
    auto it = message.find(field);
    return it != message.end() && it->is_string() ? it->get<std::string>() : std::string();
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

json colleague_fields(const core::ColleagueRef& c) {
    return {{"id", c.id}, {"name", c.name}, {"point", c.point_id}, {"point_name", c.point_name}};
}

json badge_fields(const core::AdvisorBadge& b) {
    return {{"name", b.name},
            {"point", b.point_id},
            {"point_name", b.point_name},
            {"languages", b.languages}};
}

json encode_fields(const core::Offer& m) {
    json message = {{"type", "offer"},
                    {"conversation", m.conversation},
                    {"kind", core::offer_kind_name(m.kind)},
                    {"language", m.language},
                    {"home", m.home_municipality},
                    {"tier", core::tier_name(m.tier)},
                    {"expires_at", format_timestamp(m.expires_at)}};
    if (m.transferred)
        message["transferred"] = true;
    if (m.from)
        message["from"] = colleague_fields(*m.from);
    if (m.from || !m.note.empty())
        message["note"] = m.note;
    if (m.channel != "chat")
        message["channel"] = m.channel;
    if (!m.organisation.empty())
        message["organisation"] = m.organisation;
    return message;
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
    if (m.channel != "chat")
        message["channel"] = m.channel;
    if (!m.organisation.empty())
        message["organisation"] = m.organisation;
    if (!m.joined_as.empty()) {
        message["joined_as"] = m.joined_as;
        message["note"] = m.note;
        if (m.from)
            message["from"] = colleague_fields(*m.from);
        json participants = json::array();
        for (const auto& badge : m.participants)
            participants.push_back(badge_fields(badge));
        message["participants"] = std::move(participants);
    }
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

json encode_fields(const core::Typing& m) {
    json message = {
        {"type", "typing"}, {"conversation", m.conversation}, {"from", core::role_name(m.from)}};
    if (!m.name.empty())
        message["name"] = m.name;
    return message;
}

json encode_fields(const core::MessageAccepted& m) {
    return {{"type", "accepted"},
            {"id", m.message_id},
            {m.consult ? "consult" : "conversation", m.conversation},
            {"seq", m.seq},
            {"duplicate", m.duplicate}};
}

json encode_fields(const core::Directory& m) {
    json advisors = json::array();
    for (const auto& entry : m.advisors) {
        json row = colleague_fields(entry.colleague);
        row["languages"] = entry.languages;
        row["status"] = core::presence_name(entry.status);
        row["active"] = entry.active;
        row["capacity"] = entry.capacity;
        row["connected"] = entry.connected;
        advisors.push_back(std::move(row));
    }
    json message = {{"type", "directory"}, {"advisors", std::move(advisors)}};
    if (!m.ref.empty())
        message["ref"] = m.ref;
    return message;
}

json encode_fields(const core::ConsultOpened& m) {
    json message = {
        {"type", "consult_opened"}, {"consult", m.consult}, {"with", colleague_fields(m.with)}};
    if (!m.ref.empty())
        message["ref"] = m.ref;
    if (m.about)
        message["about"] = {{"conversation", m.about->conversation},
                            {"language", m.about->language},
                            {"home", m.about->home_municipality}};
    return message;
}

json encode_fields(const core::ConsultMessage& m) {
    return {{"type", "consult_message"},
            {"consult", m.consult},
            {"seq", m.seq},
            {"id", m.message_id},
            {"author", m.author},
            {"text", m.text},
            {"sent_at", format_timestamp(m.sent_at)}};
}

json encode_fields(const core::ConsultClosed& m) {
    return {{"type", "consult_closed"}, {"consult", m.consult}, {"reason", m.reason}};
}

json encode_fields(const core::Handover& m) {
    json message = {{"type", "handover"},
                    {"conversation", m.conversation},
                    {"kind", core::offer_kind_name(m.kind)},
                    {"status", m.status}};
    if (!m.ref.empty())
        message["ref"] = m.ref;
    if (m.colleague)
        message["colleague"] = colleague_fields(*m.colleague);
    if (!m.language.empty())
        message["language"] = m.language;
    return message;
}

json encode_fields(const core::AdvisorJoined& m) {
    return {{"type", "advisor_joined"},
            {"conversation", m.conversation},
            {"seq", m.seq},
            {"role", m.role},
            {"via", m.via},
            {"advisor", badge_fields(m.advisor)}};
}

json encode_fields(const core::AdvisorLeft& m) {
    return {{"type", "advisor_left"},
            {"conversation", m.conversation},
            {"seq", m.seq},
            {"reason", m.reason},
            {"advisor", badge_fields(m.advisor)}};
}

json encode_fields(const core::WrapupDue& m) {
    return {{"type", "wrapup_due"},   {"conversation", m.conversation},
            {"language", m.language}, {"home", m.home_municipality},
            {"channel", m.channel},   {"due_at", format_timestamp(m.due_at)}};
}

json encode_fields(const core::WrapupDone& m) {
    json message = {
        {"type", "wrapup_done"}, {"conversation", m.conversation}, {"status", m.status}};
    if (!m.ref.empty())
        message["ref"] = m.ref;
    return message;
}

json encode_fields(const core::ClientConnection& m) {
    return {{"type", "client_connection"}, {"conversation", m.conversation}, {"status", m.status}};
}

json encode_fields(const core::Resumed& m) {
    json message = {{"type", "resumed"}, {"state", m.state}};
    if (!m.ref.empty())
        message["ref"] = m.ref;
    if (!m.conversation.empty())
        message["conversation"] = m.conversation;
    return message;
}

json encode_fields(const core::Rated& m) {
    json message = {{"type", "rated"}, {"conversation", m.conversation}};
    if (!m.ref.empty())
        message["ref"] = m.ref;
    return message;
}

json encode_fields(const core::CustomerCode& m) {
    json message = {{"type", "customer_code"},
                    {"conversation", m.conversation},
                    {"code", m.code},
                    {"expires_at", format_timestamp(m.expires_at)}};
    if (!m.ref.empty())
        message["ref"] = m.ref;
    return message;
}

json encode_fields(const core::CustomerJoined& m) {
    return {{"type", "customer_joined"}, {"conversation", m.conversation}, {"seq", m.seq}};
}

json encode_fields(const core::CustomerLeft& m) {
    return {{"type", "customer_left"}, {"conversation", m.conversation}, {"seq", m.seq}};
}

json encode_fields(const core::ConversationLeft& m) {
    return {{"type", "conversation_left"}, {"conversation", m.conversation}, {"reason", m.reason}};
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
    if (m.retry_after)
        message["retry_after_ms"] = m.retry_after->count();
    return message;
}

// The schema accepted a positive integer; ids beyond int64 name nobody.
core::AdvisorId colleague_id(const json& message) {
    auto value = message.at("colleague").get<std::uint64_t>();
    return value > static_cast<std::uint64_t>(INT64_MAX) ? 0 : static_cast<core::AdvisorId>(value);
}

// What the field table cannot say: a transfer names exactly one receiver.
// The shape of a wrap-up's "fields": known names only, a string each, an array of strings for
// the fields that take several codes. Whether each value is a code is the core's to say.
std::optional<DecodeError> wrapup_fields_problem(const json& fields, const std::string& ref) {
    for (const auto& [name, value] : fields.items()) {
        const core::RegisterField* field = core::find_register_field(name);
        if (field == nullptr && name != "country")
            return DecodeError{"invalid_field",
                               "field \"fields." + name + "\" is not a wrap-up field", ref};
        const bool multiple = field != nullptr && field->multiple;
        bool fits = multiple ? value.is_array() : value.is_string();
        if (multiple && fits) {
            fits = std::all_of(value.begin(), value.end(),
                               [](const json& code) { return code.is_string(); });
        }
        if (!fits)
            return DecodeError{"invalid_field",
                               "field \"fields." + name + "\" must be " +
                                   (multiple ? "an array of codes" : "a code (a string)"),
                               ref};
    }
    return std::nullopt;
}

core::Wrapup wrapup_of(const json& fields) {
    core::Wrapup wrapup;
    std::pair<const char*, std::string*> singles[] = {
        {"age_group", &wrapup.age_group},
        {"gender", &wrapup.gender},
        {"residence", &wrapup.residence},
        {"immigration_reason", &wrapup.immigration_reason},
        {"citizenship", &wrapup.citizenship},
        {"country", &wrapup.country},
        {"education", &wrapup.education},
        {"labour_status", &wrapup.labour_status},
        {"first_contact", &wrapup.first_contact},
        {"interpreter", &wrapup.interpreter},
    };
    for (auto& [name, target] : singles) {
        if (auto value = fields.find(name); value != fields.end())
            *target = value->get<std::string>();
    }
    if (auto topics = fields.find("topics"); topics != fields.end())
        wrapup.topics = topics->get<std::vector<std::string>>();
    if (auto referrals = fields.find("referrals"); referrals != fields.end())
        wrapup.referrals = referrals->get<std::vector<std::string>>();
    return wrapup;
}

std::optional<DecodeError> cross_field_problem(const json& message, const std::string& ref) {
    if (message.at("type") == "wrapup")
        return wrapup_fields_problem(message.at("fields"), ref);
    if (message.at("type") != "transfer")
        return std::nullopt;
    const bool to_colleague = message.contains("colleague") && !message["colleague"].is_null();
    const bool to_queue = message.contains("language") && !message["language"].is_null();
    if (to_colleague == to_queue)
        return DecodeError{"invalid_field",
                           "\"transfer\" names exactly one of \"colleague\" and \"language\"", ref};
    return std::nullopt;
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
    if (type == "typing")
        return SignalTyping{.conversation = message.at("conversation").get<std::string>()};
    if (type == "end")
        return EndConversation{message.at("id").get<std::string>(),
                               message.at("conversation").get<std::string>()};
    if (type == "directory")
        return ListColleagues{message.at("id").get<std::string>(),
                              optional_string(message, "language"),
                              optional_string(message, "point")};
    if (type == "consult_open")
        return OpenConsult{message.at("id").get<std::string>(), colleague_id(message),
                           optional_string(message, "about")};
    if (type == "consult_message")
        return SendConsultText{message.at("id").get<std::string>(),
                               message.at("consult").get<std::string>(),
                               message.at("text").get<std::string>()};
    if (type == "consult_close")
        return CloseConsult{message.at("id").get<std::string>(),
                            message.at("consult").get<std::string>()};
    if (type == "invite")
        return InviteColleague{message.at("id").get<std::string>(),
                               message.at("conversation").get<std::string>(), colleague_id(message),
                               optional_string(message, "note")};
    if (type == "transfer") {
        TransferConversation transfer{
            message.at("id").get<std::string>(), message.at("conversation").get<std::string>(),
            std::nullopt, optional_string(message, "language"), optional_string(message, "note")};
        if (auto colleague = message.find("colleague");
            colleague != message.end() && !colleague->is_null())
            transfer.colleague = colleague_id(message);
        return transfer;
    }
    if (type == "customer_code")
        return AskCustomerCode{message.at("id").get<std::string>(),
                               message.at("conversation").get<std::string>()};
    if (type == "join")
        return JoinWithCode{message.at("id").get<std::string>(),
                            message.at("code").get<std::string>()};
    if (type == "resume")
        return ResumeSession{message.at("id").get<std::string>(),
                             message.at("token").get<std::string>(),
                             message.at("last_seq").get<std::uint64_t>()};
    if (type == "wrapup")
        return SaveWrapup{message.at("id").get<std::string>(),
                          message.at("conversation").get<std::string>(),
                          wrapup_of(message.at("fields"))};
    if (type == "rate") {
        // The schema accepted a positive integer; anything past 5 is refused by the core.
        const auto rating = message.at("rating").get<std::uint64_t>();
        return RateConversation{message.at("id").get<std::string>(),
                                message.at("conversation").get<std::string>(),
                                rating > 1000 ? 1000 : static_cast<int>(rating)};
    }
    if (type == "leave")
        return LeaveConversation{message.at("id").get<std::string>(),
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
    if (auto hot = decode_hot_inbound(frame))
        return std::move(*hot);
    return decode_inbound_through_tree(frame);
}

std::variant<Inbound, DecodeError> decode_inbound_through_tree(std::string_view frame) {
    json message = json::parse(frame, nullptr, /*allow_exceptions=*/false);
    if (message.is_discarded())
        return DecodeError{"bad_json", "the frame is not valid JSON", {}};
    std::string ref = message.is_object() ? optional_string(message, "id") : std::string();
    if (ref.size() > 128)
        ref.clear();
    if (auto violation = validate(message, Direction::to_server))
        return DecodeError{violation->code, violation->reason, ref};
    if (auto problem = cross_field_problem(message, ref))
        return *problem;
    return to_inbound(message);
}

std::string encode(const core::Outbound& message) {
    if (auto frame = encode_hot_frame(message))
        return std::move(*frame);
    return encode_through_tree(message);
}

std::string encode_through_tree(const core::Outbound& message) {
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
                    {"role", welcome.clerk_organisation ? "clerk" : core::role_name(welcome.role)},
                    {"languages", std::move(languages)},
                    {"municipalities", std::move(municipalities)},
                    {"limits", {{"max_text_bytes", welcome.max_text_bytes}}}};
    if (welcome.clerk_organisation)
        message["clerk"] = {{"organisation", *welcome.clerk_organisation}};
    if (!welcome.resume_token.empty())
        message["resume"] = {{"token", welcome.resume_token},
                             {"window_seconds", welcome.resume_window_seconds}};
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
