#pragma once

#include "consult_thread.hpp"
#include "conversation.hpp"
#include "send_rate.hpp"
#include "signed_in_advisor.hpp"
#include "tier_table.hpp"
#include "unconfirmed_events.hpp"
#include "wait_estimate.hpp"
#include "waiting_room.hpp"

#include "neuvo/core/switchboard.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace neuvo::core {

// A client's request while it waits, offered or not.
struct Request {
    std::string id;
    std::string language;
    std::string home; // a municipality code, "other", "abroad" or "unknown"
    TimePoint at;     // when it joined the line (again, after an advisor was lost)
    WaitingRoom::Ticket ticket = 0;
    std::string offer; // the pending offer's conversation id; empty when none
    // Advisors who declined or missed this request, and until when they are not offered it again.
    std::map<AdvisorId, TimePoint> passed_over;

    bool passed_over_by(AdvisorId advisor, TimePoint now) const {
        auto it = passed_over.find(advisor);
        return it != passed_over.end() && it->second > now;
    }
    bool long_wait_shown = false;
    std::optional<Queued> told; // the last Queued the client got
    TimePoint told_at;          // when
    // When news held back by Policy::queue_news_interval is due; nothing when none is.
    std::optional<TimePoint> news_due;
    // Set when the request is an open conversation sent to a queue by its lead: accepting the
    // offer joins that conversation instead of starting one. The receiver sees who sent it, and
    // the note.
    std::string transfer_of;
    std::optional<ColleagueRef> transfer_from;
    std::string transfer_note;
};

// The conversation's number of an event, when it has one (client_resume.cpp).
std::optional<std::uint64_t> event_seq(const Outbound& event);

struct ClientSession {
    Requester requester;
    std::string resume_token;            // empty: this session ends with its socket
    std::optional<TimePoint> away_until; // set while the socket is gone and a resume may come
    // What the client has not confirmed of `unconfirmed_of`, oldest first: the content a resume
    // needs, and nothing more. Gone with the next conversation, or with the session.
    std::string unconfirmed_of;
    UnconfirmedEvents unconfirmed;
    std::optional<Request> waiting;       // set while the client stands in a line
    std::string conversation;             // set while the client talks with an advisor
    std::vector<std::string> also_speaks; // of the latest request, known languages only
    std::string rateable; // the conversation that ended last, until the client rates it
    // What the store has of this session, when it has it. On the heap: an idle client has none,
    // and the struct is most of what the core holds per connection.
    std::unique_ptr<OpenClient> kept;
    SendRate send_rate; // moves with the session when it resumes on another socket
};

struct PendingOffer {
    SessionId client = 0;
    AdvisorId advisor = 0;
    Tier tier = Tier::national;
    TimePoint expires_at;
};

// An invitation or a transfer offered to a named colleague, keyed by the conversation's id.
struct PendingHandover {
    OfferKind kind = OfferKind::invitation;
    AdvisorId sender = 0;
    std::string ref; // the sender's message id, quoted in its Handover news
    AdvisorId receiver = 0;
    std::string note;
    TimePoint expires_at;
};

// A served conversation's register row, waiting for the lead advisor's wrap-up.
struct PendingWrapup {
    VisitRecord record; // every system field already filled in
    AdvisorId advisor = 0;
    TimePoint due;
    bool saving = false; // sent to the store, its answer not back yet
    std::string ref;     // of the wrap-up message being saved
};

struct AdvisorMatch {
    AdvisorId advisor = 0;
    Tier tier = Tier::national;
};

struct Switchboard::State {
    State(ServiceNetwork network_, Policy policy_, const Clock& clock_, std::string prefix)
        : network(std::move(network_)), policy(policy_), clock(clock_),
          conversation_prefix(std::move(prefix)), tiers(network),
          join_attempts(policy.join_code_throttle, clock) {}

    ServiceNetwork network;
    Policy policy;
    const Clock& clock;
    std::string conversation_prefix;
    TierTable tiers;
    std::uint64_t conversations_started = 0; // ids are handed out at offer time
    // Wrong join codes by network address (customers.cpp).
    AttemptThrottle join_attempts;

    std::map<SessionId, ClientSession> clients;
    std::map<AdvisorId, SignedInAdvisor> advisors;   // also those reconnecting
    std::map<SessionId, AdvisorId> advisor_sessions; // connected sockets only
    // Advisors who follow their point's schedule, kept apart so that next_deadline, asked after
    // every event, and tick need not read every signed-in advisor.
    std::set<AdvisorId> schedule_followers;
    // Signed-in advisors by language, pointing into `advisors` (whose nodes never move): routing
    // reads every speaker of a language, and a lookup per advisor would dominate it. The staffing
    // sums are kept with it, since every Queued needs them.
    std::map<std::string, std::vector<SignedInAdvisor*>> speakers;
    std::map<std::string, Staffing> staffing_by_language;
    WaitingRoom waiting;
    std::map<std::string, Conversation> conversations;
    std::map<std::string, PendingOffer> offers;
    std::map<std::string, ServiceHistory> history;      // by language
    std::map<std::string, std::int64_t> unmet_requests; // by language
    std::map<std::string, PendingHandover> handovers;   // by conversation id
    std::map<std::string, ConsultThread> consults;
    std::map<std::string, PendingWrapup> wrapups; // by conversation id
    std::uint64_t consults_opened = 0;
    // Since start, for the shell's metrics (Switchboard::conversations_begun and _closed).
    std::uint64_t conversations_begun = 0;
    std::uint64_t conversations_closed = 0;

