#pragma once

#include "neuvo/core/messages.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace neuvo::protocol {

// The WebSocket subprotocol a peer must offer; the version changes on any incompatible change.
inline constexpr const char* subprotocol = "neuvo.v1";

// ---- Messages peers send to the server (see PROTOCOL.md) ----

struct RequestAdvisor {
    std::string id;
    std::string language;
    std::string home; // municipality code; empty when the client did not say
    std::vector<std::string> also_speaks;
};

struct CancelRequest {
    std::string id;
    std::string request;
};

struct AnswerOffer {
    std::string id;
    std::string conversation;
    bool accept = false;
};

struct SendText {
    std::string id;
    std::string conversation;
    std::string text;
};

struct Acknowledge {
    std::string conversation;
    std::uint64_t seq = 0;
};

// Fire-and-forget, like Acknowledge: no id, no reply.
struct SignalTyping {
    std::string conversation;
};

struct EndConversation {
    std::string id;
    std::string conversation;
};

struct SetPresence {
    std::string id;
    core::Presence status = core::Presence::away;
    std::optional<int> capacity;
    std::optional<bool> follow_schedule;
};

// ---- Advisors working together ----

struct ListColleagues {
    std::string id;
    std::string language; // empty: every language
    std::string point;    // empty: every point
};

struct OpenConsult {
    std::string id;
    core::AdvisorId colleague = 0;
    std::string about; // a conversation id, or empty
};

struct SendConsultText {
    std::string id;
    std::string consult;
    std::string text;
};

struct CloseConsult {
    std::string id;
    std::string consult;
};

struct InviteColleague {
    std::string id;
    std::string conversation;
    core::AdvisorId colleague = 0;
    std::string note;
};

// Exactly one of `colleague` and `language`.
struct TransferConversation {
    std::string id;
    std::string conversation;
    std::optional<core::AdvisorId> colleague;
    std::string language;
    std::string note;
};

struct LeaveConversation {
    std::string id;
    std::string conversation;
};

// ---- A clerk's customer joining from a kiosk ----

struct AskCustomerCode {
    std::string id;
    std::string conversation;
};

struct JoinWithCode {
    std::string id;
    std::string code;
};

// ---- A client's new connection taking over a dropped one ----

struct ResumeSession {
    std::string id;
    std::string token;          // from the earlier connection's welcome
    std::uint64_t last_seq = 0; // the highest seq the client has of its conversation
};

// ---- The end of a conversation: the advisor's wrap-up, the client's rating ----

struct SaveWrapup {
    std::string id;
    std::string conversation;
    core::Wrapup wrapup; // fields left out are "unknown"; codes are checked by the core
};

struct RateConversation {
    std::string id;
    std::string conversation;
    int rating = 0; // 1-5, checked by the core
};

using Inbound =
    std::variant<RequestAdvisor, SendText, Acknowledge, EndConversation, SetPresence, CancelRequest,
                 AnswerOffer, ListColleagues, OpenConsult, SendConsultText, CloseConsult,
                 InviteColleague, TransferConversation, LeaveConversation, AskCustomerCode,
                 JoinWithCode, SaveWrapup, RateConversation, SignalTyping, ResumeSession>;

// A frame that could not be turned into an Inbound; `code` is one of PROTOCOL.md's error codes.
struct DecodeError {
    std::string code;
    std::string reason;
    std::string ref; // the frame's "id", when one could be read
};

// ---- The first message on every connection, built by the shell ----

struct WelcomeAdvisor {
    std::string name;
    std::string point_id;
    std::string point_name;
    std::vector<std::string> languages;
};

struct Welcome {
    core::Role role = core::Role::client;
    std::vector<core::Language> languages;
    std::vector<core::Municipality> municipalities;
    std::size_t max_text_bytes = 0;
    std::optional<WelcomeAdvisor> advisor; // only on the advisor endpoint
    // Set on the clerk endpoint: the role is then "clerk", asking for language support.
    std::optional<std::string> clerk_organisation;
    // Client and clerk connections: the token a later connection presents to take this one over
    // after a drop, within `resume_window_seconds`.
    std::string resume_token;
    std::int64_t resume_window_seconds = 0;
};

} // namespace neuvo::protocol
