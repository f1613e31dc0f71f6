// PROTOCOL.md is the contract; these tests run its examples through the real schema and decoder,
// so an example that the server would reject, or a message type nobody documented, fails the
// build instead of misleading the next client author.

#include "neuvo/protocol/codec.hpp"
#include "neuvo/protocol/schema.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

namespace {

using neuvo::protocol::Direction;
using nlohmann::json;
namespace core = neuvo::core;
namespace protocol = neuvo::protocol;

struct FencedBlock {
    std::string info; // the info string after the opening fence, e.g. "json to-server"
    std::string body;
    int line = 0; // of the opening fence, so that a failure points into the document
};

std::string trimmed(const std::string& text) {
    auto first = text.find_first_not_of(" \t\r");
    if (first == std::string::npos)
        return {};
    auto last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

std::string read_document() {
    std::ifstream in(NEUVO_PROTOCOL_MD, std::ios::binary);
    INFO("reading " << NEUVO_PROTOCOL_MD);
    REQUIRE(in.good());
    std::stringstream text;
    text << in.rdbuf();
    REQUIRE_FALSE(text.str().empty());
    return text.str();
}

std::vector<FencedBlock> fenced_blocks(const std::string& document) {
    std::vector<FencedBlock> blocks;
    std::optional<FencedBlock> open;
    std::istringstream in(document);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.starts_with("```")) {
            if (open) {
                blocks.push_back(std::move(*open));
                open.reset();
            } else {
                open = FencedBlock{trimmed(line.substr(3)), {}, number};
            }
        } else if (open) {
            open->body += line;
            open->body += '\n';
        }
    }
    INFO("a fence opened at PROTOCOL.md line " << (open ? open->line : 0) << " is never closed");
    REQUIRE_FALSE(open.has_value());
    return blocks;
}

std::vector<FencedBlock> blocks_tagged(const std::string& info) {
    std::vector<FencedBlock> selected;
    for (auto& block : fenced_blocks(read_document()))
        if (block.info == info)
            selected.push_back(std::move(block));
    return selected;
}

// The first cell of each row of the "## Error codes" table.
std::vector<std::string> error_table_first_cells(const std::string& document) {
    std::vector<std::string> cells;
    std::istringstream in(document);
    std::string line;
    bool in_section = false;
    while (std::getline(in, line)) {
        if (line.starts_with("## ")) {
            in_section = trimmed(line) == "## Error codes";
            continue;
        }
        if (!in_section || !line.starts_with("|"))
            continue;
        auto end = line.find('|', 1);
        cells.push_back(
            trimmed(line.substr(1, end == std::string::npos ? std::string::npos : end - 1)));
    }
    return cells;
}

// The rows whose first cell is a bare `code` (the rows marked "HTTP `...`" are HTTP error
// bodies, not WebSocket error codes).
std::set<std::string> error_table_codes(const std::string& document) {
    std::set<std::string> codes;
    for (const std::string& cell : error_table_first_cells(document))
        if (cell.size() > 2 && cell.front() == '`' && cell.back() == '`')
            codes.insert(cell.substr(1, cell.size() - 2));
    return codes;
}

// The rows marked "HTTP `code`": the error bodies of HTTP answers.
std::set<std::string> http_error_table_codes(const std::string& document) {
    std::set<std::string> codes;
    for (const std::string& cell : error_table_first_cells(document)) {
        if (!cell.starts_with("HTTP `"))
            continue;
        auto start = cell.find('`') + 1;
        auto end = cell.find('`', start);
        if (end != std::string::npos)
            codes.insert(cell.substr(start, end - start));
    }
    return codes;
}

json parse_block(const FencedBlock& block) {
    INFO("PROTOCOL.md line " << block.line << ":\n" << block.body);
    json message = json::parse(block.body, nullptr, /*allow_exceptions=*/false);
    REQUIRE_FALSE(message.is_discarded());
    return message;
}

void require_valid(const FencedBlock& block, const json& message, Direction direction) {
    INFO("PROTOCOL.md line " << block.line << ":\n" << block.body);
    auto violation = protocol::validate(message, direction);
    if (violation)
        FAIL(violation->code << ": " << violation->reason);
}

