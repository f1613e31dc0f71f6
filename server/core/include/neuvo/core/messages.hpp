#pragma once

#include "neuvo/core/clock.hpp"
#include "neuvo/core/service_network.hpp"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace neuvo::core {

// One connected socket, numbered by the shell. The core never learns anything else about it.
using SessionId = std::uint64_t;
using AdvisorId = std::int64_t;

enum class Role { client, advisor };
enum class Presence { available, away };

const char* role_name(Role role);
const char* presence_name(Presence presence);

// ---- What the core tells participants (the shell encodes these on the wire) ----

struct Queued {
    std::string request_id; // the client's id of its request message
    std::string language;
    int position = 0;           // 1 = next to be served
    int advisors_signed_in = 0; // advisors speaking the language signed in anywhere right now
};

struct ConversationStarted {
    std::string conversation;
    std::string request_id; // the client's request id; empty in the advisor's copy
    std::string language;
    std::string home_municipality; // "unknown" when the client did not say
    Tier tier = Tier::national;
    std::string advisor_name; // first name as the advisor chose to show it
    std::string point_id;     // the advisor's point
    std::string point_name;
};

struct ChatMessage {
    std::string conversation;
    std::uint64_t seq = 0;  // server-assigned, 1, 2, 3 ... within the conversation
    std::string message_id; // the sender's id, echoed so a resend is recognised
    Role from = Role::client;
    std::string author; // advisor's name, or empty for the anonymous client
    std::string text;
    TimePoint sent_at;
};

// Tells the sender that its message was accepted and which sequence number it got.
struct MessageAccepted {
    std::string message_id;
    std::string conversation;
    std::uint64_t seq = 0;
    bool duplicate = false; // the id was seen before: nothing was delivered again
};

struct ConversationEnded {
    std::string conversation;
    std::uint64_t seq = 0;
    std::string reason; // "client", "advisor", "client_disconnected", "advisor_disconnected"
};

struct PresenceState {
    Presence status = Presence::away;
    int capacity = 0;
    int active = 0;
};

struct ErrorReply {
    std::string code;   // stable, listed in protocol/PROTOCOL.md
    std::string reason; // for people
    std::string ref;    // id of the message that caused it, if it had one
};

using Outbound = std::variant<Queued, ConversationStarted, ChatMessage, MessageAccepted,
                              ConversationEnded, PresenceState, ErrorReply>;

// ---- The visit register: metadata of one contact, never content ----

struct VisitRecord {
    std::string outcome;          // "served" or "unserved" (client left while queued)
    std::string point_id;         // the point that served the contact ("" when unserved)
    std::string advisor_point_id; // the point of the advisor who served it ("" when unserved)
    std::string channel = "chat";
    std::string language;
    std::string home_municipality; // code, or "unknown"
    std::string tier;              // tier_name() of the match, "" when unserved
    TimePoint started_hour;        // start of the request, floored to the hour: no exact times
    std::int64_t wait_seconds = 0;
    std::int64_t duration_seconds = 0;
    std::string ended_by; // same values as ConversationEnded::reason, or "client_left_queue"
};

// ---- Effects: what the shell must carry out after an event ----

struct Deliver {
    SessionId to = 0;
    Outbound message;
};

struct RecordVisit {
    VisitRecord record;
};

// Close a session, e.g. an advisor's older connection replaced by a newer one.
struct CloseSession {
    SessionId session = 0;
    std::string reason;
};

using Effect = std::variant<Deliver, RecordVisit, CloseSession>;
using Effects = std::vector<Effect>;

} // namespace neuvo::core
