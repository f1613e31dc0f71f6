// The shared answers over real HTTPS: who may read and who may write them, and every bad input
// answered with its field and no change to what is stored.

#include "test_server.hpp"
#include "wss_client.hpp"

#include <catch2/catch.hpp>

using namespace neuvo::testing;
using nlohmann::json;

namespace {

constexpr auto password = "correct horse 1";

const std::vector<AdvisorLogin> people = {
    {"aino", "Aino", "091-virka", "fi,ar"},
    {"sanna", "Sanna", "091-virka", "fi", password, "supervisor"},
    {"ilona", "Ilona", "091-virka", "fi", password, "admin"},
    {"tilasto", "Tilasto", "091-virka", "fi", password, "statistician"},
};

const json permit = {{"language", "ar"},
                     {"title", "تصريح الإقامة"},
                     {"body", "قدّم طلب تصريح الإقامة عبر خدمة Enter Finland."},
                     {"url", "https://migri.fi/ar/residence-permit"}};

json answers(const TestServer& server, const std::string& cookie, const std::string& query = "") {
    auto response = https_request(server.port(), "GET", "/api/answers" + query, {}, cookie);
    REQUIRE(response.status == 200);
    CHECK(response.headers["cache-control"] == "no-store");
    return json::parse(response.body).at("answers");
}

void require_error(const HttpResult& response, int status, const std::string& code,
                   const std::string& reason) {
    INFO(response.status << " " << response.body);
    REQUIRE(response.status == status);
    auto body = json::parse(response.body);
    CHECK(body["error"] == code);
    CHECK_THAT(body["reason"].get<std::string>(), Catch::Contains(reason));
}

} // namespace

TEST_CASE("advisors read the shared answers, supervisors and admins write them",
          "[integration][answers]") {
    TestServer server(people);
    const auto aino = sign_in(server.port(), "aino", password);
    const auto sanna = sign_in(server.port(), "sanna", password);
    const auto ilona = sign_in(server.port(), "ilona", password);

    // Written by a supervisor: the answer comes back as stored.
    auto created = https_request(server.port(), "POST", "/api/answers", permit.dump(), sanna);
    REQUIRE(created.status == 201);
    auto answer = json::parse(created.body).at("answer");
    CHECK(answer["language"] == "ar");
    CHECK(answer["title"] == permit["title"]);
    CHECK(answer["body"] == permit["body"]);
    CHECK(answer["url"] == permit["url"]);
    CHECK(answer["updated_by"] == "sanna");
    CHECK(answer["updated_at"].get<std::string>().ends_with("Z"));
    const auto id = answer["id"].get<std::int64_t>();

    // An admin may too; without a URL the field is null.
    auto kela = https_request(server.port(), "POST", "/api/answers",
                              json{{"language", "fi"},
                                   {"title", "Kela-kortti"},
                                   {"body", "Kela-kortin saat Kelan toimistosta."}}
                                  .dump(),
                              ilona);
    REQUIRE(kela.status == 201);
    CHECK(json::parse(kela.body)["answer"]["url"].is_null());

    // An advisor reads them, per language or all.
    auto arabic = answers(server, aino, "?language=ar");
    REQUIRE(arabic.size() == 1);
    CHECK(arabic[0] == answer);
    CHECK(answers(server, aino).size() == 2);
    CHECK(answers(server, aino, "?language=so").empty());

    // ... but may not change them.
    const auto before = answers(server, sanna);
    require_error(https_request(server.port(), "POST", "/api/answers", permit.dump(), aino), 403,
                  "not_allowed", "Only supervisors and admins");
    require_error(https_request(server.port(), "PUT", "/api/answers/" + std::to_string(id),
                                permit.dump(), aino),
                  403, "not_allowed", "Only supervisors and admins");
    require_error(
        https_request(server.port(), "DELETE", "/api/answers/" + std::to_string(id), {}, aino), 403,
        "not_allowed", "Only supervisors and admins");
    // A statistician does not use them at all.
    require_error(https_request(server.port(), "GET", "/api/answers", {},
                                sign_in(server.port(), "tilasto", password)),
                  403, "not_allowed", "cannot use the shared answers");
    // Nobody signed in, or a session that does not exist.
    for (const auto& cookie : {std::string(), std::string("neuvo_session=00ff")}) {
        require_error(https_request(server.port(), "GET", "/api/answers", {}, cookie), 401,
                      "not_authenticated", "Not signed in");
        require_error(https_request(server.port(), "POST", "/api/answers", permit.dump(), cookie),
                      401, "not_authenticated", "Not signed in");
        require_error(https_request(server.port(), "PUT", "/api/answers/" + std::to_string(id),
                                    permit.dump(), cookie),
                      401, "not_authenticated", "Not signed in");
        require_error(https_request(server.port(), "DELETE", "/api/answers/" + std::to_string(id),
                                    {}, cookie),
                      401, "not_authenticated", "Not signed in");
    }
    CHECK(answers(server, sanna) == before);

    // The supervisor edits, the admin deletes.
    auto edited = permit;
    edited["title"] = "Oleskelulupa";
    edited["language"] = "fi";
    edited["url"] = nullptr;
    auto updated = https_request(server.port(), "PUT", "/api/answers/" + std::to_string(id),
                                 edited.dump(), sanna);
    REQUIRE(updated.status == 200);
    CHECK(json::parse(updated.body)["answer"]["title"] == "Oleskelulupa");
    CHECK(json::parse(updated.body)["answer"]["url"].is_null());
    CHECK(answers(server, aino, "?language=ar").empty());
    CHECK(answers(server, aino, "?language=fi").size() == 2);

    auto deleted =
        https_request(server.port(), "DELETE", "/api/answers/" + std::to_string(id), {}, ilona);
    CHECK(deleted.status == 204);
    CHECK(deleted.body.empty());
    CHECK(answers(server, aino).size() == 1);
    CHECK(server.log().find("shared_answer_deleted") != std::string::npos);
}