// Each decoded field must carry exactly the example's value; a decoder that mixed up two string
// fields of the same type would otherwise pass.
void check_decoded_fields(const json& example, const protocol::Inbound& decoded) {
    const auto type = example.at("type").get<std::string>();
    if (type == "request") {
        const auto* request = std::get_if<protocol::RequestAdvisor>(&decoded);
        REQUIRE(request != nullptr);
        CHECK(request->id == example.at("id").get<std::string>());
        CHECK(request->language == example.at("language").get<std::string>());
        CHECK(request->home == example.value("home", std::string()));
        CHECK(request->also_speaks == example.value("also_speaks", std::vector<std::string>()));
    } else if (type == "cancel") {
        const auto* cancel = std::get_if<protocol::CancelRequest>(&decoded);
        REQUIRE(cancel != nullptr);
        CHECK(cancel->id == example.at("id").get<std::string>());
        CHECK(cancel->request == example.at("request").get<std::string>());
    } else if (type == "accept" || type == "decline") {
        const auto* answer = std::get_if<protocol::AnswerOffer>(&decoded);
        REQUIRE(answer != nullptr);
        CHECK(answer->id == example.at("id").get<std::string>());
        CHECK(answer->conversation == example.at("conversation").get<std::string>());
        CHECK(answer->accept == (type == "accept"));
    } else if (type == "message") {
        const auto* message = std::get_if<protocol::SendText>(&decoded);
        REQUIRE(message != nullptr);
        CHECK(message->id == example.at("id").get<std::string>());
        CHECK(message->conversation == example.at("conversation").get<std::string>());
        CHECK(message->text == example.at("text").get<std::string>());
    } else if (type == "ack") {
        const auto* ack = std::get_if<protocol::Acknowledge>(&decoded);
        REQUIRE(ack != nullptr);
        CHECK(ack->conversation == example.at("conversation").get<std::string>());
        CHECK(ack->seq == example.at("seq").get<std::uint64_t>());
    } else if (type == "typing") {
        const auto* typing = std::get_if<protocol::SignalTyping>(&decoded);
        REQUIRE(typing != nullptr);
        CHECK(typing->conversation == example.at("conversation").get<std::string>());
    } else if (type == "end") {
        const auto* end = std::get_if<protocol::EndConversation>(&decoded);
        REQUIRE(end != nullptr);
        CHECK(end->id == example.at("id").get<std::string>());
        CHECK(end->conversation == example.at("conversation").get<std::string>());
    } else if (type == "presence") {
        const auto* presence = std::get_if<protocol::SetPresence>(&decoded);
        REQUIRE(presence != nullptr);
        CHECK(presence->id == example.at("id").get<std::string>());
        CHECK(core::presence_name(presence->status) == example.at("status").get<std::string>());
        if (example.contains("capacity")) {
            REQUIRE(presence->capacity.has_value());
            CHECK(*presence->capacity == example.at("capacity").get<int>());
        } else {
            CHECK_FALSE(presence->capacity.has_value());
        }
        if (example.contains("follow_schedule")) {
            REQUIRE(presence->follow_schedule.has_value());
            CHECK(*presence->follow_schedule == example.at("follow_schedule").get<bool>());
        } else {
            CHECK_FALSE(presence->follow_schedule.has_value());
        }
    } else if (type == "directory") {
        const auto* list = std::get_if<protocol::ListColleagues>(&decoded);
        REQUIRE(list != nullptr);
        CHECK(list->id == example.at("id").get<std::string>());
        CHECK(list->language == example.value("language", std::string()));
        CHECK(list->point == example.value("point", std::string()));
    } else if (type == "consult_open") {
        const auto* open = std::get_if<protocol::OpenConsult>(&decoded);
        REQUIRE(open != nullptr);
        CHECK(open->id == example.at("id").get<std::string>());
        CHECK(open->colleague == example.at("colleague").get<core::AdvisorId>());
        CHECK(open->about == example.value("about", std::string()));
    } else if (type == "consult_message") {
        const auto* message = std::get_if<protocol::SendConsultText>(&decoded);
        REQUIRE(message != nullptr);
        CHECK(message->id == example.at("id").get<std::string>());
        CHECK(message->consult == example.at("consult").get<std::string>());
        CHECK(message->text == example.at("text").get<std::string>());
    } else if (type == "consult_close") {
        const auto* close = std::get_if<protocol::CloseConsult>(&decoded);
        REQUIRE(close != nullptr);
        CHECK(close->id == example.at("id").get<std::string>());
        CHECK(close->consult == example.at("consult").get<std::string>());
    } else if (type == "invite") {
        const auto* invite = std::get_if<protocol::InviteColleague>(&decoded);
        REQUIRE(invite != nullptr);
        CHECK(invite->id == example.at("id").get<std::string>());
        CHECK(invite->conversation == example.at("conversation").get<std::string>());
        CHECK(invite->colleague == example.at("colleague").get<core::AdvisorId>());
        CHECK(invite->note == example.value("note", std::string()));
    } else if (type == "transfer") {
        const auto* transfer = std::get_if<protocol::TransferConversation>(&decoded);
        REQUIRE(transfer != nullptr);
        CHECK(transfer->id == example.at("id").get<std::string>());
        CHECK(transfer->conversation == example.at("conversation").get<std::string>());
        if (example.contains("colleague")) {
            REQUIRE(transfer->colleague.has_value());
            CHECK(*transfer->colleague == example.at("colleague").get<core::AdvisorId>());
        } else {
            CHECK_FALSE(transfer->colleague.has_value());
        }
        CHECK(transfer->language == example.value("language", std::string()));
        CHECK(transfer->note == example.value("note", std::string()));
    } else if (type == "customer_code") {
        const auto* ask = std::get_if<protocol::AskCustomerCode>(&decoded);
        REQUIRE(ask != nullptr);
        CHECK(ask->id == example.at("id").get<std::string>());
        CHECK(ask->conversation == example.at("conversation").get<std::string>());
    } else if (type == "join") {
        const auto* join = std::get_if<protocol::JoinWithCode>(&decoded);
        REQUIRE(join != nullptr);
        CHECK(join->id == example.at("id").get<std::string>());
        CHECK(join->code == example.at("code").get<std::string>());
    } else if (type == "wrapup") {
        const auto* wrapup = std::get_if<protocol::SaveWrapup>(&decoded);
        REQUIRE(wrapup != nullptr);
        CHECK(wrapup->id == example.at("id").get<std::string>());
        CHECK(wrapup->conversation == example.at("conversation").get<std::string>());
        const auto& fields = example.at("fields");
        CHECK(wrapup->wrapup.age_group == fields.value("age_group", std::string("unknown")));
        CHECK(wrapup->wrapup.country == fields.value("country", std::string("unknown")));
        CHECK(wrapup->wrapup.labour_status ==
              fields.value("labour_status", std::string("unknown")));
        CHECK(wrapup->wrapup.topics == fields.value("topics", std::vector<std::string>{}));
        CHECK(wrapup->wrapup.referrals == fields.value("referrals", std::vector<std::string>{}));
        // The example is a wrap-up the server accepts, codes and all.
        CHECK(core::wrapup_problem(wrapup->wrapup).empty());
    } else if (type == "rate") {
        const auto* rate = std::get_if<protocol::RateConversation>(&decoded);
        REQUIRE(rate != nullptr);
        CHECK(rate->id == example.at("id").get<std::string>());
        CHECK(rate->conversation == example.at("conversation").get<std::string>());
        CHECK(rate->rating == example.at("rating").get<int>());
    } else if (type == "resume") {
        const auto* resume = std::get_if<protocol::ResumeSession>(&decoded);
        REQUIRE(resume != nullptr);
        CHECK(resume->id == example.at("id").get<std::string>());
        CHECK(resume->token == example.at("token").get<std::string>());
        CHECK(resume->last_seq == example.at("last_seq").get<std::uint64_t>());
    } else if (type == "leave") {
        const auto* leave = std::get_if<protocol::LeaveConversation>(&decoded);
        REQUIRE(leave != nullptr);
        CHECK(leave->id == example.at("id").get<std::string>());
        CHECK(leave->conversation == example.at("conversation").get<std::string>());
    } else {
        FAIL("the test has no field check for to-server type \"" << type << "\"");
    }
}

} // namespace

