// The last step of a served conversation: its register row waits for the lead advisor's
// wrap-up, and the client may rate the conversation, before or after the row is written.
#include "error_reply.hpp"
#include "switchboard_state.hpp"

#include <algorithm>

namespace neuvo::core {

WrapupDue Switchboard::State::wrapup_due(const std::string& conversation) const {
    const PendingWrapup& pending = wrapups.at(conversation);
    return WrapupDue{conversation, pending.record.language, pending.record.home_municipality,
                     pending.record.channel, pending.due};
}

void Switchboard::State::hold_for_wrapup(VisitRecord record, AdvisorId lead,
                                         std::optional<SessionId> gone, Effects& effects) {
    const std::string id = record.conversation;
    const TimePoint due = clock.now() + policy.wrapup_timeout;
    effects.push_back(KeepVisit{OpenVisit{record, lead, due}});
    wrapups.emplace(id, PendingWrapup{std::move(record), lead, due, false, ""});
    wrapup_deadlines.emplace(due, id);
    SignedInAdvisor& advisor = advisors.at(lead);
    advisor.wrapups.push_back(id);
    if (advisor.connected() && advisor.session != gone) {
        effects.push_back(Deliver{advisor.session, wrapup_due(id)});
    }
}

void Switchboard::State::record_without_wrapup(const std::string& conversation, Effects& effects) {
    auto it = wrapups.find(conversation);
    PendingWrapup pending = std::move(it->second);
    wrapups.erase(it);
    wrapup_deadlines.erase({pending.due, conversation});
    if (auto advisor = advisors.find(pending.advisor); advisor != advisors.end()) {
        std::erase(advisor->second.wrapups, conversation);
    }
    // The pending record never holds the advisor's answers (a save sends a copy), so its
    // wrap-up fields are all "unknown" already.
    pending.record.wrapup_state = "missing";
    effects.push_back(RecordVisit{std::move(pending.record)});
}

void Switchboard::State::record_wrapups_of(SignedInAdvisor& advisor, Effects& effects) {
    for (const std::string& conversation : std::vector<std::string>(advisor.wrapups)) {
        // One being saved is in the store's hands; its answer finds no advisor and is dropped.
        if (wrapups.at(conversation).saving) {
            continue;
        }
        record_without_wrapup(conversation, effects);
    }
    advisor.wrapups.clear();
}

Effects Switchboard::save_wrapup(SessionId session, const std::string& conversation,
                                 const Wrapup& wrapup, const std::string& ref) {
    State& s = *state_;
    const SignedInAdvisor* advisor = s.advisor_on(session);
    if (advisor == nullptr) {
        return error_reply(session, "not_allowed", "only advisors write wrap-ups", ref);
    }
    auto it = s.wrapups.find(conversation);
    if (it == s.wrapups.end() || it->second.advisor != advisor->profile.id) {
        return error_reply(session, "not_in_conversation",
                           "no wrap-up of this conversation is due from this advisor", ref);
    }
    PendingWrapup& pending = it->second;
    if (pending.saving) {
        return error_reply(session, "wrapup_saving",
                           "this wrap-up is already being saved; wait for \"wrapup_done\"", ref);
    }
    if (std::string problem = wrapup_problem(wrapup); !problem.empty()) {
        return error_reply(session, "invalid_field", problem, ref);
    }
    pending.saving = true;
    pending.ref = ref;
    // Saving stops the clock: a slow disk must not turn a saved wrap-up into a missing one.
    s.wrapup_deadlines.erase({pending.due, conversation});
    VisitRecord record = pending.record;
    record.wrapup_state = "saved";
    record.wrapup = wrapup;
    return Effects{RecordVisit{std::move(record)}};
}

Effects Switchboard::visit_stored(const std::string& conversation, bool committed) {
    State& s = *state_;
    auto it = s.wrapups.find(conversation);
    if (it == s.wrapups.end() || !it->second.saving) {
        return {};
    }
    PendingWrapup& pending = it->second;
    Effects effects;
    auto advisor = s.advisors.find(pending.advisor);
    const bool can_tell = advisor != s.advisors.end() && advisor->second.connected();
    if (!committed && advisor == s.advisors.end()) {
        // The advisor has gone meanwhile: nobody can send it again, so the row goes without it.
        pending.saving = false;
        s.record_without_wrapup(conversation, effects);
        return effects;
    }
    if (!committed) {
        // Still due: the advisor may try again, and the clock runs again.
        pending.saving = false;
        s.wrapup_deadlines.emplace(pending.due, conversation);
        if (can_tell) {
            effects.push_back(
                Deliver{advisor->second.session,
                        ErrorReply{"not_saved", "the wrap-up could not be saved; send it again",
                                   pending.ref}});
        }
        return effects;
    }
    if (can_tell) {
        effects.push_back(
            Deliver{advisor->second.session, WrapupDone{conversation, "saved", pending.ref}});
    }
    if (advisor != s.advisors.end()) {
        std::erase(advisor->second.wrapups, conversation);
    }
    s.wrapups.erase(it);
    return effects;
}

Effects Switchboard::shut_down() {
    State& s = *state_;
    Effects effects;
    std::vector<std::string> due;
    for (const auto& [conversation, pending] : s.wrapups) {
        if (!pending.saving) {
            due.push_back(conversation);
        }
    }
    for (const std::string& conversation : due) {
        s.record_without_wrapup(conversation, effects);
    }
    return effects;
}

Effects Switchboard::rate(SessionId session, const std::string& conversation, int rating,
                          const std::string& ref) {
    State& s = *state_;
    auto client = s.clients.find(session);
    if (client == s.clients.end()) {
        return error_reply(session, "not_allowed", "only the client rates a conversation", ref);
    }
    if (conversation.empty() || client->second.rateable != conversation) {
        return error_reply(session, "not_in_conversation",
                           "only the client of a conversation that has ended rates it, once", ref);
    }
    if (rating < 1 || rating > 5) {
        return error_reply(session, "invalid_field", "field \"rating\" must be 1, 2, 3, 4 or 5",
                           ref);
    }
    client->second.rateable.clear();
    Effects effects;
    if (auto pending = s.wrapups.find(conversation);
        pending != s.wrapups.end() && !pending->second.saving) {
        pending->second.record.rating = rating;
        const PendingWrapup& kept = pending->second;
        effects.push_back(KeepVisit{OpenVisit{kept.record, kept.advisor, kept.due}});
    } else {
        // The row is written or on its way: the store adds the rating to it.
        effects.push_back(RecordRating{conversation, rating});
    }
    effects.push_back(Deliver{session, Rated{conversation, ref}});
    return effects;
}

} // namespace neuvo::core
