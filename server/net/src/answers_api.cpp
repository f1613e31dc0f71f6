#include "answers_api.hpp"

#include "http_support.hpp"
#include "log.hpp"

#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <ctime>
#include <memory>
#include <optional>

namespace neuvo::net {
namespace {

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
using Outcome = store::SharedAnswerChange::Outcome;

constexpr std::string_view collection_path = "/api/answers";
constexpr std::array<std::string_view, 4> answer_fields = {"language", "title", "body", "url"};

// An answer to give instead of doing the work.
struct Refusal {
    http::status status;
    std::string code;
    std::string reason;
};

Refusal invalid_field(std::string_view name, std::string_view problem) {
    return {http::status::bad_request, "invalid_field",
            "field \"" + std::string(name) + "\" " + std::string(problem)};
}

// Only a value shaped like a tag is quoted back: the query string is raw bytes, and a reason
// must stay valid UTF-8 and free of markup.
Refusal unknown_language(std::string_view tag) {
    const bool quotable =
        !tag.empty() && tag.size() <= 35 && std::all_of(tag.begin(), tag.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '-';
        });
    return {http::status::bad_request, "unknown_language",
            quotable ? "language \"" + std::string(tag) + "\" is not served by this network"
                     : std::string("the language is not served by this network")};
}

// The value of `name` in a query string such as "language=ar", or nothing when it is absent.
std::optional<std::string> query_value(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        auto end = query.find('&');
        auto pair = query.substr(0, end);
        auto equals = pair.find('=');
        if (pair.substr(0, equals) == name)
            return std::string(equals == std::string_view::npos ? std::string_view()
                                                                : pair.substr(equals + 1));
        if (end == std::string_view::npos)
            break;
        query.remove_prefix(end + 1);
    }
    return std::nullopt;
}