TEST_CASE("every json block of PROTOCOL.md declares a kind the tests know",
          "[protocol][document]") {
    // A typo such as "json to-sever" would otherwise take an example out of every test below.
    auto blocks = fenced_blocks(read_document());
    REQUIRE_FALSE(blocks.empty());
    for (const auto& block : blocks) {
        if (!block.info.starts_with("json"))
            continue;
        INFO("PROTOCOL.md line " << block.line << ": ```" << block.info);
        CHECK((block.info == "json to-server" || block.info == "json to-peer" ||
               block.info.starts_with("json http-")));
    }
}

TEST_CASE("every to-server example passes the schema and decodes with its values",
          "[protocol][document]") {
    auto blocks = blocks_tagged("json to-server");
    REQUIRE(blocks.size() >= 8);
    for (const auto& block : blocks) {
        auto example = parse_block(block);
        require_valid(block, example, Direction::to_server);

        INFO("PROTOCOL.md line " << block.line << ":\n" << block.body);
        auto decoded = protocol::decode_inbound(block.body);
        if (const auto* error = std::get_if<protocol::DecodeError>(&decoded))
            FAIL("decode_inbound: " << error->code << ": " << error->reason);
        check_decoded_fields(example, std::get<protocol::Inbound>(decoded));
    }
}

