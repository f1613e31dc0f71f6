#pragma once

#include "neuvo/core/attempt_throttle.hpp"
#include "neuvo/core/clock.hpp"
#include "neuvo/core/messages.hpp"
#include "neuvo/core/service_network.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace neuvo::core {

struct AdvisorProfile {
    AdvisorId id = 0;
    std::string display_name; // shown to clients: first name
    std::string point_id;
    std::vector<std::string> languages;
};

struct Policy {
    int default_capacity = 3; // concurrent conversations when an advisor has not chosen
    int max_capacity = 10;
    std::size_t max_text_bytes = 4000;      // one chat message
    std::chrono::seconds offer_timeout{20}; // an advisor must accept an offer within this
    int max_missed_offers = 2;              // consecutive timeouts before the advisor is set away
    // An advisor who declined or missed a client is offered that client again only after this
    // long, and only if nobody else has taken them: the only advisor of a language must not leave
    // a client stranded by one refusal.
    std::chrono::seconds reoffer_after{60};
    std::chrono::seconds advisor_grace{60};    // a dropped advisor's conversations wait this long
    std::chrono::seconds long_wait{600};       // past this a waiting client is shown alternatives
    std::chrono::seconds default_service{600}; // assumed conversation length before any history
    int service_history = 20;                  // recent conversations per language for estimates
    // A colleague answers an invitation or a transfer within this; then it returns to its sender.
    std::chrono::seconds handover_timeout{60};
    std::size_t max_note_bytes = 500; // the note of an invitation or a transfer
    // A clerk's code for the customer to join from a kiosk is good once, for this long.
    std::chrono::seconds customer_code_lifetime{600};
    // The lead advisor saves the wrap-up within this after the end; then the register row is
    // written without it (every wrap-up field "unknown").
    std::chrono::seconds wrapup_timeout{900};
    // One typing indication per sender and conversation is passed on within this; more are
    // dropped, so that a flood does not fan out to every participant.
    std::chrono::seconds typing_interval{2};
    // Each sender's chat and consult messages: a burst of message_burst, then messages_per_minute
    // (send_rate.hpp). A message over it is refused with "rate_limited" and when to retry, and is
    // neither delivered nor numbered, so that one flooding peer cannot drown its conversations
    // nor the server. While a sender's budget is spent its typing is dropped too.
    int messages_per_minute = 30;
    int message_burst = 10;
    // Wrong join codes per network address (per connection when the shell gives none) before
    // the address is refused for a while: the codes are hard to guess, and this keeps them so.
    ThrottleRule join_code_throttle{};
    // A client whose connection dropped (a phone changing cells, a tunnel) keeps its place in the
    // queue or its conversation this long, for its next connection to resume; then it is gone.
    std::chrono::seconds client_grace{120};
    // Numbered events a client has not confirmed with `ack` that are kept for its resume. Past
    // this the oldest are dropped, and a resume that would need them is refused as expired.
    std::size_t max_unconfirmed_events = 1000;
    // A waiting client hears of a new place in the queue at most once per this; a change within
    // it is told when it has passed, and then only the latest. Without it, each client served
    // from a long line would move everyone behind and send each of them a message: a person
    // reads no faster than this, and a line of a thousand cost the server a million messages.
    // Zero tells every change at once.
    std::chrono::milliseconds queue_news_interval{1000};
};

// What the store kept of the last run's open work (messages.hpp, "Open work"), for restore().
struct OpenWork {
    // Each client with the session number the shell gives it now (no socket has it).
    std::vector<std::pair<SessionId, OpenClient>> clients;
    std::vector<OpenEvent> events;
    // Each kept presence with the profile of the advisor's account as it is now.
    std::vector<std::pair<OpenAdvisor, AdvisorProfile>> advisors;
    std::vector<OpenVisit> visits;
};

// What a supervisor sees live: metadata only, never content.
struct LanguageQueueView {
    std::string language;
    int waiting = 0;
    std::int64_t longest_wait_seconds = 0;
    int advisors_signed_in = 0;
    int advisors_available = 0;
    std::int64_t unmet_requests = 0; // requests that ended without a conversation, since start
};

struct AdvisorView {
    std::string name;
    std::string point_id;
    std::vector<std::string> languages;
    Presence status = Presence::away;
    int active = 0;
    int capacity = 0;
    bool connected = true; // false while in the reconnection grace period
};

struct ConversationView {
    std::string conversation;
    std::string language;
    std::string home_municipality;
    std::string channel;
    std::string point_id;              // of its lead, or of the last lead while it waits in a queue
    std::vector<std::string> advisors; // names, the lead first
    std::int64_t duration_seconds = 0;
    bool waiting_for_advisor = false; // transferred to a queue, or its lead reconnecting
};