    // Deadlines, earliest first, so that tick and next_deadline never scan everything.
    std::set<std::pair<TimePoint, std::string>> offer_deadlines;
    std::set<std::pair<TimePoint, AdvisorId>> grace_deadlines;
    std::set<std::pair<TimePoint, SessionId>> client_grace_deadlines;
    std::map<std::string, SessionId> resume_tokens;
    std::set<std::pair<TimePoint, SessionId>> long_wait_deadlines;
    std::set<std::pair<TimePoint, SessionId>> queue_news_deadlines; // Request::news_due
    std::set<std::pair<TimePoint, std::string>> handover_deadlines;
    std::set<std::pair<TimePoint, std::string>> wrapup_deadlines;
    // Clerks' codes for their customers: code -> (conversation, until when).
    std::map<std::string, std::pair<std::string, TimePoint>> customer_codes;
    std::set<std::pair<TimePoint, std::string>> code_deadlines;
    // When a passed-over advisor may be offered a still-waiting client again.
    std::set<std::pair<TimePoint, SessionId>> reoffer_deadlines;

    // Whose open work may have changed during this event (open_work.cpp).
    std::set<SessionId> touched_clients;
    std::set<AdvisorId> touched_advisors;

    // Work collected during one event and done at its end by finish().
    std::set<AdvisorId> fresh_advisors;    // may now take a client they could not take before
    std::set<SessionId> fresh_clients;     // may now be offered to an advisor
    std::set<std::string> restaffed;       // languages whose staffing or history changed
    std::set<std::string> news_due;        // languages with queue news held back until now
    std::vector<Deliver> alternatives_due; // sent after the Queued updates

    // ---- Lookups (switchboard_state.cpp) ----
    Conversation* conversation_of(SessionId session, const std::string& id);
    SignedInAdvisor* advisor_on(SessionId session);
    Request& request_of(SessionId client) { return *clients.at(client).waiting; }
    std::int64_t local_week_second() const;
    Staffing staffing(const std::string& language) const;
    std::optional<std::int64_t> estimate(const std::string& language, int position) const;

    // Why a chat or consult message's text cannot be sent, if it cannot: blank or too long.
    std::optional<ErrorReply> text_problem(const std::string& text) const;
    // The message budget of the client or advisor on `session`; nullptr for neither.
    SendRate* send_rate_of(SessionId session);
    // Takes a token from the sender's budget; the refusal to send when there is none.
    std::optional<ErrorReply> over_rate(SessionId session, const std::string& message_id);

    // ---- Bookkeeping (switchboard_state.cpp) ----
    void enter_line(SessionId client, Request request, bool at_head);
    void leave_line(SessionId client);
    // The request ends without a conversation: withdraws its offer, records the unserved visit.
    void give_up_request(SessionId client, const std::string& ended_by, Effects& effects);
    void accept(const std::string& offer_id, Effects& effects);
    // `gone` is a participant whose socket is already closed: it is told nothing.
    void close_conversation(std::string id, const std::string& reason,
                            std::optional<SessionId> gone, Effects& effects);
    void drop_client(SessionId client, Effects& effects);

    // ---- A client's dropped connection and its resume (client_resume.cpp) ----
    // Whether the client has anything a resume would continue.
    bool worth_holding(const ClientSession& session) const;
    void hold_client(SessionId client, Effects& effects);
    // Keeps a numbered event delivered to a client of `talk` for its resume.
    void keep_for_resume(SessionId client, const Conversation& talk, const Outbound& event);
    void confirm_events(ClientSession& session, std::uint64_t seq);
    void add_speaker(SignedInAdvisor& advisor);
    void remove_speaker(const SignedInAdvisor& advisor);
    void change_capacity(SignedInAdvisor& advisor, int capacity);
    void set_follow_schedule(SignedInAdvisor& advisor, bool follow);
    void sign_out(AdvisorId advisor, Effects& effects);
    void lose_connection(SessionId session, Effects& effects);
    void end_grace(AdvisorId advisor, Effects& effects);

    // ---- Open work kept in the store across restarts (open_work.cpp) ----
    OpenClient open_client(SessionId id, const ClientSession& session) const;
    // KeepClient / ForgetClient for every touched client whose open work changed, KeepAdvisor
    // for every touched advisor's presence. Called at the end of every event that changes them.
    void keep_open_work(Effects& effects);
    // The session is gone: the store forgets it too.
    void forget_client(ClientSession& session, Effects& effects);
    // A numbered event of a conversation whose client may resume it after a restart.
    void keep_in_store(const Conversation& talk, const Outbound& event, Effects& effects);

