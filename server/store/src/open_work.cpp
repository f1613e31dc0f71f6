// Open work in the database (migration 6): what the switchboard keeps while it is open, so that
// a restart continues it. The rows' bodies are JSON of the core's own structs, an internal
// format of this file alone (the "v" field numbers it); the wire protocol is not involved.
#include "neuvo/store/database.hpp"

#include "statement.hpp"
#include "statement_cache.hpp"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

namespace neuvo::store {
namespace {

using nlohmann::json;

constexpr int body_format = 1;

std::int64_t millis(core::TimePoint time) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

core::TimePoint from_millis(std::int64_t count) {
    return core::TimePoint(
        std::chrono::duration_cast<core::TimePoint::duration>(std::chrono::milliseconds(count)));
}

core::Tier tier_named(const std::string& name) {
    for (core::Tier tier :
         {core::Tier::own_point, core::Tier::region, core::Tier::partner, core::Tier::national}) {
        if (name == core::tier_name(tier)) {
            return tier;
        }
    }
    throw StoreError("open work: unknown tier \"" + name + "\"");
}

json colleague_json(const core::ColleagueRef& colleague) {
    return {{"id", colleague.id},
            {"name", colleague.name},
            {"point", colleague.point_id},
            {"point_name", colleague.point_name}};
}

core::ColleagueRef colleague_from(const json& j) {
    return core::ColleagueRef{j.at("id").get<core::AdvisorId>(), j.at("name").get<std::string>(),
                              j.at("point").get<std::string>(),
                              j.at("point_name").get<std::string>()};
}

json badge_json(const core::AdvisorBadge& badge) {
    return {{"name", badge.name},
            {"point", badge.point_id},
            {"point_name", badge.point_name},
            {"languages", badge.languages}};
}

core::AdvisorBadge badge_from(const json& j) {
    return core::AdvisorBadge{j.at("name").get<std::string>(), j.at("point").get<std::string>(),
                              j.at("point_name").get<std::string>(),
                              j.at("languages").get<std::vector<std::string>>()};
}

json client_json(const core::OpenClient& client) {
    json body = {{"v", body_format},
                 {"channel", client.requester.channel},
                 {"organisation", client.requester.organisation},
                 {"default_home", client.requester.default_home},
                 {"also_speaks", client.also_speaks},
                 {"conversation", client.conversation}};
    if (client.waiting) {
        const core::OpenRequest& request = *client.waiting;
        json waiting = {{"id", request.id},
                        {"language", request.language},
                        {"home", request.home},
                        {"at_ms", millis(request.at)},
                        {"transfer_of", request.transfer_of},
                        {"transfer_note", request.transfer_note}};
        if (request.transfer_from) {
            waiting["transfer_from"] = colleague_json(*request.transfer_from);
        }
        body["waiting"] = std::move(waiting);
    }
    if (client.talk) {
        const core::OpenConversation& talk = *client.talk;
        json seats = json::array();
        for (const core::OpenSeat& seat : talk.seats) {
            seats.push_back({{"advisor", seat.advisor}, {"lead", seat.lead}});
        }
        body["talk"] = {{"id", talk.id},
                        {"request_id", talk.request_id},
                        {"language", talk.language},
                        {"home", talk.home},
                        {"tier", core::tier_name(talk.tier)},
                        {"requested_at_ms", millis(talk.requested_at)},
                        {"started_at_ms", millis(talk.started_at)},
                        {"channel", talk.channel},
                        {"organisation", talk.organisation},
                        {"seats", std::move(seats)},
                        {"transfers", talk.transfers},
                        {"transfer_from_point", talk.transfer_from_point},
                        {"transfer_to_point", talk.transfer_to_point},
                        {"invited_advisors", talk.invited_advisors},
                        {"last_lead_point", talk.last_lead_point}};
    }
    return body;
}

core::OpenClient client_from(const std::string& token_digest, const json& body) {
    core::OpenClient client;
    client.resume_token = token_digest;
    client.requester.channel = body.at("channel").get<std::string>();
    client.requester.organisation = body.at("organisation").get<std::string>();
    client.requester.default_home = body.at("default_home").get<std::string>();
    client.also_speaks = body.at("also_speaks").get<std::vector<std::string>>();
    client.conversation = body.at("conversation").get<std::string>();
    if (auto it = body.find("waiting"); it != body.end()) {
        const json& w = *it;
        core::OpenRequest request;
        request.id = w.at("id").get<std::string>();
        request.language = w.at("language").get<std::string>();
        request.home = w.at("home").get<std::string>();
        request.at = from_millis(w.at("at_ms").get<std::int64_t>());
        request.transfer_of = w.at("transfer_of").get<std::string>();
        request.transfer_note = w.at("transfer_note").get<std::string>();
        if (auto from = w.find("transfer_from"); from != w.end()) {
            request.transfer_from = colleague_from(*from);
        }
        client.waiting = std::move(request);
    }
    if (auto it = body.find("talk"); it != body.end()) {
        const json& t = *it;
        core::OpenConversation talk;
        talk.id = t.at("id").get<std::string>();
        talk.request_id = t.at("request_id").get<std::string>();
        talk.language = t.at("language").get<std::string>();
        talk.home = t.at("home").get<std::string>();
        talk.tier = tier_named(t.at("tier").get<std::string>());
        talk.requested_at = from_millis(t.at("requested_at_ms").get<std::int64_t>());
        talk.started_at = from_millis(t.at("started_at_ms").get<std::int64_t>());
        talk.channel = t.at("channel").get<std::string>();
        talk.organisation = t.at("organisation").get<std::string>();
        for (const json& seat : t.at("seats")) {
            talk.seats.push_back(core::OpenSeat{seat.at("advisor").get<core::AdvisorId>(),
                                                seat.at("lead").get<bool>()});
        }
        talk.transfers = t.at("transfers").get<int>();
        talk.transfer_from_point = t.at("transfer_from_point").get<std::string>();
        talk.transfer_to_point = t.at("transfer_to_point").get<std::string>();
        talk.invited_advisors = t.at("invited_advisors").get<int>();
        talk.last_lead_point = t.at("last_lead_point").get<std::string>();
        client.talk = std::move(talk);
    }
    return client;
}

// The numbered events a conversation keeps: chat messages, who joined or left. The end is never
// kept, since the conversation's events go with it.
json event_json(const core::Outbound& event) {
    return std::visit(
        [](const auto& e) -> json {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, core::ChatMessage>) {
                return {{"v", body_format},
                        {"kind", "message"},
                        {"id", e.message_id},
                        {"from", core::role_name(e.from)},
                        {"author", e.author},
                        {"text", e.text},
                        {"sent_at_ms", millis(e.sent_at)}};
            } else if constexpr (std::is_same_v<T, core::AdvisorJoined>) {
                return {{"v", body_format},
                        {"kind", "advisor_joined"},
                        {"role", e.role},
                        {"via", e.via},
                        {"advisor", badge_json(e.advisor)}};
            } else if constexpr (std::is_same_v<T, core::AdvisorLeft>) {
                return {{"v", body_format},
                        {"kind", "advisor_left"},
                        {"reason", e.reason},
                        {"advisor", badge_json(e.advisor)}};
            } else if constexpr (std::is_same_v<T, core::CustomerJoined>) {
                return {{"v", body_format}, {"kind", "customer_joined"}};
            } else if constexpr (std::is_same_v<T, core::CustomerLeft>) {
                return {{"v", body_format}, {"kind", "customer_left"}};
            } else {
                throw StoreError("open work: this event is not one a conversation keeps");
            }
        },
        event);
}

core::Outbound event_from(const std::string& conversation, std::uint64_t seq, const json& body) {
    const std::string kind = body.at("kind").get<std::string>();
    if (kind == "message") {
        const std::string from = body.at("from").get<std::string>();
        return core::ChatMessage{conversation,
                                 seq,
                                 body.at("id").get<std::string>(),
                                 from == "advisor" ? core::Role::advisor : core::Role::client,
                                 body.at("author").get<std::string>(),
                                 body.at("text").get<std::string>(),
                                 from_millis(body.at("sent_at_ms").get<std::int64_t>())};
    }
    if (kind == "advisor_joined") {
        return core::AdvisorJoined{conversation, seq, body.at("role").get<std::string>(),
                                   body.at("via").get<std::string>(),
                                   badge_from(body.at("advisor"))};
    }
    if (kind == "advisor_left") {
        return core::AdvisorLeft{conversation, seq, body.at("reason").get<std::string>(),
                                 badge_from(body.at("advisor"))};
    }
    if (kind == "customer_joined") {
        return core::CustomerJoined{conversation, seq};
    }
    if (kind == "customer_left") {
        return core::CustomerLeft{conversation, seq};
    }
    throw StoreError("open work: unknown event kind \"" + kind + "\"");
}

// The system fields of a row waiting for its wrap-up (whose own fields are all unknown yet).
json visit_json(const core::VisitRecord& r) {
    json body = {{"v", body_format},
                 {"outcome", r.outcome},
                 {"point_id", r.point_id},
                 {"advisor_point_id", r.advisor_point_id},
                 {"channel", r.channel},
                 {"language", r.language},
                 {"home", r.home_municipality},
                 {"tier", r.tier},
                 {"started_hour_ms", millis(r.started_hour)},
                 {"wait_seconds", r.wait_seconds},
                 {"duration_seconds", r.duration_seconds},
                 {"ended_by", r.ended_by},
                 {"transfers", r.transfers},
                 {"transfer_from_point_id", r.transfer_from_point_id},
                 {"transfer_to_point_id", r.transfer_to_point_id},
                 {"invited_advisors", r.invited_advisors}};
    if (r.rating) {
        body["rating"] = *r.rating;
    }
    return body;
}

core::VisitRecord visit_from(const std::string& conversation, const json& body) {
    core::VisitRecord r;
    r.outcome = body.at("outcome").get<std::string>();
    r.point_id = body.at("point_id").get<std::string>();
    r.advisor_point_id = body.at("advisor_point_id").get<std::string>();
    r.channel = body.at("channel").get<std::string>();
    r.language = body.at("language").get<std::string>();
    r.home_municipality = body.at("home").get<std::string>();
    r.tier = body.at("tier").get<std::string>();
    r.started_hour = from_millis(body.at("started_hour_ms").get<std::int64_t>());
    r.wait_seconds = body.at("wait_seconds").get<std::int64_t>();
    r.duration_seconds = body.at("duration_seconds").get<std::int64_t>();
    r.ended_by = body.at("ended_by").get<std::string>();
    r.transfers = body.at("transfers").get<int>();
    r.transfer_from_point_id = body.at("transfer_from_point_id").get<std::string>();
    r.transfer_to_point_id = body.at("transfer_to_point_id").get<std::string>();
    r.invited_advisors = body.at("invited_advisors").get<int>();
    if (auto it = body.find("rating"); it != body.end()) {
        r.rating = it->get<int>();
    }
    r.wrapup_state = "missing"; // until the advisor saves one
    r.conversation = conversation;
    return r;
}

// A body this program cannot read (written by a newer one, or damaged) is an error, not a guess.
json parse_body(const std::string& text) {
    json body = json::parse(text, nullptr, false);
    if (body.is_discarded() || !body.is_object() || body.value("v", 0) != body_format) {
        throw StoreError("open work: a row's body is not in the format this program writes");
    }
    return body;
}

} // namespace

