#pragma once

#include "fake_clock.hpp"

#include "neuvo/core/messages.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace neuvo::core::testing {

// Effects written out as one line each, so that a test can state the exact effects of an event,
// in order, and a failure prints what actually came out.

inline std::string hour_text(TimePoint at) {
    auto day = std::chrono::floor<std::chrono::days>(at);
    std::chrono::year_month_day date{day};
    std::chrono::hh_mm_ss time{std::chrono::floor<std::chrono::seconds>(at - day)};
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02ld:%02ld:%02ld", int(date.year()),
                  unsigned(date.month()), unsigned(date.day()), long(time.hours().count()),
                  long(time.minutes().count()), long(time.seconds().count()));
    return text;
}

inline std::string seconds_since_start(TimePoint at) {
    // Appended piece by piece: "+" + std::to_string(...) trips GCC 12's false -Wrestrict at -O3.
    std::string text = "+";
    text +=
        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(at - test_start).count());
    text += "s";
    return text;
}

inline std::string optional_seconds(const std::optional<std::int64_t>& seconds) {
    return seconds ? std::to_string(*seconds) : "none";
}

inline std::string joined_text(const ConversationStarted& m) {
    if (m.joined_as.empty()) {
        return "";
    }
    std::string line = " joined_as=" + m.joined_as;
    line += " from=" + (m.from ? m.from->name : std::string("none"));
    line += " note=" + m.note + " participants=";
    for (const AdvisorBadge& badge : m.participants) {
        line += badge.name + ";";
    }
    return line;
}