TEST_CASE("every to-peer example passes the schema for messages from the server",
          "[protocol][document]") {
    auto blocks = blocks_tagged("json to-peer");
    REQUIRE(blocks.size() >= 15);
    for (const auto& block : blocks)
        require_valid(block, parse_block(block), Direction::to_peer);
}

TEST_CASE("every http example is a JSON object", "[protocol][document]") {
    std::set<std::string> http_blocks;
    for (const auto& block : fenced_blocks(read_document())) {
        if (!block.info.starts_with("json http-"))
            continue;
        http_blocks.insert(block.info);
        INFO("PROTOCOL.md line " << block.line);
        CHECK(parse_block(block).is_object());
    }
    // The sign-in answer, the supervisors' live view, the shared answers (what is sent, one as
    // stored, the list), the register's fields, a count table and times of the statistics, and
    // the error body are documented by example.
    CHECK(http_blocks == std::set<std::string>{"json http-advisor", "json http-live",
                                               "json http-answer-text", "json http-answer",
                                               "json http-answers", "json http-fields",
                                               "json http-statistics-counts",
                                               "json http-statistics-times", "json http-error"});
}

TEST_CASE("the statistics example is a table whose cells fit its rows and columns",
          "[protocol][document]") {
    auto blocks = blocks_tagged("json http-statistics-counts");
    REQUIRE(blocks.size() == 1);
    auto table = parse_block(blocks.front());
    const auto rows = table.at("rows").size();
    const auto columns = std::max<std::size_t>(table.at("columns").size(), 1);
    REQUIRE(table.at("cells").size() == rows);
    CHECK(table.at("row_totals").size() == rows);
    CHECK(table.at("column_totals").size() == columns);
    auto check_cell = [](const json& cell) {
        const auto state = cell.at("state").get<std::string>();
        if (state == "shown")
            CHECK(cell.at("value").is_number_integer());
        else if (state == "small")
            CHECK(cell.at("value") == "<5");
        else
            CHECK((state == "hidden" && cell.at("value").is_null()));
    };
    for (const auto& row : table.at("cells")) {
        REQUIRE(row.size() == columns);
        for (const auto& cell : row)
            check_cell(cell);
    }
    for (const auto& cell : table.at("row_totals"))
        check_cell(cell);
    check_cell(table.at("total"));
}

namespace {

std::set<std::string> keys_of(const json& object) {
    std::set<std::string> names;
    for (auto it = object.begin(); it != object.end(); ++it)
        names.insert(it.key());
    return names;
}

// The bounds the server holds a shared answer to (server/store/src/shared_answers.cpp).
void check_answer_text(const json& answer) {
    REQUIRE(answer.at("language").is_string());
    REQUIRE(answer.at("title").is_string());
    REQUIRE(answer.at("body").is_string());
    CHECK_FALSE(answer["title"].get<std::string>().empty());
    CHECK(answer["title"].get<std::string>().size() <= 120);
    CHECK(answer["title"].get<std::string>().find('\n') == std::string::npos);
    CHECK_FALSE(answer["body"].get<std::string>().empty());
    CHECK(answer["body"].get<std::string>().size() <= 2000);
    if (answer.contains("url") && !answer["url"].is_null()) {
        REQUIRE(answer["url"].is_string());
        CHECK(answer["url"].get<std::string>().starts_with("https://"));
        CHECK(answer["url"].get<std::string>().size() <= 500);
    }
}

void check_stored_answer(const FencedBlock& block, const json& answer) {
    INFO("PROTOCOL.md line " << block.line << ":\n" << block.body);
    CHECK(keys_of(answer) == std::set<std::string>{"id", "language", "title", "body", "url",
                                                   "updated_at", "updated_by"});
    CHECK(answer.at("id").is_number_integer());
    CHECK(answer.at("updated_by").is_string());
    REQUIRE(answer.at("updated_at").is_string());
    // ISO 8601 in UTC to the second, e.g. 2026-11-25T14:03:12Z.
    CHECK(answer["updated_at"].get<std::string>().size() == 20);
    CHECK(answer["updated_at"].get<std::string>().ends_with("Z"));
    check_answer_text(answer);
}

} // namespace