void Database::keep_open_client(const core::OpenClient& client) {
    auto upsert = statements_->get("INSERT INTO open_clients (token_digest, body) VALUES (?1, ?2) "
                                   "ON CONFLICT (token_digest) DO UPDATE SET body = excluded.body");
    upsert->bind(1, client.resume_token).bind(2, client_json(client).dump());
    upsert->run();
}

void Database::forget_open_client(const std::string& token_digest) {
    auto remove = statements_->get("DELETE FROM open_clients WHERE token_digest = ?1");
    remove->bind(1, token_digest);
    remove->run();
}

void Database::keep_open_event(const core::OpenEvent& event) {
    // A resent message never gets here twice (the core answers it as a duplicate); IGNORE only
    // keeps a replayed batch from failing.
    auto insert =
        statements_->get("INSERT OR IGNORE INTO open_events (conversation, seq, sender, body) "
                         "VALUES (?1, ?2, ?3, ?4)");
    insert->bind(1, event.conversation)
        .bind(2, static_cast<std::int64_t>(event.seq))
        .bind(3, event.sender)
        .bind(4, event_json(event.event).dump());
    insert->run();
}

void Database::forget_open_conversation(const std::string& conversation) {
    auto remove = statements_->get("DELETE FROM open_events WHERE conversation = ?1");
    remove->bind(1, conversation);
    remove->run();
    content_forgotten_ = true;
}

