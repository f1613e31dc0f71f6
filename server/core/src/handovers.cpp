#include "switchboard_state.hpp"

#include <algorithm>

namespace neuvo::core {

namespace {

PendingHandover take(std::map<std::string, PendingHandover>& handovers,
                     std::set<std::pair<TimePoint, std::string>>& deadlines,
                     std::map<AdvisorId, SignedInAdvisor>& advisors,
                     const std::string& conversation) {
    auto it = handovers.find(conversation);
    PendingHandover handover = it->second;
    handovers.erase(it);
    deadlines.erase({handover.expires_at, conversation});
    if (auto receiver = advisors.find(handover.receiver); receiver != advisors.end()) {
        std::erase(receiver->second.handovers_received, conversation);
    }
    return handover;
}

} // namespace

void Switchboard::State::answer_handover(const std::string& conversation, bool accept,
                                         Effects& effects) {
    if (!accept) {
        refuse_handover(conversation, "declined", effects);
        return;
    }
    PendingHandover handover = take(handovers, handover_deadlines, advisors, conversation);
    Conversation& talk = conversations.at(conversation);
    SignedInAdvisor& receiver = advisors.at(handover.receiver);
    auto sender = advisors.find(handover.sender);
    std::optional<ColleagueRef> from;
    if (sender != advisors.end()) {
        from = colleague_ref(sender->second);
    }
    const bool sender_present = talk.seat_of(handover.sender) != nullptr;
    if (sender_present && sender->second.connected()) {
        effects.push_back(
            Deliver{sender->second.session, Handover{conversation, handover.ref, handover.kind,
                                                     "accepted", colleague_ref(receiver), ""}});
    }

    if (handover.kind == OfferKind::invitation) {
        ++talk.invited_advisors;
        join_conversation(talk, receiver, false, "invitation", from, handover.note, effects);
        return;
    }

    ++talk.transfers;
    talk.transfer_from_point = from ? from->point_id : talk.last_lead_point;
    talk.transfer_to_point = receiver.profile.point_id;
    if (talk.seat_of(receiver.profile.id) != nullptr) {
        // An invited colleague takes the lead: same seat, new role.
        talk.make_lead(receiver.profile.id);
        std::erase(receiver.guest_in, conversation);
        receiver.conversations.push_back(conversation);
        talk.last_lead_point = receiver.profile.point_id;
        tell_participants(
            talk,
            AdvisorJoined{conversation, talk.take_next_seq(), "lead", "transfer", badge(receiver)},
            0, effects);
        effects.push_back(Deliver{receiver.session, receiver.presence_state()});
    } else {
        // The sender's lead passes on, so the newcomer is the only lead from the first event.
        if (const Conversation::Seat* lead = talk.lead()) {
            talk.make_lead(0);
            SignedInAdvisor& old = advisors.at(lead->advisor);
            std::erase(old.conversations, conversation);
            old.guest_in.push_back(conversation);
        }
        join_conversation(talk, receiver, true, "transfer", from, handover.note, effects,
                          sender_present ? handover.sender : 0);
    }
    if (sender_present) {
        SignedInAdvisor& old = sender->second;
        const bool guest_now =
            std::find(old.guest_in.begin(), old.guest_in.end(), conversation) != old.guest_in.end();
        leave_conversation(talk, handover.sender, "transferred", false, effects);
        if (guest_now) {
            // It was this advisor's seat of capacity until now.
            old.idle_since = clock.now();
            fresh_advisors.insert(old.profile.id);
            if (old.connected()) {
                effects.push_back(Deliver{old.session, old.presence_state()});
            }
        }
    }
}

void Switchboard::State::refuse_handover(const std::string& conversation, const std::string& status,
                                         Effects& effects) {
    PendingHandover handover = take(handovers, handover_deadlines, advisors, conversation);
    auto receiver = advisors.find(handover.receiver);
    if (status != "withdrawn" && receiver != advisors.end() && receiver->second.connected()) {
        effects.push_back(Deliver{receiver->second.session, OfferWithdrawn{conversation, status}});
    }
    Conversation& talk = conversations.at(conversation);
    auto sender = advisors.find(handover.sender);
    if (talk.seat_of(handover.sender) != nullptr) {
        if (sender->second.connected()) {
            std::optional<ColleagueRef> colleague;
            if (receiver != advisors.end()) {
                colleague = colleague_ref(receiver->second);
            }
            effects.push_back(
                Deliver{sender->second.session, Handover{conversation, handover.ref, handover.kind,
                                                         status, std::move(colleague), ""}});
        }
        return;
    }
    // The sender has gone meanwhile: a transfer nobody took goes on to whoever can serve.
    rehome(talk, effects);
}

void Switchboard::State::withdraw_handovers_to(SignedInAdvisor& advisor, Effects& effects) {
    for (const std::string& conversation : std::vector<std::string>(advisor.handovers_received)) {
        refuse_handover(conversation, "withdrawn", effects);
    }
}

void Switchboard::State::cancel_handover_of(const std::string& conversation, Effects& effects,
                                            std::optional<SessionId> gone) {
    if (!handovers.contains(conversation)) {
        return;
    }
    PendingHandover handover = take(handovers, handover_deadlines, advisors, conversation);
    auto receiver = advisors.find(handover.receiver);
    if (receiver != advisors.end() && receiver->second.connected()) {
        effects.push_back(
            Deliver{receiver->second.session, OfferWithdrawn{conversation, "conversation_ended"}});
    }
    if (auto sender = advisors.find(handover.sender);
        sender != advisors.end() && sender->second.connected() && sender->second.session != gone) {
        std::optional<ColleagueRef> colleague;
        if (receiver != advisors.end()) {
            colleague = colleague_ref(receiver->second);
        }
        effects.push_back(
            Deliver{sender->second.session, Handover{conversation, handover.ref, handover.kind,
                                                     "withdrawn", std::move(colleague), ""}});
    }
}

void Switchboard::State::close_consults_of(SignedInAdvisor& advisor, Effects& effects) {
    for (const std::string& id : std::vector<std::string>(advisor.consults)) {
        auto it = consults.find(id);
        if (it == consults.end()) {
            continue;
        }
        AdvisorId other = it->second.other_than(advisor.profile.id);
        consults.erase(it);
        std::erase(advisor.consults, id);
        if (auto colleague = advisors.find(other); colleague != advisors.end()) {
            std::erase(colleague->second.consults, id);
            if (colleague->second.connected()) {
                effects.push_back(
                    Deliver{colleague->second.session, ConsultClosed{id, "colleague_left"}});
            }
        }
    }
}

} // namespace neuvo::core
