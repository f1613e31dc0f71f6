#pragma once

#include "neuvo/core/clock.hpp"
#include "neuvo/core/register_codes.hpp"
#include "neuvo/core/service_network.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
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
    // From recent service times of the language; nothing when no advisor for it is signed in.
    std::optional<std::int64_t> estimated_wait_seconds;
};

// A colleague as other advisors see them: enough to recognise and to address them.
struct ColleagueRef {
    AdvisorId id = 0;
    std::string name;
    std::string point_id;
    std::string point_name;

    bool operator==(const ColleagueRef&) const = default;
};

// An advisor as every participant of a conversation, the client included, sees them.
struct AdvisorBadge {
    std::string name;
    std::string point_id;
    std::string point_name;
    std::vector<std::string> languages;
};

enum class OfferKind { request, invitation, transfer };
const char* offer_kind_name(OfferKind kind);

// An assignment waiting for the advisor's accept or decline. A waiting client keeps its queue
// place until the advisor accepts. Invitations and transfers come from a colleague, with a note.
struct Offer {
    std::string conversation; // the id the conversation has, or will have if accepted
    std::string language;
    std::string home_municipality;
    Tier tier = Tier::national;
    TimePoint expires_at;
    OfferKind kind = OfferKind::request;
    bool transferred = false;         // a request-kind offer of a conversation sent to a queue
    std::optional<ColleagueRef> from; // invitations and transfers
    std::string note;                 // invitations and transfers; only the receiver sees it
    std::string channel = "chat";     // "language-support" when a clerk asks
    std::string organisation;         // the clerk's
};

// The offer is gone: "declined", "timeout" (the advisor did not answer in time), "client_left",
// or for invitations and transfers "conversation_ended".
struct OfferWithdrawn {
    std::string conversation;
    std::string reason;
};

struct LanguageWait {
    std::string language;
    int advisors_signed_in = 0;
    std::optional<std::int64_t> estimated_wait_seconds;
};

struct NextStaffed {
    TimePoint at; // start of the next scheduled slot for the language at any point
    std::string point_id;
    std::string point_name;
};

// Honest alternatives for a client nobody can serve now: reason "nobody_signed_in" (no advisor
// for the language anywhere) or "long_wait" (waited past the policy's limit). The client stays
// in the queue unless it cancels.
struct Alternatives {
    std::string request_id;
    std::string language;
    std::string reason;
    std::optional<NextStaffed> next_staffed;
    std::vector<LanguageWait> other_languages; // the languages the client said it also speaks
};

// The client's request is over without a conversation: "cancelled" (by the client).
struct RequestClosed {
    std::string request_id;
    std::string reason;
};

// The advisor's connection dropped ("reconnecting") or came back within the grace period ("back").
struct AdvisorConnection {
    std::string conversation;
    std::string status;
};

// The client side's connection dropped ("reconnecting") or its new connection took over within
// the resume window ("back"); told to the advisors of the conversation.
struct ClientConnection {
    std::string conversation;
    std::string status;
};