TEST_CASE("the shared answer examples carry exactly their fields, within their bounds",
          "[protocol][document]") {
    auto texts = blocks_tagged("json http-answer-text");
    REQUIRE(texts.size() == 1);
    auto text = parse_block(texts.front());
    CHECK(keys_of(text) == std::set<std::string>{"language", "title", "body", "url"});
    check_answer_text(text);

    auto stored = blocks_tagged("json http-answer");
    REQUIRE(stored.size() == 1);
    auto answer = parse_block(stored.front());
    CHECK(keys_of(answer) == std::set<std::string>{"answer"});
    check_stored_answer(stored.front(), answer.at("answer"));

    auto lists = blocks_tagged("json http-answers");
    REQUIRE(lists.size() == 1);
    auto list = parse_block(lists.front());
    CHECK(keys_of(list) == std::set<std::string>{"answers"});
    REQUIRE(list.at("answers").is_array());
    REQUIRE(list["answers"].size() >= 2);
    bool shows_no_link = false;
    for (const auto& item : list["answers"]) {
        check_stored_answer(lists.front(), item);
        shows_no_link = shows_no_link || item["url"].is_null();
    }
    CHECK(shows_no_link);
}

TEST_CASE("the live view example is metadata: queues per language and loads per advisor",
          "[protocol][document]") {
    auto blocks = blocks_tagged("json http-live");
    REQUIRE(blocks.size() == 1);
    auto live = parse_block(blocks.front());
    INFO("PROTOCOL.md line " << blocks.front().line << ":\n" << blocks.front().body);
    CHECK(live.size() == 3);
    REQUIRE(live.at("languages").is_array());
    REQUIRE(live.at("advisors").is_array());
    REQUIRE(live.at("conversations").is_array());
    const std::set<std::string> language_fields = {"language",
                                                   "autonym",
                                                   "dir",
                                                   "waiting",
                                                   "longest_wait_seconds",
                                                   "advisors_signed_in",
                                                   "advisors_available",
                                                   "unmet_requests"};
    const std::set<std::string> advisor_fields = {"name",   "point",  "point_name", "languages",
                                                  "status", "active", "capacity",   "connected"};
    auto keys = [](const json& object) {
        std::set<std::string> names;
        for (auto it = object.begin(); it != object.end(); ++it)
            names.insert(it.key());
        return names;
    };
    REQUIRE_FALSE(live.at("languages").empty());
    for (const auto& language : live.at("languages"))
        CHECK(keys(language) == language_fields);
    REQUIRE_FALSE(live.at("advisors").empty());
    for (const auto& advisor : live.at("advisors"))
        CHECK(keys(advisor) == advisor_fields);
    // Conversations: who, where and how long, never a word of what was said.
    const std::set<std::string> conversation_fields = {"conversation",
                                                       "language",
                                                       "home",
                                                       "channel",
                                                       "point",
                                                       "point_name",
                                                       "advisors",
                                                       "duration_seconds",
                                                       "waiting_for_advisor"};
    REQUIRE_FALSE(live.at("conversations").empty());
    for (const auto& talk : live.at("conversations"))
        CHECK(keys(talk) == conversation_fields);
}