void Database::keep_open_advisor(const core::OpenAdvisor& advisor) {
    auto upsert = statements_->get(
        "INSERT INTO open_advisors (advisor_id, status, capacity, "
        "follow_schedule) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (advisor_id) DO UPDATE SET status = excluded.status, "
        "capacity = excluded.capacity, follow_schedule = excluded.follow_schedule");
    upsert->bind(1, advisor.id)
        .bind(2, std::string(core::presence_name(advisor.status)))
        .bind(3, static_cast<std::int64_t>(advisor.capacity))
        .bind(4, static_cast<std::int64_t>(advisor.follow_schedule ? 1 : 0));
    upsert->run();
}

void Database::forget_open_advisor(core::AdvisorId advisor) {
    auto remove = statements_->get("DELETE FROM open_advisors WHERE advisor_id = ?1");
    remove->bind(1, advisor);
    remove->run();
}

void Database::keep_open_visit(const core::OpenVisit& visit) {
    auto upsert =
        statements_->get("INSERT INTO open_visits (conversation, advisor_id, due_at_ms, body) "
                         "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (conversation) DO UPDATE SET "
                         "advisor_id = excluded.advisor_id, due_at_ms = excluded.due_at_ms, "
                         "body = excluded.body");
    upsert->bind(1, visit.record.conversation)
        .bind(2, visit.advisor)
        .bind(3, millis(visit.due))
        .bind(4, visit_json(visit.record).dump());
    upsert->run();
}

