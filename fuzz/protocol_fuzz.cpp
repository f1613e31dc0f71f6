// Fuzzes the decoder of what peers send (neuvo::protocol::decode_inbound), the first code any
// WebSocket frame from the internet reaches. Besides "no crash, no sanitizer report":
//  - a refusal has one of PROTOCOL.md's error codes, a reason, a ref of at most 128 bytes that
//    is the frame's own "id", and the server's error frame for it is valid JSON that follows
//    the schema for the peer;
//  - a decoded message, written back onto the wire, decodes to the same message (the decoder
//    loses nothing the core relies on and invents nothing), and what the server would send on
//    from it (a chat message or a typing note) is valid JSON that follows the schema.

#include "fuzz_check.hpp"

#include "neuvo/protocol/codec.hpp"
#include "neuvo/protocol/schema.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <variant>

namespace {

using nlohmann::json;
namespace core = neuvo::core;
namespace protocol = neuvo::protocol;

template <class... F> struct Overloaded : F... { using F::operator()...; };
template <class... F> Overloaded(F...) -> Overloaded<F...>;

void put_if(json& message, const char* name, const std::string& value) {
    if (!value.empty())
        message[name] = value;
}

json wrapup_wire(const core::Wrapup& w) {
    return {{"age_group", w.age_group},
            {"gender", w.gender},
            {"residence", w.residence},
            {"immigration_reason", w.immigration_reason},
            {"citizenship", w.citizenship},
            {"country", w.country},
            {"education", w.education},
            {"labour_status", w.labour_status},
            {"topics", w.topics},
            {"referrals", w.referrals},
            {"first_contact", w.first_contact},
            {"interpreter", w.interpreter}};
}

// The frame a peer would send for a decoded message (PROTOCOL.md's field names).
// `exact` is cleared when the message holds a value the wire cannot carry back (an id past
// int64, which the decoder turns into 0, "nobody").
json to_wire(const protocol::Inbound& inbound, bool& exact) {
    return std::visit(
        Overloaded{
            [](const protocol::RequestAdvisor& m) {
                json message = {{"type", "request"}, {"id", m.id}, {"language", m.language}};
                put_if(message, "home", m.home);
                if (!m.also_speaks.empty())
                    message["also_speaks"] = m.also_speaks;
                return message;
            },
            [](const protocol::CancelRequest& m) {
                return json{{"type", "cancel"}, {"id", m.id}, {"request", m.request}};
            },
            [](const protocol::AnswerOffer& m) {
                return json{{"type", m.accept ? "accept" : "decline"},
                            {"id", m.id},
                            {"conversation", m.conversation}};
            },
            [](const protocol::SendText& m) {
                return json{{"type", "message"},
                            {"id", m.id},
                            {"conversation", m.conversation},
                            {"text", m.text}};
            },
            [](const protocol::Acknowledge& m) {
                return json{{"type", "ack"}, {"conversation", m.conversation}, {"seq", m.seq}};
            },
            [](const protocol::SignalTyping& m) {
                return json{{"type", "typing"}, {"conversation", m.conversation}};
            },
            [](const protocol::EndConversation& m) {
                return json{{"type", "end"}, {"id", m.id}, {"conversation", m.conversation}};
            },
            [](const protocol::SetPresence& m) {
                json message = {
                    {"type", "presence"},
                    {"id", m.id},
                    {"status", m.status == core::Presence::available ? "available" : "away"}};
                if (m.capacity)
                    message["capacity"] = *m.capacity;
                if (m.follow_schedule)
                    message["follow_schedule"] = *m.follow_schedule;
                return message;
            },
            [](const protocol::ListColleagues& m) {
                json message = {{"type", "directory"}, {"id", m.id}};
                put_if(message, "language", m.language);
                put_if(message, "point", m.point);
                return message;
            },
            [&](const protocol::OpenConsult& m) {
                exact = exact && m.colleague != 0;
                json message = {{"type", "consult_open"}, {"id", m.id}, {"colleague", m.colleague}};
                put_if(message, "about", m.about);
                return message;
            },
            [](const protocol::SendConsultText& m) {
                return json{{"type", "consult_message"},
                            {"id", m.id},
                            {"consult", m.consult},
                            {"text", m.text}};
            },
            [](const protocol::CloseConsult& m) {
                return json{{"type", "consult_close"}, {"id", m.id}, {"consult", m.consult}};
            },
            [&](const protocol::InviteColleague& m) {
                exact = exact && m.colleague != 0;
                json message = {{"type", "invite"},
                                {"id", m.id},
                                {"conversation", m.conversation},
                                {"colleague", m.colleague}};
                put_if(message, "note", m.note);
                return message;
            },
            [&](const protocol::TransferConversation& m) {
                json message = {
                    {"type", "transfer"}, {"id", m.id}, {"conversation", m.conversation}};
                if (m.colleague) {
                    exact = exact && *m.colleague != 0;
                    message["colleague"] = *m.colleague;
                } else {
                    message["language"] = m.language;
                }
                put_if(message, "note", m.note);
                return message;
            },
            [](const protocol::LeaveConversation& m) {
                return json{{"type", "leave"}, {"id", m.id}, {"conversation", m.conversation}};
            },
            [](const protocol::AskCustomerCode& m) {
                return json{
                    {"type", "customer_code"}, {"id", m.id}, {"conversation", m.conversation}};
            },
            [](const protocol::ResumeSession& m) {
                return json{
                    {"type", "resume"}, {"id", m.id}, {"token", m.token}, {"last_seq", m.last_seq}};
            },
            // A message type added to Inbound without a case here is only checked for not
            // crashing, until it gets one.
            [&](const auto&) {
                exact = false;
                return json::object();
            },
            [](const protocol::JoinWithCode& m) {
                return json{{"type", "join"}, {"id", m.id}, {"code", m.code}};
            },
            [](const protocol::SaveWrapup& m) {
                return json{{"type", "wrapup"},
                            {"id", m.id},
                            {"conversation", m.conversation},
                            {"fields", wrapup_wire(m.wrapup)}};
            },
            [](const protocol::RateConversation& m) {
                return json{{"type", "rate"},
                            {"id", m.id},
                            {"conversation", m.conversation},
                            {"rating", m.rating}};
            },
        },
        inbound);
}

const std::set<std::string> error_codes = {"bad_json", "unknown_type", "missing_field",
                                           "invalid_field"};

void check_refusal(const protocol::DecodeError& error, std::string_view frame) {
    FUZZ_CHECK(error_codes.count(error.code) == 1, "a refusal has a documented code");
    FUZZ_CHECK(!error.reason.empty(), "a refusal has a reason");
    FUZZ_CHECK(error.ref.size() <= 128, "a refusal's ref is at most 128 bytes");
    if (!error.ref.empty()) {
        json frame_json = json::parse(frame, nullptr, false);
        FUZZ_CHECK(frame_json.is_object() && frame_json.contains("id") &&
                       frame_json["id"] == error.ref,
                   "a refusal's ref is the frame's id");
    }
    // What the server answers: valid JSON, by the schema of what the server sends.
    const std::string reply = protocol::encode_error(error.code, error.reason, error.ref);
    json parsed = json::parse(reply, nullptr, false);
    FUZZ_CHECK(!parsed.is_discarded(), "the error frame is JSON");
    FUZZ_CHECK(!protocol::validate(parsed, protocol::Direction::to_peer),
               "the error frame follows the schema");
}

void check_forwarded(const protocol::Inbound& inbound) {
    std::string sent;
    if (const auto* text = std::get_if<protocol::SendText>(&inbound)) {
        sent = protocol::encode(core::Outbound{core::ChatMessage{
            .conversation = text->conversation,
            .seq = 1,
            .message_id = text->id,
            .from = core::Role::client,
            .author = {},
            .text = text->text,
            .sent_at = core::TimePoint(std::chrono::milliseconds(1'790'000'000'000))}});
    } else if (const auto* typing = std::get_if<protocol::SignalTyping>(&inbound)) {
        sent = protocol::encode(core::Outbound{core::Typing{
            .conversation = typing->conversation, .from = core::Role::client, .name = {}}});
    } else {
        return;
    }
    json parsed = json::parse(sent, nullptr, false);
    FUZZ_CHECK(!parsed.is_discarded(), "what the server forwards is JSON");
    FUZZ_CHECK(!protocol::validate(parsed, protocol::Direction::to_peer),
               "what the server forwards follows the schema");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view frame(reinterpret_cast<const char*>(data), size);
    auto decoded = protocol::decode_inbound(frame);
    // The hand-read hot frames (message, ack) must decode as the json tree does, to the byte.
    const auto tree = protocol::decode_inbound_through_tree(frame);
    FUZZ_CHECK(decoded.index() == tree.index(), "the short way and the tree agree on the verdict");
    if (const auto* error = std::get_if<protocol::DecodeError>(&decoded)) {
        const auto& other = std::get<protocol::DecodeError>(tree);
        FUZZ_CHECK(error->code == other.code && error->reason == other.reason &&
                       error->ref == other.ref,
                   "the short way and the tree give the same error");
        check_refusal(*error, frame);
        return 0;
    }
    const auto& inbound = std::get<protocol::Inbound>(decoded);
    {
        bool exact_fast = true;
        bool exact_tree = true;
        const auto& from_tree = std::get<protocol::Inbound>(tree);
        FUZZ_CHECK(from_tree.index() == inbound.index(), "the same kind of message both ways");
        FUZZ_CHECK(
            to_wire(inbound, exact_fast).dump(-1, ' ', false, json::error_handler_t::replace) ==
                to_wire(from_tree, exact_tree).dump(-1, ' ', false, json::error_handler_t::replace),
            "the same message both ways");
    }
    check_forwarded(inbound);

    bool exact = true;
    const json wire = to_wire(inbound, exact);
    if (!exact)
        return 0;
    const std::string once = wire.dump(-1, ' ', false, json::error_handler_t::strict);
    auto again = protocol::decode_inbound(once);
    if (const auto* error = std::get_if<protocol::DecodeError>(&again)) {
        std::fprintf(stderr, "written back as %s, refused: %s %s\n", once.c_str(),
                     error->code.c_str(), error->reason.c_str());
        FUZZ_CHECK(false, "a decoded message written back decodes again");
    }
    const auto& second = std::get<protocol::Inbound>(again);
    FUZZ_CHECK(second.index() == inbound.index(), "the same kind of message");
    bool exact_again = true;
    const std::string twice = to_wire(second, exact_again).dump();
    if (twice != once)
        std::fprintf(stderr, "first:  %s\nsecond: %s\n", once.c_str(), twice.c_str());
    FUZZ_CHECK(twice == once, "a decoded message written back decodes to the same message");
    return 0;
}
