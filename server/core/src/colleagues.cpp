// Advisors working together: the directory, private consult threads, invitations, transfers and
// stepping out of a conversation. Each is an event like any other: checked, then effects out.
#include "neuvo/core/switchboard.hpp"

#include "error_reply.hpp"
#include "switchboard_state.hpp"

#include <algorithm>
#include <tuple>

namespace neuvo::core {

Effects Switchboard::directory(SessionId session, const std::string& ref,
                               const std::string& language, const std::string& point) {
    State& s = *state_;
    SignedInAdvisor* self = s.advisor_on(session);
    if (self == nullptr) {
        return error_reply(session, "not_allowed", "only advisors see the directory", ref);
    }
    Directory answer;
    answer.ref = ref;
    for (const auto& [id, advisor] : s.advisors) {
        if (id == self->profile.id || (!language.empty() && !advisor.speaks(language)) ||
            (!point.empty() && advisor.profile.point_id != point)) {
            continue;
        }
        answer.advisors.push_back(
            DirectoryEntry{s.colleague_ref(advisor), advisor.profile.languages, advisor.status,
                           advisor.active(), advisor.capacity, advisor.connected()});
    }
    std::sort(answer.advisors.begin(), answer.advisors.end(),
              [](const DirectoryEntry& a, const DirectoryEntry& b) {
                  return std::tie(a.colleague.point_id, a.colleague.name, a.colleague.id) <
                         std::tie(b.colleague.point_id, b.colleague.name, b.colleague.id);
              });
    return Effects{Deliver{session, std::move(answer)}};
}

Effects Switchboard::open_consult(SessionId session, const std::string& ref, AdvisorId colleague,
                                  const std::string& about) {
    State& s = *state_;
    SignedInAdvisor* self = s.advisor_on(session);
    if (self == nullptr) {
        return error_reply(session, "not_allowed", "only advisors consult colleagues", ref);
    }
    if (colleague == self->profile.id) {
        return error_reply(session, "invalid_field",
                           "field \"colleague\" names the sender; consult someone else", ref);
    }
    auto other = s.advisors.find(colleague);
    if (other == s.advisors.end() || !other->second.connected()) {
        return error_reply(session, "unknown_colleague", "the colleague is not signed in", ref);
    }
    std::optional<ConsultSubject> subject;
    if (!about.empty()) {
        const Conversation* talk = s.conversation_of(session, about);
        if (talk == nullptr) {
            return error_reply(session, "not_in_conversation",
                               "no such conversation for this session", ref);
        }
        subject = ConsultSubject{about, talk->facts().language, talk->facts().home};
    }
    std::string id = s.conversation_prefix + "q" + std::to_string(++s.consults_opened);
    s.consults.emplace(id, ConsultThread(id, self->profile.id, colleague, subject));
    self->consults.push_back(id);
    other->second.consults.push_back(id);
    return Effects{
        Deliver{session, ConsultOpened{id, ref, s.colleague_ref(other->second), subject}},
        Deliver{other->second.session, ConsultOpened{id, "", s.colleague_ref(*self), subject}}};
}

Effects Switchboard::post_consult_message(SessionId session, const std::string& consult,
                                          const std::string& message_id, const std::string& text) {
    State& s = *state_;
    SignedInAdvisor* self = s.advisor_on(session);
    if (self == nullptr) {
        return error_reply(session, "not_allowed", "only advisors consult colleagues", message_id);
    }
    auto thread = s.consults.find(consult);
    if (thread == s.consults.end() || !thread->second.has(self->profile.id)) {
        return error_reply(session, "not_in_consult", "no such consult thread for this advisor",
                           message_id);
    }
    const SignedInAdvisor& other = s.advisors.at(thread->second.other_than(self->profile.id));
    if (!other.connected()) {
        return error_reply(session, "advisor_unavailable",
                           "the colleague's connection is being restored; send it again later",
                           message_id);
    }
    if (auto problem = s.text_problem(text)) {
        problem->ref = message_id;
        return Effects{Deliver{session, std::move(*problem)}};
    }
    if (auto seen = thread->second.seq_of(self->profile.id, message_id)) {
        return Effects{Deliver{session, MessageAccepted{message_id, consult, *seen, true, true}}};
    }
    if (auto refusal = s.over_rate(session, message_id)) {
        return Effects{Deliver{session, std::move(*refusal)}};
    }
    std::uint64_t seq = thread->second.take_next_seq();
    thread->second.remember(self->profile.id, message_id, seq);
    return Effects{
        Deliver{other.session, ConsultMessage{consult, seq, message_id, self->profile.display_name,
                                              text, s.clock.now()}},
        Deliver{session, MessageAccepted{message_id, consult, seq, false, true}}};
}

Effects Switchboard::close_consult(SessionId session, const std::string& consult,
                                   const std::string& ref) {
    State& s = *state_;
    SignedInAdvisor* self = s.advisor_on(session);
    if (self == nullptr) {
        return error_reply(session, "not_allowed", "only advisors consult colleagues", ref);
    }
    auto thread = s.consults.find(consult);
    if (thread == s.consults.end() || !thread->second.has(self->profile.id)) {
        return error_reply(session, "not_in_consult", "no such consult thread for this advisor",
                           ref);
    }
    SignedInAdvisor& other = s.advisors.at(thread->second.other_than(self->profile.id));
    s.consults.erase(thread);
    std::erase(self->consults, consult);
    std::erase(other.consults, consult);
    Effects effects{Deliver{session, ConsultClosed{consult, "closed"}}};
    if (other.connected()) {
        effects.push_back(Deliver{other.session, ConsultClosed{consult, "closed"}});
    }
    return effects;
}

std::optional<ErrorReply> Switchboard::State::check_handover(SessionId session,
                                                             const std::string& conversation,
                                                             const std::string& note,
                                                             bool need_lead) {
    if (advisor_on(session) == nullptr) {
        return ErrorReply{"not_allowed",
                          "only advisors invite colleagues or transfer conversations", ""};
    }
    const Conversation* talk = conversation_of(session, conversation);
    const Conversation::Seat* seat = talk ? talk->seat_on(session) : nullptr;
    if (seat == nullptr) {
        return ErrorReply{"not_in_conversation", "no such conversation for this session", ""};
    }
    if (need_lead && !seat->lead) {
        return ErrorReply{"not_lead", "only the conversation's lead advisor may transfer it", ""};
    }
    // A conversation on its way through a queue is pending as well.
    if (handovers.contains(conversation) || clients.at(talk->facts().client).waiting) {
        return ErrorReply{"handover_pending",
                          "an invitation or transfer of this conversation is waiting for an answer",
                          ""};
    }
    if (note.size() > policy.max_note_bytes) {
        return ErrorReply{"invalid_field",
                          "field \"note\" is longer than " + std::to_string(policy.max_note_bytes) +
                              " bytes",
                          ""};
    }
    return std::nullopt;
}

void Switchboard::State::offer_handover(Conversation& talk, SignedInAdvisor& sender,
                                        SignedInAdvisor& receiver, OfferKind kind,
                                        const std::string& note, const std::string& ref,
                                        Effects& effects) {
    const std::string& id = talk.facts().id;
    const TimePoint expires_at = clock.now() + policy.handover_timeout;
    handovers.emplace(
        id, PendingHandover{kind, sender.profile.id, ref, receiver.profile.id, note, expires_at});
    handover_deadlines.emplace(expires_at, id);
    receiver.handovers_received.push_back(id);
    const Tier tier =
        receiver.point
            ? tiers.tier(receiver.point_index, talk.facts().home).value_or(Tier::national)
            : Tier::national;
    effects.push_back(
        Deliver{receiver.session, Offer{id, talk.facts().language, talk.facts().home, tier,
                                        expires_at, kind, false, colleague_ref(sender), note,
                                        talk.facts().channel, talk.facts().organisation}});
    effects.push_back(
        Deliver{sender.session, Handover{id, ref, kind, "pending", colleague_ref(receiver), ""}});
}

// The colleague to hand over to: signed in, connected, and not the sender.
static std::optional<ErrorReply> colleague_problem(const std::map<AdvisorId, SignedInAdvisor>& all,
                                                   AdvisorId self, AdvisorId colleague) {
    if (colleague == self) {
        return ErrorReply{"invalid_field", "field \"colleague\" names the sender", ""};
    }
    auto it = all.find(colleague);
    if (it == all.end() || !it->second.connected()) {
        return ErrorReply{"unknown_colleague", "the colleague is not signed in", ""};
    }
    return std::nullopt;
}

static Effects refusal(SessionId to, ErrorReply error, const std::string& ref) {
    error.ref = ref;
    return Effects{Deliver{to, std::move(error)}};
}

Effects Switchboard::invite(SessionId session, const std::string& conversation, AdvisorId colleague,
                            const std::string& note, const std::string& ref) {
    State& s = *state_;
    if (auto problem = s.check_handover(session, conversation, note, false)) {
        return refusal(session, std::move(*problem), ref);
    }
    SignedInAdvisor& self = *s.advisor_on(session);
    if (auto problem = colleague_problem(s.advisors, self.profile.id, colleague)) {
        return refusal(session, std::move(*problem), ref);
    }
    Conversation& talk = s.conversations.at(conversation);
    if (talk.seat_of(colleague) != nullptr) {
        return error_reply(session, "already_in_conversation",
                           "the colleague is already in the conversation", ref);
    }
    Effects effects;
    s.offer_handover(talk, self, s.advisors.at(colleague), OfferKind::invitation, note, ref,
                     effects);
    s.finish(effects);
    return effects;
}

Effects Switchboard::transfer_to_colleague(SessionId session, const std::string& conversation,
                                           AdvisorId colleague, const std::string& note,
                                           const std::string& ref) {
    State& s = *state_;
    if (auto problem = s.check_handover(session, conversation, note, true)) {
        return refusal(session, std::move(*problem), ref);
    }
    SignedInAdvisor& self = *s.advisor_on(session);
    if (auto problem = colleague_problem(s.advisors, self.profile.id, colleague)) {
        return refusal(session, std::move(*problem), ref);
    }
    Effects effects;
    s.offer_handover(s.conversations.at(conversation), self, s.advisors.at(colleague),
                     OfferKind::transfer, note, ref, effects);
    s.finish(effects);
    return effects;
}

Effects Switchboard::transfer_to_queue(SessionId session, const std::string& conversation,
                                       const std::string& language, const std::string& note,
                                       const std::string& ref) {
    State& s = *state_;
    if (auto problem = s.check_handover(session, conversation, note, true)) {
        return refusal(session, std::move(*problem), ref);
    }
    if (s.network.find_language(language) == nullptr) {
        return error_reply(session, "unknown_language",
                           "the language is not served by this network", ref);
    }
    SignedInAdvisor& self = *s.advisor_on(session);
    Conversation& talk = s.conversations.at(conversation);
    ++talk.transfers;
    talk.transfer_from_point = self.profile.point_id;
    talk.transfer_to_point.clear();
    Effects effects;
    effects.push_back(Deliver{session, Handover{conversation, ref, OfferKind::transfer, "queued",
                                                std::nullopt, language}});
    // The invited advisors stay: the client is not left alone while the queue moves.
    s.leave_conversation(talk, self.profile.id, "transferred", false, effects);
    s.send_to_queue(talk, language, s.colleague_ref(self), note);
    s.finish(effects);
    return effects;
}

Effects Switchboard::leave(SessionId session, const std::string& conversation,
                           const std::string& ref) {
    State& s = *state_;
    SignedInAdvisor* self = s.advisor_on(session);
    if (self == nullptr) {
        return error_reply(session, "not_allowed", "only advisors leave conversations", ref);
    }
    Conversation* talk = s.conversation_of(session, conversation);
    if (talk == nullptr || talk->seat_on(session) == nullptr) {
        return error_reply(session, "not_in_conversation", "no such conversation for this session",
                           ref);
    }
    if (talk->seats().size() < 2) {
        return error_reply(session, "only_advisor",
                           "the only advisor of a conversation ends it rather than leaving", ref);
    }
    Effects effects;
    // A lead who leaves while a transfer waits for its answer takes the transfer back.
    if (auto handover = s.handovers.find(conversation);
        handover != s.handovers.end() && handover->second.sender == self->profile.id) {
        s.cancel_handover_of(conversation, effects);
    }
    s.leave_conversation(*talk, self->profile.id, "left", true, effects);
    s.finish(effects);
    return effects;
}

} // namespace neuvo::core