std::optional<std::int64_t> parse_id(std::string_view text) {
    std::int64_t id = 0;
    if (text.empty() || text.size() > 18 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    std::from_chars(text.data(), text.data() + text.size(), id);
    return id;
}

// The body of POST and PUT: every field of an answer, and nothing else.
std::optional<Refusal> read_text(const std::string& body, const core::ServiceNetwork& network,
                                 store::SharedAnswerText& text) {
    auto json = nlohmann::json::parse(body, nullptr, false);
    if (!json.is_object())
        return Refusal{http::status::bad_request, "bad_request",
                       "Send the answer as a JSON object with \"language\", \"title\", \"body\" "
                       "and optionally \"url\"."};
    for (auto it = json.begin(); it != json.end(); ++it)
        if (std::find(answer_fields.begin(), answer_fields.end(), it.key()) == answer_fields.end())
            return invalid_field(it.key(), "is not part of an answer");
    for (auto [name, target] : {std::pair{"language", &text.language},
                                std::pair{"title", &text.title}, std::pair{"body", &text.body}}) {
        if (!json.contains(name))
            return invalid_field(name, "is required");
        if (!json[name].is_string())
            return invalid_field(name, "must be a string");
        *target = json[name].get<std::string>();
    }
    if (json.contains("url") && !json["url"].is_null()) {
        if (!json["url"].is_string())
            return invalid_field("url", "must be a string or null");
        text.url = json["url"].get<std::string>();
    }
    if (!network.find_language(text.language))
        return unknown_language(text.language);
    return std::nullopt;
}

std::string iso_time(std::int64_t unix_seconds) {
    const auto time = static_cast<std::time_t>(unix_seconds);
    std::tm parts{};
    gmtime_r(&time, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

nlohmann::json answer_json(const store::SharedAnswer& answer) {
    return {{"id", answer.id},
            {"language", answer.language},
            {"title", answer.title},
            {"body", answer.body},
            {"url", answer.url.empty() ? nlohmann::json(nullptr) : nlohmann::json(answer.url)},
            {"updated_at", iso_time(answer.updated_at)},
            {"updated_by", answer.updated_by}};
}

// One request from the session lookup to the reply. Every step after the first runs on the
// connection's executor; the store's threads only hand results over.
class AnswersCall : public std::enable_shared_from_this<AnswersCall> {
public:
    AnswersCall(ServerContext& context, const Request& request,
                boost::asio::any_io_executor executor, std::function<void(Response)> reply)
        : context_(context), executor_(std::move(executor)), reply_(std::move(reply)),
          method_(request.method()), version_(request.version()),
          keep_alive_(request.keep_alive()) {}

    void start(const Request& request) {
        const std::string_view target(request.target().data(), request.target().size());
        auto question = target.find('?');
        auto path = target.substr(0, question);
        auto query =
            question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
        if (path == collection_path) {
            if (method_ != http::verb::get && method_ != http::verb::post)
                return refuse({http::status::method_not_allowed, "bad_request",
                               "Use GET or POST on /api/answers."});
        } else {
            id_ = parse_id(path.substr(collection_path.size() + 1));
            if (!id_)
                return refuse(no_such_answer());
            if (method_ != http::verb::put && method_ != http::verb::delete_)
                return refuse({http::status::method_not_allowed, "bad_request",
                               "Use PUT or DELETE on /api/answers/{id}."});
        }

        auto token = cookie_value(request[http::field::cookie], session_cookie);
        if (!token)
            return refuse(not_signed_in());

        // Read now, on the connection's strand; told only once the session allows it.
        if (method_ == http::verb::get) {
            if (auto language = query_value(query, "language")) {
                language_ = *language;
                if (!context_.hub.network().find_language(language_))
                    problem_ = unknown_language(language_);
            }
        } else if (method_ != http::verb::delete_) {
            problem_ = read_text(request.body(), context_.hub.network(), text_);
        }

        context_.store.find_session(
            *token, [self = shared_from_this()](std::optional<store::AdvisorAccount> account) {
                boost::asio::post(self->executor_, [self, account = std::move(account)] {
                    self->on_session(account);
                });
            });
    }

private:
    static Refusal not_signed_in() {
        return {http::status::unauthorized, "not_authenticated", "Not signed in."};
    }
    static Refusal no_such_answer() {
        return {http::status::not_found, "not_found", "No shared answer with this id."};
    }

    void on_session(const std::optional<store::AdvisorAccount>& account) {
        if (!account)
            return refuse(not_signed_in());
        const auto& role = account->role;
        const bool writes = method_ != http::verb::get;
        if (writes && role != "supervisor" && role != "admin")
            return refuse({http::status::forbidden, "not_allowed",
                           "Only supervisors and admins change the shared answers."});
        if (role != "advisor" && role != "supervisor" && role != "admin")
            return refuse({http::status::forbidden, "not_allowed",
                           "This account cannot use the shared answers."});
        if (problem_)
            return refuse(*problem_);
        account_ = *account;

        auto self = shared_from_this();
        auto changed = [self](store::SharedAnswerChange change) {
            boost::asio::post(self->executor_, [self, change = std::move(change)]() mutable {
                self->on_changed(std::move(change));
            });
        };
        switch (method_) {
        case http::verb::get:
            return context_.store.list_shared_answers(
                language_, [self](std::optional<std::vector<store::SharedAnswer>> answers) {
                    boost::asio::post(self->executor_, [self, answers = std::move(answers)] {
                        self->on_listed(answers);
                    });
                });
        case http::verb::post:
            return context_.store.add_shared_answer(text_, account_.login, changed);
        case http::verb::put:
            return context_.store.update_shared_answer(*id_, text_, account_.login, changed);
        default:
            return context_.store.delete_shared_answer(*id_, changed);
        }
    }

    void on_listed(const std::optional<std::vector<store::SharedAnswer>>& answers) {
        if (!answers)
            return refuse(store_failed());
        nlohmann::json list = nlohmann::json::array();
        for (const auto& answer : *answers)
            list.push_back(answer_json(answer));
        nlohmann::json body = {{"answers", std::move(list)}};
        reply_(json_response(http::status::ok, body.dump(), version_, keep_alive_));
    }

    void on_changed(store::SharedAnswerChange change) {
        switch (change.outcome) {
        case Outcome::invalid:
            return refuse({http::status::bad_request, "invalid_field", change.reason});
        case Outcome::not_found:
            return refuse(no_such_answer());
        case Outcome::failed:
            return refuse(store_failed());
        case Outcome::done:
            break;
        }
        const auto answer_id = change.answer ? change.answer->id : *id_;
        log_event(
            LogLevel::info,
            method_ == http::verb::post  ? "shared_answer_added"
            : method_ == http::verb::put ? "shared_answer_updated"
                                         : "shared_answer_deleted",
            {{"advisor", std::to_string(account_.id)}, {"answer", std::to_string(answer_id)}});
        if (!change.answer) {
            Response response{http::status::no_content, version_};
            response.keep_alive(keep_alive_);
            return reply_(std::move(response));
        }
        nlohmann::json body = {{"answer", answer_json(*change.answer)}};
        reply_(json_response(method_ == http::verb::post ? http::status::created : http::status::ok,
                             body.dump(), version_, keep_alive_));
    }

    static Refusal store_failed() {
        return {http::status::service_unavailable, "server_busy",
                "The shared answers could not be reached; try again."};
    }

    // Always through the executor: the caller's stack may still be inside the session's read.
    void refuse(const Refusal& refusal) {
        boost::asio::post(executor_,
                          [self = shared_from_this(),
                           response = error_response(refusal.status, refusal.code, refusal.reason,
                                                     version_, keep_alive_)]() mutable {
                              self->reply_(std::move(response));
                          });
    }

    ServerContext& context_;
    boost::asio::any_io_executor executor_;
    std::function<void(Response)> reply_;
    http::verb method_;
    unsigned version_;
    bool keep_alive_;
    std::optional<std::int64_t> id_;
    std::string language_; // GET: empty for every language
    store::SharedAnswerText text_;
    std::optional<Refusal> problem_; // bad input, answered once the session allows the request
    store::AdvisorAccount account_;
};

} // namespace

bool is_answers_path(std::string_view path) {
    return path == collection_path ||
           (path.starts_with(collection_path) && path.size() > collection_path.size() &&
            path[collection_path.size()] == '/');
}

void serve_answers(ServerContext& context, const http::request<http::string_body>& request,
                   boost::asio::any_io_executor executor,
                   std::function<void(http::response<http::string_body>)> reply) {
    std::make_shared<AnswersCall>(context, request, std::move(executor), std::move(reply))
        ->start(request);
}

} // namespace neuvo::net