struct LiveView {
    std::vector<LanguageQueueView> languages;    // every language with waiting clients or advisors
    std::vector<AdvisorView> advisors;           // ordered by point, then name
    std::vector<ConversationView> conversations; // open ones, oldest first
};

// The deterministic heart of Neuvo: conversations, presence and routing. Events go in as method
// calls, effects come out as values; no sockets, threads, JSON or SQL. Not thread-safe: the shell
// calls it from one strand.
//
// The effects of one event come in this order, and the shell must carry them out in it:
//   1. the event's own consequences: replies, OfferWithdrawn, ConversationEnded, AdvisorConnection,
//      RecordVisit, CloseSession (a replaced socket), PresenceState of the advisors concerned;
//   2. the new offers, each an Offer followed by the advisor's PresenceState;
//   3. Queued to every waiting client whose position, estimate or advisor count changed (also
//      when advisors of the language signed in or out, changed capacity, or a conversation of it
//      ended), line by line in queue order; a client's first Queued at once, later ones at most
//      once per Policy::queue_news_interval (what changed within it comes with a tick);
//   4. Alternatives (after the client's Queued).
// tick() follows the same order: expired offers (in expiry order), ended grace periods (their
// clients re-queued at the head), then 2-4 (with the queue news that was held back), long-wait
// alternatives last.
class Switchboard {
public:
    // `conversation_prefix` keeps conversation ids unique across server runs: ids are the prefix
    // followed by a counter from 1, so a prefix "c7f3a-" gives "c7f3a-1", "c7f3a-2" ...
    Switchboard(ServiceNetwork network, Policy policy, const Clock& clock,
                std::string conversation_prefix);
    ~Switchboard();
    Switchboard(const Switchboard&) = delete;
    Switchboard& operator=(const Switchboard&) = delete;

    const ServiceNetwork& network() const;
    const Policy& policy() const;

    // ---- Events ----
    // `resume_token` (from the shell's secure random source; the client learns it from
    // `welcome`) lets a later connection take this session over after a drop, within
    // policy.client_grace. Without one the session ends with its socket.
    void client_connected(SessionId session, Requester requester = {},
                          std::string resume_token = {});
    // A client's fresh connection `session` presents the token of an earlier one and the last
    // `seq` it has of its conversation. Within the window the earlier session continues on this
    // socket (ResumeSession, then Resumed and what it missed); otherwise "resume_expired".
    Effects resume_client(SessionId session, const std::string& token, std::uint64_t last_seq,
                          const std::string& ref);
    // An anonymous client asks for an advisor speaking `language`; `home` is a municipality code
    // or empty. Routes at once or queues; answers with ConversationStarted or Queued (or an error).
    // `also_speaks`: other languages the client can use, for alternatives when nobody can serve.
    Effects client_request(SessionId session, const std::string& request_id,
                           const std::string& language, const std::string& home,
                           const std::vector<std::string>& also_speaks = {});
    // The client gives up waiting: leaves the queue at once (an unserved visit), RequestClosed.
    // `ref` is the id of the cancel message itself, quoted by an error.
    Effects cancel_request(SessionId session, const std::string& request_id,
                           const std::string& ref);

    // A signed-in advisor's socket. A second socket of the same advisor replaces the first.
    Effects advisor_connected(SessionId session, AdvisorProfile profile);
    // capacity / follow_schedule: nothing keeps the current value.
    Effects set_presence(SessionId session, Presence status, std::optional<int> capacity,
                         const std::string& ref, std::optional<bool> follow_schedule = {});
    // The advisor answers an Offer (conversation id). Accept starts the conversation; decline
    // sends the client on to the next eligible advisor, keeping its queue place.
    Effects accept_offer(SessionId session, const std::string& conversation,
                         const std::string& ref);
    Effects decline_offer(SessionId session, const std::string& conversation,
                          const std::string& ref);

    Effects post_message(SessionId session, const std::string& conversation,
                         const std::string& message_id, const std::string& text);
    // The receiver confirms it has everything up to `seq` (kept for resume).
    Effects acknowledge(SessionId session, const std::string& conversation, std::uint64_t seq);
    Effects end_conversation(SessionId session, const std::string& conversation,
                             const std::string& ref);
    // A participant of an open conversation is typing (typing.cpp): passed on as Typing to the
    // other participants, at most once per policy.typing_interval per sender; no reply.
    Effects typing(SessionId session, const std::string& conversation);
    // Left on purpose (signed out, closed cleanly), so no grace period. An advisor's
    // conversations end and each client goes back to the head of its language's queue; a
    // client's conversation ends, or its request leaves the queue (an unserved visit).
    Effects signed_out(SessionId session);
    // The socket is gone without a goodbye. An advisor with conversations, or a client with a
    // resume token that waits, talks or has events it has not confirmed, is held for its grace
    // period (the others in the conversation hear "reconnecting"); anyone else is signed out.
    Effects disconnected(SessionId session);