    // ---- Register rows of ended conversations (wrapups.cpp) ----
    // The row waits for `lead`'s wrap-up; the lead is told WrapupDue unless its socket is `gone`.
    void hold_for_wrapup(VisitRecord record, AdvisorId lead, std::optional<SessionId> gone,
                         Effects& effects);
    // The row is written as it is, wrap-up "missing"; the advisor is told when still connected.
    void record_without_wrapup(const std::string& conversation, Effects& effects);
    void record_wrapups_of(SignedInAdvisor& advisor, Effects& effects);
    WrapupDue wrapup_due(const std::string& conversation) const;

    // ---- Who is in a conversation (participants.cpp) ----
    ColleagueRef colleague_ref(const SignedInAdvisor& advisor) const;
    AdvisorBadge badge(const SignedInAdvisor& advisor) const;
    // `event` to every participant whose socket is there, except `except`.
    // A numbered event is also kept for the advisors' resume (Conversation::keep_for_advisors).
    void tell_participants(Conversation& talk, const Outbound& event, SessionId except,
                           Effects& effects);
    // `leaving`: an advisor about to step out (the sender of a transfer), not listed to the
    // newcomer as a participant.
    void join_conversation(Conversation& talk, SignedInAdvisor& advisor, bool lead,
                           const std::string& via, const std::optional<ColleagueRef>& from,
                           const std::string& note, Effects& effects, AdvisorId leaving = 0);
    // Takes the advisor out. `reason`: "left", "transferred" or "disconnected" (then the advisor
    // is told nothing). A lead's place goes to the invited advisor who came first, unless
    // `reassign` is false.
    void leave_conversation(Conversation& talk, AdvisorId advisor, const std::string& reason,
                            bool reassign, Effects& effects);
    void promote_first_guest(Conversation& talk, Effects& effects);
    // The conversation goes to the head of `language`'s queue, keeping its id and participants.
    void send_to_queue(Conversation& talk, const std::string& language,
                       std::optional<ColleagueRef> from, std::string note);
    // A conversation without a lead and nobody to take it: to the queue of its own language.
    void rehome(Conversation& talk, Effects& effects);

    // ---- A clerk's customer (customers.cpp) ----
    void void_customer_code(Conversation& talk);
    // Returns the seq of the CustomerLeft the others were told.
    std::uint64_t remove_companion(Conversation& talk, SessionId companion, Effects& effects);

    // ---- Invitations and transfers to a colleague (colleagues.cpp, handovers.cpp) ----
    std::optional<ErrorReply> check_handover(SessionId session, const std::string& conversation,
                                             const std::string& note, bool need_lead);
    void offer_handover(Conversation& talk, SignedInAdvisor& sender, SignedInAdvisor& receiver,
                        OfferKind kind, const std::string& note, const std::string& ref,
                        Effects& effects);
    void answer_handover(const std::string& conversation, bool accept, Effects& effects);
    // Declined, timed out, or the receiver gone ("withdrawn"): back to the sender, or on.
    void refuse_handover(const std::string& conversation, const std::string& status,
                         Effects& effects);
    void withdraw_handovers_to(SignedInAdvisor& advisor, Effects& effects);
    // The conversation ends: the receiver's offer is withdrawn and the sender told, unless the
    // sender's socket is `gone`.
    void cancel_handover_of(const std::string& conversation, Effects& effects,
                            std::optional<SessionId> gone = std::nullopt);
    void close_consults_of(SignedInAdvisor& advisor, Effects& effects);

    // ---- Offers (offers.cpp) ----
    void make_offer(SessionId client, AdvisorMatch match, Effects& effects);
    // Silently: the caller tells the advisor, unless the advisor's socket is gone. A "declined"
    // or "timeout" reason keeps the advisor from being offered this request again.
    SignedInAdvisor& withdraw_offer(std::string id, const std::string& reason);
    // OfferWithdrawn and the freed capacity to the advisor.
    // The id is taken by value because callers may pass the request's own copy, which this clears.
    void tell_withdrawn(std::string id, const std::string& reason, Effects& effects);
    void expire_offer(const std::string& id, Effects& effects);

    // ---- Who serves whom (advisor_choice.cpp) ----
    bool schedule_allows(const SignedInAdvisor& advisor, const std::string& language,
                         std::int64_t week_second) const;
    std::optional<Tier> eligible_tier(const SignedInAdvisor& advisor, const Request& request,
                                      std::int64_t week_second) const;
    std::optional<AdvisorMatch> choose_advisor(const Request& request,
                                               std::int64_t week_second) const;
    // The longest-waiting client this advisor may be offered now: (ticket, client).
    std::optional<std::pair<WaitingRoom::Ticket, SessionId>>
    first_eligible_client(const SignedInAdvisor& advisor, std::int64_t week_second) const;
    void route(Effects& effects);

    // ---- What waiting clients are told (queue_news.cpp) ----
    void announce_queue(Effects& effects);
    Alternatives alternatives_for(SessionId client, const std::string& reason) const;
    std::optional<NextStaffed> next_staffed(const std::string& language) const;

    // Every event ends here: offers to whoever can be served, then the queue news.
    void finish(Effects& effects);
};

} // namespace neuvo::core