inline std::string outbound_text(const Outbound& message) {
    return std::visit(
        [](const auto& m) -> std::string {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, Queued>) {
                return "queued " + m.request_id + " " + m.language +
                       " position=" + std::to_string(m.position) +
                       " advisors=" + std::to_string(m.advisors_signed_in) +
                       " wait=" + optional_seconds(m.estimated_wait_seconds);
            } else if constexpr (std::is_same_v<T, ConversationStarted>) {
                return "started " + m.conversation + " request=" + m.request_id + " " + m.language +
                       " home=" + m.home_municipality + " tier=" + tier_name(m.tier) +
                       " advisor=" + m.advisor_name + " point=" + m.point_id + " (" + m.point_name +
                       ")" + joined_text(m);
            } else if constexpr (std::is_same_v<T, ChatMessage>) {
                return "message " + m.conversation + " seq=" + std::to_string(m.seq) +
                       " id=" + m.message_id + " from=" + role_name(m.from) +
                       " author=" + m.author + " text=" + m.text +
                       " at=" + seconds_since_start(m.sent_at);
            } else if constexpr (std::is_same_v<T, MessageAccepted>) {
                return "accepted " + m.message_id + " " + (m.consult ? "consult " : "") +
                       m.conversation + " seq=" + std::to_string(m.seq) +
                       (m.duplicate ? " duplicate" : "");
            } else if constexpr (std::is_same_v<T, ConversationEnded>) {
                return "ended " + m.conversation + " seq=" + std::to_string(m.seq) +
                       " reason=" + m.reason;
            } else if constexpr (std::is_same_v<T, PresenceState>) {
                return std::string("presence ") + presence_name(m.status) +
                       " capacity=" + std::to_string(m.capacity) +
                       " active=" + std::to_string(m.active) +
                       (m.follow_schedule ? " follow_schedule" : "") +
                       (m.reason.empty() ? "" : " reason=" + m.reason);
            } else if constexpr (std::is_same_v<T, Offer>) {
                return "offer " + m.conversation + " " + m.language +
                       " home=" + m.home_municipality + " tier=" + tier_name(m.tier) +
                       " expires=" + seconds_since_start(m.expires_at) +
                       (m.kind == OfferKind::request
                            ? ""
                            : std::string(" kind=") + offer_kind_name(m.kind)) +
                       (m.transferred ? " transferred" : "") +
                       (m.from ? " from=" + m.from->name : "") +
                       (m.note.empty() ? "" : " note=" + m.note);
            } else if constexpr (std::is_same_v<T, OfferWithdrawn>) {
                return "withdrawn " + m.conversation + " reason=" + m.reason;
            } else if constexpr (std::is_same_v<T, Alternatives>) {
                std::string line = "alternatives " + m.request_id + " " + m.language +
                                   " reason=" + m.reason + " next=";
                line += m.next_staffed
                            ? m.next_staffed->point_id + "@" + hour_text(m.next_staffed->at)
                            : "none";
                line += " others=";
                for (const LanguageWait& other : m.other_languages) {
                    line += other.language + ":" + std::to_string(other.advisors_signed_in) + ":" +
                            optional_seconds(other.estimated_wait_seconds) + ";";
                }
                return line;
            } else if constexpr (std::is_same_v<T, RequestClosed>) {
                return "closed " + m.request_id + " reason=" + m.reason;
            } else if constexpr (std::is_same_v<T, AdvisorConnection>) {
                return "advisor " + m.conversation + " " + m.status;
            } else if constexpr (std::is_same_v<T, Directory>) {
                std::string line = "directory ref=" + m.ref + ":";
                for (const DirectoryEntry& entry : m.advisors) {
                    line += " " + entry.colleague.name + "@" + entry.colleague.point_id + "(" +
                            presence_name(entry.status) + " " + std::to_string(entry.active) + "/" +
                            std::to_string(entry.capacity) +
                            (entry.connected ? "" : " reconnecting") + ")";
                }
                return line;
            } else if constexpr (std::is_same_v<T, ConsultOpened>) {
                return "consult " + m.consult + " opened ref=" + m.ref + " with=" + m.with.name +
                       (m.about ? " about=" + m.about->conversation + " " + m.about->language +
                                      " home=" + m.about->home_municipality
                                : "");
            } else if constexpr (std::is_same_v<T, ConsultMessage>) {
                return "consult " + m.consult + " message seq=" + std::to_string(m.seq) +
                       " id=" + m.message_id + " author=" + m.author + " text=" + m.text;
            } else if constexpr (std::is_same_v<T, ConsultClosed>) {
                return "consult " + m.consult + " closed reason=" + m.reason;
            } else if constexpr (std::is_same_v<T, Handover>) {
                return "handover " + m.conversation + " " + offer_kind_name(m.kind) + " " +
                       m.status + " ref=" + m.ref +
                       (m.colleague ? " colleague=" + m.colleague->name : "") +
                       (m.language.empty() ? "" : " language=" + m.language);
            } else if constexpr (std::is_same_v<T, AdvisorJoined>) {
                return "joined " + m.conversation + " seq=" + std::to_string(m.seq) + " " +
                       m.advisor.name + " role=" + m.role + " via=" + m.via;
            } else if constexpr (std::is_same_v<T, AdvisorLeft>) {
                return "left " + m.conversation + " seq=" + std::to_string(m.seq) + " " +
                       m.advisor.name + " reason=" + m.reason;
            } else if constexpr (std::is_same_v<T, CustomerCode>) {
                return "customer code " + m.code + " for " + m.conversation + " ref=" + m.ref;
            } else if constexpr (std::is_same_v<T, CustomerJoined>) {
                return "joined customer " + m.conversation + " seq=" + std::to_string(m.seq);
            } else if constexpr (std::is_same_v<T, CustomerLeft>) {
                return "left customer " + m.conversation + " seq=" + std::to_string(m.seq);
            } else if constexpr (std::is_same_v<T, WrapupDue>) {
                return "wrapup due " + m.conversation + " " + m.language +
                       " home=" + m.home_municipality + " " + m.channel;
            } else if constexpr (std::is_same_v<T, WrapupDone>) {
                return "wrapup " + m.status + " " + m.conversation + " ref=" + m.ref;
            } else if constexpr (std::is_same_v<T, Rated>) {
                return "rated " + m.conversation + " ref=" + m.ref;
            } else if constexpr (std::is_same_v<T, Typing>) {
                return "typing " + m.conversation + " from=" + role_name(m.from) +
                       (m.name.empty() ? "" : " name=" + m.name);
            } else if constexpr (std::is_same_v<T, ConversationLeft>) {
                return "you left " + m.conversation + " reason=" + m.reason;
            } else if constexpr (std::is_same_v<T, ClientConnection>) {
                return "client " + m.status + " " + m.conversation;
            } else if constexpr (std::is_same_v<T, Resumed>) {
                return "resumed " + m.state + (m.conversation.empty() ? "" : " " + m.conversation) +
                       " ref=" + m.ref;
            } else {
                static_assert(std::is_same_v<T, ErrorReply>);
                // The reason is for people; tests check that there is one, not its wording.
                return "error " + m.code + " ref=" + m.ref +
                       (m.retry_after ? " retry=" + std::to_string(m.retry_after->count()) + "ms"
                                      : "") +
                       (m.reason.empty() ? " NO REASON" : "");
            }
        },
        message);
}