    // ---- Advisors working together (colleagues.cpp, handovers.cpp) ----
    // Every other signed-in advisor, optionally only those speaking `language` or of `point`.
    Effects directory(SessionId session, const std::string& ref, const std::string& language = {},
                      const std::string& point = {});
    // A private thread with a colleague; `about` (or empty) is a conversation the sender is in.
    Effects open_consult(SessionId session, const std::string& ref, AdvisorId colleague,
                         const std::string& about = {});
    Effects post_consult_message(SessionId session, const std::string& consult,
                                 const std::string& message_id, const std::string& text);
    Effects close_consult(SessionId session, const std::string& consult, const std::string& ref);
    // Any advisor in the conversation may invite a colleague; the colleague accepts or declines
    // with accept_offer / decline_offer on the conversation's id.
    Effects invite(SessionId session, const std::string& conversation, AdvisorId colleague,
                   const std::string& note, const std::string& ref);
    // Only the lead transfers: to a colleague (who accepts or declines) or to a language's queue.
    Effects transfer_to_colleague(SessionId session, const std::string& conversation,
                                  AdvisorId colleague, const std::string& note,
                                  const std::string& ref);
    Effects transfer_to_queue(SessionId session, const std::string& conversation,
                              const std::string& language, const std::string& note,
                              const std::string& ref);
    // An advisor steps out while another advisor stays in the conversation.
    Effects leave(SessionId session, const std::string& conversation, const std::string& ref);

    // ---- The register row of an ended conversation (wrapups.cpp) ----
    // The lead advisor's wrap-up of a conversation that ended. Checked here; the row goes to the
    // store (RecordVisit) and the advisor hears WrapupDone only once the shell reports it stored.
    Effects save_wrapup(SessionId session, const std::string& conversation, const Wrapup& wrapup,
                        const std::string& ref);
    // The client (or clerk) rates its last conversation, once, 1-5.
    Effects rate(SessionId session, const std::string& conversation, int rating,
                 const std::string& ref);
    // The shell's report on a RecordVisit that carried a conversation id: committed or not.
    Effects visit_stored(const std::string& conversation, bool committed);

    // The server stops: every row still waiting for a wrap-up is written without it, since
    // nobody can write it once the advisors' sockets are closed. Open conversations and waiting
    // clients are left as they are, kept in the store for restore(). (A crash leaves the rows
    // kept too: restore() gives their advisors the chance to write them.)
    Effects shut_down();

    // ---- After a restart (open_work.cpp) ----
    // Before any connection: what the store kept of the last run comes back as if every socket
    // had just dropped. Clients wait for their resume within policy.client_grace, the advisors
    // leading their conversations or owing wrap-ups for their return within policy.advisor_grace;
    // lines are rebuilt in the order their clients joined. A conversation whose lead is not back
    // waits in its language's queue; a row whose advisor is not back is written without its
    // wrap-up. What cannot come back is forgotten (Forget* effects).
    Effects restore(OpenWork work);

    // ---- A clerk's customer joining from a kiosk (customers.cpp) ----
    // `code` comes from the shell's secure random source (the core has none); it replaces the
    // conversation's previous code. Only the clerk of a language-support conversation asks.
    Effects issue_customer_code(SessionId session, const std::string& conversation,
                                const std::string& code, const std::string& ref);
    // An anonymous client joins the conversation the code was made for (any letter case).
    Effects join_with_code(SessionId session, const std::string& code, const std::string& ref);

    // Time passes: expires offers, ends grace periods, shows alternatives to long waiters and
    // refreshes estimates. The shell calls it when next_deadline() is reached (and may call it
    // more often: it is idempotent for a given clock reading).
    Effects tick();
    std::optional<TimePoint> next_deadline() const;

    // ---- Read-only views (tests, health, metrics, supervisors) ----
    LiveView live_view() const;
    std::size_t queue_length(const std::string& language) const;
    std::size_t open_conversations() const;
    std::size_t advisors_signed_in() const;
    // Ended conversations whose register row still waits for a wrap-up (or for the store).
    std::size_t wrapups_due() const;
    // Conversations that began (an advisor accepted a new request) and that ended, since this
    // switchboard was made: the shell's metrics. Conversations restored after a restart began in
    // an earlier run, so they are not counted as begun again, but count when they end.
    std::uint64_t conversations_begun() const;
    std::uint64_t conversations_closed() const;

private:
    Effects answer_offer(SessionId session, const std::string& conversation, const std::string& ref,
                         bool accept);

    struct State;
    std::unique_ptr<State> state_;
};

} // namespace neuvo::core