TEST_CASE("PROTOCOL.md shows an example of every message type of the schema",
          "[protocol][document]") {
    const std::map<std::string, std::set<std::string>> documented_types = {
        {"json to-server",
         {"request",         "cancel",        "message", "ack",       "end",
          "presence",        "accept",        "decline", "directory", "consult_open",
          "consult_message", "consult_close", "invite",  "transfer",  "leave",
          "customer_code",   "join",          "wrapup",  "rate",      "typing",
          "resume"}},
        {"json to-peer",
         {"welcome",
          "queued",
          "alternatives",
          "request_closed",
          "offer",
          "offer_withdrawn",
          "conversation_started",
          "advisor_connection",
          "message",
          "accepted",
          "conversation_ended",
          "presence",
          "error",
          "directory",
          "consult_opened",
          "consult_message",
          "consult_closed",
          "handover",
          "advisor_joined",
          "advisor_left",
          "conversation_left",
          "customer_code",
          "customer_joined",
          "customer_left",
          "wrapup_due",
          "wrapup_done",
          "rated",
          "typing",
          "client_connection",
          "resumed"}},
    };
    for (const auto& [info, expected_types] : documented_types) {
        std::set<std::string> shown;
        for (const auto& block : blocks_tagged(info))
            shown.insert(parse_block(block).at("type").get<std::string>());
        INFO("```" << info);
        CHECK(shown == expected_types);
    }
}

TEST_CASE("PROTOCOL.md shows a welcome for every endpoint", "[protocol][document]") {
    // The advisor's welcome has its own `advisor` object, the clerk's its `clerk`; a client's
    // neither.
    std::set<std::string> roles;
    for (const auto& block : blocks_tagged("json to-peer")) {
        auto message = parse_block(block);
        if (message.at("type") != "welcome")
            continue;
        auto role = message.at("role").get<std::string>();
        roles.insert(role);
        CHECK(message.contains("advisor") == (role == "advisor"));
        CHECK(message.contains("clerk") == (role == "clerk"));
    }
    CHECK(roles == std::set<std::string>{"client", "advisor", "clerk"});
}

TEST_CASE("every error code the server sends is listed in the error-code table",
          "[protocol][document]") {
    // Kept by hand: the codes the core and the protocol layer put into `error` messages. A code
    // added to the code must be added here and to the document.
    const std::set<std::string> emitted_codes = {
        "bad_json",
        "unknown_type",
        "missing_field",
        "invalid_field",
        "not_allowed",
        "unknown_language",
        "unknown_municipality",
        "already_requested",
        "not_in_conversation",
        "empty_message",
        "message_too_long",
        "no_such_offer",
        "advisor_unavailable",
        "unknown_request",
        "session_replaced",
        "server_busy",
        "unknown_colleague",
        "already_in_conversation",
        "handover_pending",
        "not_lead",
        "only_advisor",
        "not_in_consult",
        "unknown_code",
        "wrapup_saving",
        "not_saved",
        "resume_expired",
        "rate_limited",
        "too_many_attempts",
    };
    auto table = error_table_codes(read_document());
    REQUIRE_FALSE(table.empty());
    for (const auto& code : emitted_codes) {
        INFO("error code " << code);
        CHECK(table.count(code) == 1);
    }
    // And the other way round: the table documents no code that nothing sends.
    for (const auto& code : table) {
        INFO("documented error code " << code);
        CHECK(emitted_codes.count(code) == 1);
    }
}

TEST_CASE("every HTTP error body the server sends is listed in the error-code table",
          "[protocol][document]") {
    // Kept by hand: the codes of the {"error": ..., "reason": ...} bodies of the HTTP layer
    // (server/net: sign-in, sessions, the WebSocket upgrade, shared answers, statistics).
    const std::set<std::string> http_codes = {
        "bad_request",        "bad_credentials",   "not_authenticated", "not_allowed",
        "invalid_field",      "unknown_language",  "invalid_parameter", "not_found",
        "origin_not_allowed", "too_many_attempts",
    };
    auto table = http_error_table_codes(read_document());
    for (const auto& code : http_codes) {
        INFO("HTTP error code " << code);
        CHECK(table.count(code) == 1);
    }
    for (const auto& code : table) {
        INFO("documented HTTP error code " << code);
        CHECK(http_codes.count(code) == 1);
    }
    // A refused upgrade during shutdown says server_busy (503), a code the table lists once for
    // both kinds of answer.
    CHECK(error_table_codes(read_document()).count("server_busy") == 1);
}
