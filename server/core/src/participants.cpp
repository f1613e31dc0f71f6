#include "switchboard_state.hpp"

#include <algorithm>

namespace neuvo::core {

ColleagueRef Switchboard::State::colleague_ref(const SignedInAdvisor& advisor) const {
    return ColleagueRef{advisor.profile.id, advisor.profile.display_name, advisor.profile.point_id,
                        advisor.point ? advisor.point->name : std::string()};
}

AdvisorBadge Switchboard::State::badge(const SignedInAdvisor& advisor) const {
    return AdvisorBadge{advisor.profile.display_name, advisor.profile.point_id,
                        advisor.point ? advisor.point->name : std::string(),
                        advisor.profile.languages};
}

// An advisor in the reconnection grace period has no socket to tell; they learn what they
// missed from the conversation_started sent when they come back.
void Switchboard::State::tell_participants(Conversation& talk, const Outbound& event,
                                           SessionId except, Effects& effects) {
    keep_in_store(talk, event, effects);
    if (const std::optional<std::uint64_t> seq = event_seq(event); seq && !talk.seats().empty()) {
        talk.keep_for_advisors(*seq, event, policy.max_unconfirmed_events);
    }
    // The client side gets it even while its socket is gone: the shell has nobody to send it to
    // then, and a resume sends what was kept.
    if (talk.facts().client != except) {
        keep_for_resume(talk.facts().client, talk, event);
        effects.push_back(Deliver{talk.facts().client, event});
    }
    for (SessionId companion : talk.companions()) {
        if (companion != except) {
            keep_for_resume(companion, talk, event);
            effects.push_back(Deliver{companion, event});
        }
    }
    for (const Conversation::Seat& seat : talk.seats()) {
        if (seat.session != except && advisors.at(seat.advisor).connected()) {
            effects.push_back(Deliver{seat.session, event});
        }
    }
}

void Switchboard::State::join_conversation(Conversation& talk, SignedInAdvisor& advisor, bool lead,
                                           const std::string& via,
                                           const std::optional<ColleagueRef>& from,
                                           const std::string& note, Effects& effects,
                                           AdvisorId leaving) {
    const std::string& id = talk.facts().id;
    AdvisorJoined joined{id, talk.take_next_seq(), lead ? "lead" : "invited", via, badge(advisor)};
    tell_participants(talk, joined, advisor.session, effects);

    ConversationStarted started{id,
                                "",
                                talk.facts().language,
                                talk.facts().home,
                                talk.facts().tier,
                                advisor.profile.display_name,
                                advisor.profile.point_id,
                                advisor.point ? advisor.point->name : std::string(),
                                lead ? "lead" : "invited",
                                from,
                                note,
                                {},
                                talk.facts().channel,
                                talk.facts().organisation};
    for (const Conversation::Seat& seat : talk.seats()) {
        if (seat.advisor != leaving) {
            started.participants.push_back(badge(advisors.at(seat.advisor)));
        }
    }
    talk.add_advisor(advisor.profile.id, advisor.session, lead);
    if (lead) {
        advisor.conversations.push_back(id);
        talk.last_lead_point = advisor.profile.point_id;
    } else {
        advisor.guest_in.push_back(id);
    }
    effects.push_back(Deliver{advisor.session, std::move(started)});
    if (lead) {
        effects.push_back(Deliver{advisor.session, advisor.presence_state()});
    }
}

void Switchboard::State::leave_conversation(Conversation& talk, AdvisorId id,
                                            const std::string& reason, bool reassign,
                                            Effects& effects) {
    const Conversation::Seat* seat = talk.seat_of(id);
    if (seat == nullptr) {
        return;
    }
    const bool was_lead = seat->lead;
    const SessionId session = seat->session;
    SignedInAdvisor& advisor = advisors.at(id);
    talk.remove_advisor(id);
    const std::string& conversation = talk.facts().id;
    if (was_lead) {
        std::erase(advisor.conversations, conversation);
        advisor.idle_since = clock.now();
        fresh_advisors.insert(id);
    } else {
        std::erase(advisor.guest_in, conversation);
    }
    if (reason != "disconnected" && advisor.connected()) {
        effects.push_back(Deliver{session, ConversationLeft{conversation, reason}});
        if (was_lead) {
            effects.push_back(Deliver{session, advisor.presence_state()});
        }
    }
    tell_participants(talk, AdvisorLeft{conversation, talk.take_next_seq(), reason, badge(advisor)},
                      0, effects);
    if (was_lead && reassign) {
        promote_first_guest(talk, effects);
    }
}

void Switchboard::State::promote_first_guest(Conversation& talk, Effects& effects) {
    if (talk.seats().empty() || talk.lead() != nullptr) {
        return;
    }
    const Conversation::Seat first = talk.seats().front();
    SignedInAdvisor& advisor = advisors.at(first.advisor);
    talk.make_lead(first.advisor);
    std::erase(advisor.guest_in, talk.facts().id);
    advisor.conversations.push_back(talk.facts().id);
    talk.last_lead_point = advisor.profile.point_id;
    tell_participants(talk,
                      AdvisorJoined{talk.facts().id, talk.take_next_seq(), "lead", "reassignment",
                                    badge(advisor)},
                      0, effects);
    if (advisor.connected()) {
        effects.push_back(Deliver{advisor.session, advisor.presence_state()});
    }
}

void Switchboard::State::send_to_queue(Conversation& talk, const std::string& language,
                                       std::optional<ColleagueRef> from, std::string note) {
    talk.switch_language(language);
    Request request;
    request.id = talk.facts().request_id;
    request.language = language;
    request.home = talk.facts().home;
    request.at = clock.now();
    request.transfer_of = talk.facts().id;
    request.transfer_from = std::move(from);
    request.transfer_note = std::move(note);
    const SessionId client = talk.facts().client;
    enter_line(client, std::move(request), true);
    if (!speakers.contains(language)) {
        alternatives_due.push_back(Deliver{client, alternatives_for(client, "nobody_signed_in")});
    }
}

void Switchboard::State::rehome(Conversation& talk, Effects& effects) {
    if (talk.lead() != nullptr) {
        return;
    }
    if (!talk.seats().empty()) {
        promote_first_guest(talk, effects);
        return;
    }
    send_to_queue(talk, talk.facts().language, std::nullopt, "");
}

} // namespace neuvo::core