void Database::forget_open_visit(const std::string& conversation) {
    auto remove = statements_->get("DELETE FROM open_visits WHERE conversation = ?1");
    remove->bind(1, conversation);
    remove->run();
}

OpenWorkRows Database::open_work() {
    OpenWorkRows rows;
    Statement clients(db_, "SELECT token_digest, body FROM open_clients ORDER BY token_digest");
    while (clients.step()) {
        rows.clients.push_back(
            client_from(clients.column_text(0), parse_body(clients.column_text(1))));
    }
    Statement events(db_, "SELECT conversation, seq, sender, body FROM open_events "
                          "ORDER BY conversation, seq");
    while (events.step()) {
        const std::string conversation = events.column_text(0);
        const auto seq = static_cast<std::uint64_t>(events.column_int(1));
        rows.events.push_back(
            core::OpenEvent{conversation, seq, events.column_int(2),
                            event_from(conversation, seq, parse_body(events.column_text(3)))});
    }
    Statement advisors(db_, "SELECT advisor_id, status, capacity, follow_schedule "
                            "FROM open_advisors ORDER BY advisor_id");
    while (advisors.step()) {
        rows.advisors.push_back(core::OpenAdvisor{
            advisors.column_int(0),
            advisors.column_text(1) == "available" ? core::Presence::available
                                                   : core::Presence::away,
            static_cast<int>(advisors.column_int(2)), advisors.column_int(3) == 1});
    }
    Statement visits(db_, "SELECT conversation, advisor_id, due_at_ms, body FROM open_visits "
                          "ORDER BY due_at_ms, conversation");
    while (visits.step()) {
        const std::string conversation = visits.column_text(0);
        rows.visits.push_back(
            core::OpenVisit{visit_from(conversation, parse_body(visits.column_text(3))),
                            visits.column_int(1), from_millis(visits.column_int(2))});
    }
    return rows;
}

void Database::wipe_forgotten_content() {
    if (!content_forgotten_ || in_transaction()) {
        return;
    }
    content_forgotten_ = false;
    // secure_delete has zeroed the rows in the database's pages; the write-ahead log still holds
    // the pages as they were until it is checkpointed and cut back to nothing.
    Statement checkpoint(db_, "PRAGMA wal_checkpoint(TRUNCATE)");
    checkpoint.step();
}

} // namespace neuvo::store