// A client's new connection took over its earlier session (`ref` quotes the resume message).
// `state` says what it finds: "waiting" (Queued follows), "conversation" (ConversationStarted
// and every numbered event after the client's last one follow), "ended" (the numbered events it
// missed up to ConversationEnded follow; it may still rate) or "idle".
struct Resumed {
    std::string ref;
    std::string state;
    std::string conversation; // for "conversation" and "ended"
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
    // Only for an advisor joining through an invitation or a transfer: "lead" or "invited", who
    // handed it on, their note, and the other advisors already in the conversation.
    std::string joined_as;
    std::optional<ColleagueRef> from;
    std::string note;
    std::vector<AdvisorBadge> participants;
    // In the advisor's copy: "language-support" and the clerk's organisation when a clerk asked.
    std::string channel = "chat";
    std::string organisation;
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

// Someone in the conversation is typing: to its other participants, not numbered and never kept.
// `name` is the advisor's display name; empty when the client side types.
struct Typing {
    std::string conversation;
    Role from = Role::client;
    std::string name;
};

// Tells the sender that its message was accepted and which sequence number it got.
struct MessageAccepted {
    std::string message_id;
    std::string conversation; // or the consult thread's id, when `consult`
    std::uint64_t seq = 0;
    bool duplicate = false; // the id was seen before: nothing was delivered again
    bool consult = false;
};

// ---- Advisors working together ----

struct DirectoryEntry {
    ColleagueRef colleague;
    std::vector<std::string> languages;
    Presence status = Presence::away;
    int active = 0;
    int capacity = 0;
    bool connected = true;
};

struct Directory {
    std::string ref;
    std::vector<DirectoryEntry> advisors; // every other signed-in advisor, by point and name
};

// What a consult thread is about, when it was opened from a client conversation: never content.
struct ConsultSubject {
    std::string conversation;
    std::string language;
    std::string home_municipality;
};

struct ConsultOpened {
    std::string consult;
    std::string ref; // in the opener's copy
    ColleagueRef with;
    std::optional<ConsultSubject> about;
};

struct ConsultMessage {
    std::string consult;
    std::uint64_t seq = 0;
    std::string message_id;
    std::string author;
    std::string text;
    TimePoint sent_at;
};

// "closed" (one of the two closed it) or "colleague_left".
struct ConsultClosed {
    std::string consult;
    std::string reason;
};

// What became of an invitation or a transfer, told to its sender: "pending", "accepted",
// "declined", "timeout", "withdrawn" or "queued".
struct Handover {
    std::string conversation;
    std::string ref;
    OfferKind kind = OfferKind::invitation;
    std::string status;
    std::optional<ColleagueRef> colleague;
    std::string language; // a transfer to a language's queue
};

// Who is in a conversation changed; numbered like chat messages, to every participant.
struct AdvisorJoined {
    std::string conversation;
    std::uint64_t seq = 0;
    std::string role; // "lead" or "invited"
    std::string via;  // "invitation", "transfer" or "reassignment"
    AdvisorBadge advisor;
};

struct AdvisorLeft {
    std::string conversation;
    std::uint64_t seq = 0;
    std::string reason; // "left", "transferred" or "disconnected"
    AdvisorBadge advisor;
};

// A clerk's one-time code for their customer to join from a kiosk.
struct CustomerCode {
    std::string ref;
    std::string conversation;
    std::string code;
    TimePoint expires_at;
};

// The clerk's customer joined from a kiosk, or left; numbered, to every participant.
struct CustomerJoined {
    std::string conversation;
    std::uint64_t seq = 0;
};

struct CustomerLeft {
    std::string conversation;
    std::uint64_t seq = 0;
};

// To the advisor who is no longer in the conversation: "left" or "transferred".
struct ConversationLeft {
    std::string conversation;
    std::string reason;
};

struct ConversationEnded {
    std::string conversation;
    std::uint64_t seq = 0;
    std::string reason; // "client", "advisor", "client_disconnected", "advisor_disconnected"
};

// To the lead advisor when a conversation ends, and again on reconnecting while it is due: the
// register row waits for this advisor's wrap-up until `due_at`, then is written without it.
struct WrapupDue {
    std::string conversation;
    std::string language;
    std::string home_municipality;
    std::string channel;
    TimePoint due_at;
};

// The wrap-up is over: "saved" (the row is committed) or "expired" (time ran out, or the
// advisor was away too long: the row was written without it). `ref` quotes the wrap-up message.
struct WrapupDone {
    std::string conversation;
    std::string status;
    std::string ref;
};

// The client's rating is taken.
struct Rated {
    std::string conversation;
    std::string ref;
};

struct PresenceState {
    Presence status = Presence::away;
    int capacity = 0;
    int active = 0;               // conversations plus pending offers
    bool follow_schedule = false; // offered only within the point's schedule for each language
    std::string reason; // why the server changed it, e.g. "missed_offers"; empty otherwise
};

struct ErrorReply {
    std::string code;   // stable, listed in protocol/PROTOCOL.md
    std::string reason; // for people
    std::string ref;    // id of the message that caused it, if it had one
    // "rate_limited" and "too_many_attempts": how long until the same message may be sent again.
    std::optional<std::chrono::milliseconds> retry_after = std::nullopt;
};

using Outbound =
    std::variant<Queued, ConversationStarted, ChatMessage, MessageAccepted, ConversationEnded,
                 PresenceState, ErrorReply, Offer, OfferWithdrawn, Alternatives, RequestClosed,
                 AdvisorConnection, Directory, ConsultOpened, ConsultMessage, ConsultClosed,
                 Handover, AdvisorJoined, AdvisorLeft, ConversationLeft, CustomerCode,
                 CustomerJoined, CustomerLeft, WrapupDue, WrapupDone, Rated, Typing,
                 ClientConnection, Resumed>;

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
    // Transfers of the conversation, and the points of the last one (to "" when it went to a
    // queue and nobody took it before the end).
    int transfers = 0;
    std::string transfer_from_point_id;
    std::string transfer_to_point_id;
    int invited_advisors = 0; // colleagues who joined by invitation
    // "saved" (the advisor's wrap-up), "missing" (the advisor left, or wrap-up time ran out,
    // before saving: every wrap-up field "unknown"), or "none" for an unserved request.
    std::string wrapup_state = "none";
    Wrapup wrapup;
    std::optional<int> rating; // the client's 1-5, when given before the row was written
    // Not stored: the conversation's id, so that a rating given after the row was written can
    // find it while the server runs. Empty for unserved requests.
    std::string conversation;
};

// The client rated a conversation whose register row has already been written.
struct RecordRating {
    std::string conversation;
    int rating = 0;
};