TEST_CASE("every bad input to the shared answers is refused naming the field, changing nothing",
          "[integration][answers]") {
    TestServer server(people);
    const auto sanna = sign_in(server.port(), "sanna", password);
    auto created = https_request(server.port(), "POST", "/api/answers", permit.dump(), sanna);
    REQUIRE(created.status == 201);
    const auto id = std::to_string(json::parse(created.body)["answer"]["id"].get<std::int64_t>());
    const auto stored = answers(server, sanna);

    auto with = [](const std::string& field, const json& value) {
        auto body = permit;
        body[field] = value;
        return body.dump();
    };
    auto without = [](const std::string& field) {
        auto body = permit;
        body.erase(field);
        return body.dump();
    };
    struct BadInput {
        std::string method;
        std::string target;
        std::string body;
        int status;
        std::string code;
        std::string reason;
    };
    const std::vector<BadInput> bad_inputs = {
        {"POST", "/api/answers", "not json", 400, "bad_request", "JSON object"},
        {"POST", "/api/answers", "[1, 2]", 400, "bad_request", "JSON object"},
        {"POST", "/api/answers", "{\"title\": \"\xff\xfe\"}", 400, "bad_request", "JSON object"},
        {"POST", "/api/answers", without("language"), 400, "invalid_field",
         "field \"language\" is required"},
        {"POST", "/api/answers", without("title"), 400, "invalid_field",
         "field \"title\" is required"},
        {"POST", "/api/answers", without("body"), 400, "invalid_field",
         "field \"body\" is required"},
        {"POST", "/api/answers", with("language", 7), 400, "invalid_field",
         "field \"language\" must be a string"},
        {"POST", "/api/answers", with("title", 42), 400, "invalid_field",
         "field \"title\" must be a string"},
        {"POST", "/api/answers", with("body", json::array()), 400, "invalid_field",
         "field \"body\" must be a string"},
        {"POST", "/api/answers", with("url", 5), 400, "invalid_field",
         "field \"url\" must be a string or null"},
        {"POST", "/api/answers", with("author", "sanna"), 400, "invalid_field",
         "field \"author\" is not part of an answer"},
        {"POST", "/api/answers", with("language", "xx"), 400, "unknown_language",
         "language \"xx\" is not served by this network"},
        {"POST", "/api/answers", with("title", " "), 400, "invalid_field",
         "field \"title\" must not be blank"},
        {"POST", "/api/answers", with("title", std::string(121, 'x')), 400, "invalid_field",
         "field \"title\" must be at most 120 bytes"},
        {"POST", "/api/answers", with("title", "two\nlines"), 400, "invalid_field",
         "field \"title\" must be one line"},
        {"POST", "/api/answers", with("body", "\n"), 400, "invalid_field",
         "field \"body\" must not be blank"},
        {"POST", "/api/answers", with("body", std::string(2001, 'x')), 400, "invalid_field",
         "field \"body\" must be at most 2000 bytes"},
        {"POST", "/api/answers", with("url", "http://migri.fi"), 400, "invalid_field",
         "field \"url\" must start with https://"},
        {"POST", "/api/answers", with("url", "javascript:alert(1)"), 400, "invalid_field",
         "field \"url\" must start with https://"},
        {"POST", "/api/answers", with("url", "https://migri.fi/" + std::string(500, 'x')), 400,
         "invalid_field", "field \"url\" must be at most 500 bytes"},
        {"POST", "/api/answers", with("url", "https://migri.fi/a b"), 400, "invalid_field",
         "field \"url\" must not contain spaces"},
        {"GET", "/api/answers?language=xx", "", 400, "unknown_language",
         "language \"xx\" is not served by this network"},
        {"GET", "/api/answers?language=", "", 400, "unknown_language", "not served"},
        {"GET", "/api/answers?language=%3Cb%3E", "", 400, "unknown_language",
         "the language is not served"},
        {"PUT", "/api/answers/" + id, with("body", ""), 400, "invalid_field",
         "field \"body\" must not be blank"},
        {"PUT", "/api/answers/" + id, with("language", "klingon"), 400, "unknown_language",
         "language \"klingon\" is not served"},
        {"PUT", "/api/answers/" + id, "{}", 400, "invalid_field", "field \"language\" is required"},
        {"PUT", "/api/answers/9999", permit.dump(), 404, "not_found", "No shared answer"},
        {"PUT", "/api/answers/abc", permit.dump(), 404, "not_found", "No shared answer"},
        {"PUT", "/api/answers/", permit.dump(), 404, "not_found", "No shared answer"},
        {"DELETE", "/api/answers/9999", "", 404, "not_found", "No shared answer"},
        {"DELETE", "/api/answers/99999999999999999999", "", 404, "not_found", "No shared answer"},
        {"DELETE", "/api/answers", "", 405, "bad_request", "Use GET or POST"},
        {"PATCH", "/api/answers/" + id, permit.dump(), 405, "bad_request", "Use PUT or DELETE"},
        {"GET", "/api/answers/" + id, "", 405, "bad_request", "Use PUT or DELETE"},
    };
    for (const auto& bad : bad_inputs) {
        INFO(bad.method << " " << bad.target << " " << bad.body.substr(0, 200));
        require_error(https_request(server.port(), bad.method, bad.target, bad.body, sanna),
                      bad.status, bad.code, bad.reason);
    }
    // Nothing was added, changed or removed, and the server still takes good requests.
    CHECK(answers(server, sanna) == stored);
    auto good = permit;
    good["title"] = std::string(120, 'x');
    good["body"] = std::string(2000, 'x');
    CHECK(https_request(server.port(), "POST", "/api/answers", good.dump(), sanna).status == 201);
    CHECK(answers(server, sanna).size() == 2);
}

TEST_CASE("demo-answers fills an empty list once, in the network's languages",
          "[integration][answers]") {
    TestServer server(people);
    auto first = run_server_command({"--config", server.config_file().string(), "demo-answers"});
    INFO(first.output);
    REQUIRE(first.exit_code == 0);
    const auto aino = sign_in(server.port(), "aino", password);
    auto arabic = answers(server, aino, "?language=ar");
    REQUIRE(arabic.size() == 2);
    for (const auto& answer : arabic) {
        CHECK(answer["url"].get<std::string>().starts_with("https://"));
        CHECK(answer["updated_by"] == "sanna");
    }
    const auto all = answers(server, aino);
    CHECK(all.size() == 6);

    auto second = run_server_command({"--config", server.config_file().string(), "demo-answers"});
    CHECK(second.exit_code == 0);
    CHECK_THAT(second.output, Catch::Contains("there already"));
    CHECK(answers(server, aino) == all);
}