inline std::string open_client_text(const OpenClient& c) {
    std::string line = "keep client " + c.resume_token + " " + c.requester.channel;
    if (c.waiting) {
        line += " waiting " + c.waiting->id + " " + c.waiting->language +
                " home=" + c.waiting->home + " since=" + seconds_since_start(c.waiting->at) +
                (c.waiting->transfer_of.empty() ? "" : " transfer_of=" + c.waiting->transfer_of);
    }
    if (!c.conversation.empty()) {
        line += " in " + c.conversation;
    }
    if (c.talk) {
        line += " talk " + c.talk->id + " " + c.talk->language + " seats=";
        for (const OpenSeat& seat : c.talk->seats) {
            line += std::to_string(seat.advisor) + (seat.lead ? "(lead)" : "") + ",";
        }
    }
    return line;
}

inline std::string visit_text(const VisitRecord& v) {
    return "visit " + v.outcome + " point=" + v.point_id + " advisor_point=" + v.advisor_point_id +
           " " + v.channel + " " + v.language + " home=" + v.home_municipality + " tier=" + v.tier +
           " hour=" + hour_text(v.started_hour) + " wait=" + std::to_string(v.wait_seconds) +
           " duration=" + std::to_string(v.duration_seconds) + " ended_by=" + v.ended_by +
           (v.transfers == 0 ? ""
                             : " transfers=" + std::to_string(v.transfers) + " from=" +
                                   v.transfer_from_point_id + " to=" + v.transfer_to_point_id) +
           (v.invited_advisors == 0 ? "" : " invited=" + std::to_string(v.invited_advisors)) +
           (v.wrapup_state == "none" ? "" : " wrapup=" + v.wrapup_state) +
           (v.rating ? " rating=" + std::to_string(*v.rating) : "");
}

inline std::string effect_text(const Effect& effect) {
    return std::visit(
        [](const auto& e) -> std::string {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, Deliver>) {
                return "to " + std::to_string(e.to) + ": " + outbound_text(e.message);
            } else if constexpr (std::is_same_v<T, RecordVisit>) {
                return visit_text(e.record);
            } else if constexpr (std::is_same_v<T, RecordRating>) {
                return "rating " + e.conversation + " " + std::to_string(e.rating);
            } else if constexpr (std::is_same_v<T, CloseSession>) {
                return "close " + std::to_string(e.session) + ": " + e.reason;
            } else if constexpr (std::is_same_v<T, ResumeSession>) {
                return "socket " + std::to_string(e.connection) + " is now " +
                       std::to_string(e.session);
            } else if constexpr (std::is_same_v<T, KeepClient>) {
                return open_client_text(e.client);
            } else if constexpr (std::is_same_v<T, ForgetClient>) {
                return "forget client " + e.resume_token;
            } else if constexpr (std::is_same_v<T, KeepEvent>) {
                return "keep event " + e.event.conversation +
                       " seq=" + std::to_string(e.event.seq) +
                       " sender=" + std::to_string(e.event.sender) + ": " +
                       outbound_text(e.event.event);
            } else if constexpr (std::is_same_v<T, ForgetConversation>) {
                return "forget conversation " + e.conversation;
            } else if constexpr (std::is_same_v<T, KeepAdvisor>) {
                return "keep advisor " + std::to_string(e.advisor.id) + " " +
                       presence_name(e.advisor.status) +
                       " capacity=" + std::to_string(e.advisor.capacity) +
                       (e.advisor.follow_schedule ? " following schedule" : "");
            } else if constexpr (std::is_same_v<T, ForgetAdvisor>) {
                return "forget advisor " + std::to_string(e.advisor);
            } else {
                static_assert(std::is_same_v<T, KeepVisit>);
                return "keep " + visit_text(e.visit.record) + " for " +
                       std::to_string(e.visit.advisor) + " due=" + seconds_since_start(e.visit.due);
            }
        },
        effect);
}

// The effects participants and the register see, in order. Open work is left out: the tests of
// open_work.cpp look at it with kept_text().
inline std::vector<std::string> text(const Effects& effects) {
    std::vector<std::string> lines;
    for (const Effect& effect : effects) {
        if (!is_open_work(effect)) {
            lines.push_back(effect_text(effect));
        }
    }
    return lines;
}

inline std::vector<std::string> kept_text(const Effects& effects) {
    std::vector<std::string> lines;
    for (const Effect& effect : effects) {
        if (is_open_work(effect)) {
            lines.push_back(effect_text(effect));
        }
    }
    return lines;
}

using Lines = std::vector<std::string>;

} // namespace neuvo::core::testing