// ---- Open work: what must outlive the process ----
// A client session that waits or talks is kept in the store while it does, with its
// conversation and the conversation's numbered events, so that after a restart (planned or a
// crash) its client and advisors reconnect and carry on. Only while open: a conversation's events
// go from the store when it ends, and the session when it has nothing left to continue.

// Who stands behind a client session: an anonymous person ("chat" or "kiosk"), or a
// public-service clerk asking for language support for a customer at their desk.
struct Requester {
    std::string channel = "chat"; // a register channel: "chat", "kiosk" or "language-support"
    std::string organisation;     // the clerk's, shown to the advisor; empty for anonymous clients
    std::string default_home;     // used when a request names no home municipality
    // Where the connection came from, only to throttle wrong join codes per address: an IPv4
    // address, or an IPv6 client's network as the shell counts it (limits.ipv6_prefix_length).
    // Never shown, logged or stored.
    std::string address = {};

    bool operator==(const Requester&) const = default;
};

// A request waiting in a line, in the order lines are rebuilt (by `at`).
struct OpenRequest {
    std::string id;
    std::string language;
    std::string home;
    TimePoint at;
    // A conversation its lead sent to a queue: who sent it, and the note.
    std::string transfer_of;
    std::optional<ColleagueRef> transfer_from;
    std::string transfer_note;

    bool operator==(const OpenRequest&) const = default;
};

struct OpenSeat {
    AdvisorId advisor = 0;
    bool lead = false;

    bool operator==(const OpenSeat&) const = default;
};

// A conversation's facts and participants; its sequence numbers and message ids come back from
// its events.
struct OpenConversation {
    std::string id;
    std::string request_id;
    std::string language;
    std::string home;
    Tier tier = Tier::national;
    TimePoint requested_at;
    TimePoint started_at;
    std::string channel = "chat";
    std::string organisation;
    std::vector<OpenSeat> seats; // in the order they joined
    int transfers = 0;
    std::string transfer_from_point;
    std::string transfer_to_point;
    int invited_advisors = 0;
    std::string last_lead_point;

    bool operator==(const OpenConversation&) const = default;
};

// One client session, found again by its resume token (the shell gives the core only a digest
// of the token the client holds, so the store never has the token itself).
struct OpenClient {
    std::string resume_token;
    Requester requester;
    std::vector<std::string> also_speaks;
    std::optional<OpenRequest> waiting;
    std::string conversation;             // the one it talks in, or joined as a customer
    std::optional<OpenConversation> talk; // kept with the client who asked, not a customer
    bool operator==(const OpenClient&) const = default;
};

// A numbered event of an open conversation (a chat message, who joined or left, the end).
// `sender` tells apart whose message id a chat message carries: 0 for the client side, else the
// advisor's id.
struct OpenEvent {
    std::string conversation;
    std::uint64_t seq = 0;
    AdvisorId sender = 0;
    Outbound event;
};

// A served conversation's register row waiting for its lead's wrap-up (every system field filled
// in, the wrap-up fields unknown), so that a restart neither loses the row nor the chance to
// write the wrap-up. The store drops it when it writes a row for the same conversation.
struct OpenVisit {
    VisitRecord record; // record.conversation names it
    AdvisorId advisor = 0;
    TimePoint due;
};

// A signed-in advisor's presence, for an advisor who comes back after a restart.
struct OpenAdvisor {
    AdvisorId id = 0;
    Presence status = Presence::away;
    int capacity = 0;
    bool follow_schedule = false;

    bool operator==(const OpenAdvisor&) const = default;
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

// The client on the socket the shell numbered `connection` continues as the earlier `session`:
// from now on the shell sends `session`'s messages to that socket, hands the socket's messages in
// as `session`'s, and closes `session`'s older socket if it still has one ("session_replaced").
struct ResumeSession {
    SessionId connection = 0;
    SessionId session = 0;
};

// Open work for the store (see "Open work" above). Keep* replaces what was kept before.
struct KeepClient {
    OpenClient client;
};
struct ForgetClient {
    std::string resume_token;
};
struct KeepEvent {
    OpenEvent event;
};
// The conversation ended: its events (the only content the server holds) are deleted now.
struct ForgetConversation {
    std::string conversation;
};
struct KeepAdvisor {
    OpenAdvisor advisor;
};
struct KeepVisit {
    OpenVisit visit;
};
struct ForgetAdvisor {
    AdvisorId advisor = 0;
};

using Effect = std::variant<Deliver, RecordVisit, RecordRating, CloseSession, ResumeSession,
                            KeepClient, ForgetClient, KeepEvent, ForgetConversation, KeepAdvisor,
                            ForgetAdvisor, KeepVisit>;
using Effects = std::vector<Effect>;

// Whether the effect is open work for the store (Keep*, Forget*) rather than something that a
// participant or the register sees.
bool is_open_work(const Effect& effect);

} // namespace neuvo::core
