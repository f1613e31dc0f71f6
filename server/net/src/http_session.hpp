#pragma once

#include "answers_api.hpp"
#include "client_network.hpp"
#include "http_support.hpp"
#include "live_view_json.hpp"
#include "log.hpp"
#include "metrics_endpoint.hpp"
#include "server_context.hpp"
#include "static_files.hpp"
#include "statistics_api.hpp"
#include "websocket_session.hpp"

#include "neuvo/protocol/messages.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <type_traits>

namespace neuvo::net {

namespace beast = boost::beast;
namespace http = beast::http;

using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using PlainStream = beast::tcp_stream;

// One HTTP connection (TLS or plain): the TLS handshake, then requests one at a time: static
// files, health, the sign-in API, and the upgrade to a WebSocket session.
template <class Stream>
class HttpSession : public std::enable_shared_from_this<HttpSession<Stream>> {
    static constexpr bool tls = std::is_same_v<Stream, TlsStream>;
    using Request = http::request<http::string_body>;

public:
    template <class... StreamArgs>
    HttpSession(ConnectionSlot slot, ServerContext& context, StreamArgs&&... stream_args)
        : stream_(std::forward<StreamArgs>(stream_args)...), slot_(std::move(slot)),
          context_(context) {}

    void run() {
        boost::asio::post(stream_.get_executor(), [self = self()] { self->start(); });
    }

private:
    std::shared_ptr<HttpSession> self() { return this->shared_from_this(); }

    void start() {
        // Known now, while the socket is surely connected: sign-ins and join codes are
        // throttled by it, an IPv6 client by its network as the connection limits count it.
        beast::error_code ignored;
        client_network_ =
            client_network(
                beast::get_lowest_layer(stream_).socket().remote_endpoint(ignored).address(),
                context_.config.limits.ipv6_prefix_length)
                .to_string();
        beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(15));
        if constexpr (tls)
            stream_.async_handshake(boost::asio::ssl::stream_base::server,
                                    beast::bind_front_handler(&HttpSession::on_handshake, self()));
        else
            read_next();
    }

    void on_handshake(beast::error_code error) {
        if (error) {
            log_event(LogLevel::debug, "tls_handshake_failed", {{"error", error.message()}});
            return;
        }
        read_next();
    }

    void read_next() {
        parser_.emplace();
        parser_->header_limit(16 * 1024);
        parser_->body_limit(context_.config.limits.max_http_body_bytes);
        beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
        http::async_read(stream_, buffer_, *parser_,
                         beast::bind_front_handler(&HttpSession::on_read, self()));
    }

    void on_read(beast::error_code error, std::size_t) {
        if (error == http::error::end_of_stream)
            return shut_down();
        if (error == http::error::body_limit) {
            Request request = parser_->release();
            return respond(error_response(http::status::payload_too_large, "bad_request",
                                          "The request body is too large.", request.version(),
                                          false));
        }
        if (error) {
            if (error != beast::error::timeout && error != boost::asio::error::operation_aborted)
                respond(error_response(http::status::bad_request, "bad_request",
                                       "The request could not be read.", 11, false));
            return;
        }
        // A whole request has come: from now on the connection counts only as a connection
        // against its address's limits, no longer as a handshake.
        slot_.handshake_done();
        Request request = parser_->release();
        if (beast::websocket::is_upgrade(request))
            return upgrade(std::move(request));
        route(std::move(request));
    }

    // ---- WebSocket upgrade ----

    void upgrade(Request request) {
        auto path = std::string(request.target().substr(0, request.target().find('?')));
        if (path != "/ws/client" && path != "/ws/advisor" && path != "/ws/clerk")
            return respond(error_response(http::status::not_found, "not_found",
                                          "No WebSocket endpoint at this path.", request.version(),
                                          false));
        // Before anything else is looked at, the cookie above all: a browser sends an advisor's
        // cookie with a handshake that any site's page starts, and only the Origin tells them
        // apart (cross-site WebSocket hijacking).
        if (!origin_allowed(request[http::field::origin], context_.allowed_origins)) {
            auto origin = std::string(request[http::field::origin].substr(0, 100));
            log_event(LogLevel::info, "websocket_origin_refused",
                      {{"path", path}, {"origin", origin.empty() ? "(none)" : origin}});
            return respond(error_response(http::status::forbidden, "origin_not_allowed",
                                          "Pages of this origin may not open a WebSocket here.",
                                          request.version(), false));
        }
        if (!header_lists(request[http::field::sec_websocket_protocol], protocol::subprotocol))
            return respond(error_response(http::status::bad_request, "bad_request",
                                          "The neuvo.v1 WebSocket subprotocol is required.",
                                          request.version(), false));
        if (context_.stopping)
            return respond(error_response(http::status::service_unavailable, "server_busy",
                                          "The server is shutting down.", request.version(),
                                          false));
        if (path == "/ws/client") {
            core::Requester requester;
            requester.address = client_network_;
            return accept_websocket(std::move(request), std::nullopt, std::move(requester));
        }

        auto token = cookie_value(request[http::field::cookie], session_cookie);
        if (!token)
            return respond(error_response(http::status::unauthorized, "not_authenticated",
                                          "Sign in first.", request.version(), false));
        auto shared_request = std::make_shared<Request>(std::move(request));
        const bool clerk = path == "/ws/clerk";
        session_token_ = *token;
        context_.store.find_session(*token, [self = self(), shared_request,
                                             clerk](std::optional<store::AdvisorAccount> account) {
            boost::asio::post(self->stream_.get_executor(), [self, shared_request, account, clerk] {
                if (clerk)
                    self->on_clerk_session(std::move(*shared_request), account);
                else
                    self->on_advisor_session(std::move(*shared_request), account);
            });
        });
    }

    void on_advisor_session(Request request, const std::optional<store::AdvisorAccount>& account) {
        if (!account)
            return respond(error_response(http::status::unauthorized, "not_authenticated",
                                          "The session has ended. Sign in again.",
                                          request.version(), false));
        if (account->role != "advisor" && account->role != "supervisor")
            return respond(error_response(http::status::forbidden, "not_allowed",
                                          "This account cannot take conversations.",
                                          request.version(), false));
        accept_websocket(std::move(request),
                         core::AdvisorProfile{account->id, account->display_name, account->point_id,
                                              account->languages});
    }

    // A clerk asks for language support as a client would, for a customer at their desk: the
    // request is routed like any other, from the municipality of the clerk's point unless the
    // customer's own is given.
    void on_clerk_session(Request request, const std::optional<store::AdvisorAccount>& account) {
        if (!account)
            return respond(error_response(http::status::unauthorized, "not_authenticated",
                                          "The session has ended. Sign in again.",
                                          request.version(), false));
        if (account->role != "clerk")
            return respond(error_response(http::status::forbidden, "not_allowed",
                                          "Only clerks ask for language support here.",
                                          request.version(), false));
        const auto* point = context_.hub.network().find_point(account->point_id);
        core::Requester requester{"language-support", account->organisation,
                                  point ? point->municipality : std::string(), client_network_};
        accept_websocket(std::move(request), std::nullopt, std::move(requester));
    }

    void accept_websocket(Request request, std::optional<core::AdvisorProfile> advisor,
                          core::Requester requester = {}) {
        beast::get_lowest_layer(stream_).expires_never();
        std::make_shared<WebSocketSession<Stream>>(std::move(stream_), std::move(slot_), context_,
                                                   std::move(advisor), std::move(requester),
                                                   std::move(session_token_))
            ->run(std::move(request));
    }

    // ---- Plain requests ----

    void route(Request request) {
        auto target = request.target();
        auto path = target.substr(0, target.find('?'));
        auto method = request.method();
        if (path == "/healthz" && (method == http::verb::get || method == http::verb::head))
            return respond(json_response(http::status::ok, R"({"status":"ok"})", request.version(),
                                         request.keep_alive()));
        if (path == "/api/sign-in")
            return method == http::verb::post ? sign_in(std::move(request))
                                              : method_not_allowed(request);
        if (path == "/api/sign-out")
            return method == http::verb::post ? sign_out(std::move(request))
                                              : method_not_allowed(request);
        if (path == "/api/session")
            return method == http::verb::get ? current_session(std::move(request))
                                             : method_not_allowed(request);
        if (path == "/api/live")
            return method == http::verb::get ? live_view(std::move(request))
                                             : method_not_allowed(request);
        if (is_answers_path(path))
            return shared_answers(std::move(request));
        if (is_statistics_path(path))
            return statistics(std::move(request));
        // Only with a token (the configuration requires one there): never anonymously here.
        if (path == metrics_path && context_.config.metrics.enabled &&
            context_.config.metrics.on_public_port)
            return serve_metrics(context_, request, stream_.get_executor(),
                                 [self = self()](http::response<http::string_body> response) {
                                     self->respond(std::move(response));
                                 });
        if (path.starts_with("/api/") || path.starts_with("/ws/"))
            return respond(error_response(http::status::not_found, "not_found", "No such resource.",
                                          request.version(), request.keep_alive()));
        if (method != http::verb::get && method != http::verb::head)
            return method_not_allowed(request);
        serve_file(request);
    }

    void method_not_allowed(const Request& request) {
        respond(error_response(http::status::method_not_allowed, "bad_request",
                               "This method is not allowed here.", request.version(),
                               request.keep_alive()));
    }

    void serve_file(const Request& request) {
        auto file = resolve_static_path(context_.config.document_root, request.target());
        if (!file)
            return respond(error_response(http::status::not_found, "not_found", "No such file.",
                                          request.version(), request.keep_alive()));
        http::file_body::value_type body;
        beast::error_code error;
        body.open(file->c_str(), beast::file_mode::scan, error);
        if (error)
            return respond(error_response(http::status::not_found, "not_found", "No such file.",
                                          request.version(), request.keep_alive()));
        auto size = body.size();
        if (request.method() == http::verb::head) {
            http::response<http::empty_body> response{http::status::ok, request.version()};
            response.set(http::field::content_type, content_type_for(*file));
            response.content_length(size);
            response.keep_alive(request.keep_alive());
            return respond(std::move(response));
        }
        http::response<http::file_body> response{
            std::piecewise_construct, std::make_tuple(std::move(body)),
            std::make_tuple(http::status::ok, request.version())};
        response.set(http::field::content_type, content_type_for(*file));
        response.set(http::field::cache_control, "no-cache");
        response.content_length(size);
        response.keep_alive(request.keep_alive());
        respond(std::move(response));
    }

    // ---- Advisor sign-in API ----

    static nlohmann::json advisor_json(const store::AdvisorAccount& account,
                                       const core::ServiceNetwork& network) {
        const auto* point = network.find_point(account.point_id);
        nlohmann::json json = {
            {"login", account.login},         {"name", account.display_name},
            {"point", account.point_id},      {"point_name", point ? point->name : std::string()},
            {"languages", account.languages}, {"role", account.role}};
        if (!account.organisation.empty())
            json["organisation"] = account.organisation;
        if (account.role == "supervisor")
            json["national"] = account.national;
        return json;
    }

    void sign_in(Request request) {
        auto body = nlohmann::json::parse(request.body(), nullptr, false);
        if (!body.is_object() || !body.contains("login") || !body["login"].is_string() ||
            !body.contains("password") || !body["password"].is_string())
            return respond(error_response(http::status::bad_request, "bad_request",
                                          "Send {\"login\": ..., \"password\": ...} as JSON.",
                                          request.version(), request.keep_alive()));
        auto version = request.version();
        auto keep_alive = request.keep_alive();
        auto login = body["login"].get<std::string>();
        // Refused before the password is looked at: a guesser must not cost an argon2id check.
        if (auto wait = context_.sign_in_guard.begin(login, client_network_)) {
            context_.hub.metrics().rate_limited(RateLimit::sign_in);
            log_event(LogLevel::warning, "sign_in_throttled",
                      {{"retry_after_seconds", std::to_string(wait->count())}});
            return respond(too_many_attempts(*wait, version, keep_alive));
        }
        context_.store.sign_in(
            login, body["password"].get<std::string>(),
            [self = self(), version, keep_alive, login](std::optional<store::SessionGrant> grant) {
                boost::asio::post(self->stream_.get_executor(),
                                  [self, version, keep_alive, login, grant = std::move(grant)] {
                                      self->on_signed_in(grant, login, version, keep_alive);
                                  });
            });
    }

    static http::response<http::string_body> too_many_attempts(std::chrono::seconds wait,
                                                               unsigned version, bool keep_alive) {
        nlohmann::json body = {{"error", "too_many_attempts"},
                               {"reason", "Too many failed sign-ins. Try again in " +
                                              std::to_string(wait.count()) + " seconds."},
                               {"retry_after_seconds", wait.count()}};
        auto response =
            json_response(http::status::too_many_requests, body.dump(), version, keep_alive);
        response.set(http::field::retry_after, std::to_string(wait.count()));
        return response;
    }

    void on_signed_in(const std::optional<store::SessionGrant>& grant, const std::string& login,
                      unsigned version, bool keep_alive) {
        if (grant)
            context_.sign_in_guard.succeeded(login, client_network_);
        if (!grant) {
            log_event(LogLevel::info, "sign_in_refused");
            return respond(error_response(http::status::unauthorized, "bad_credentials",
                                          "Unknown login or wrong password.", version, keep_alive));
        }
        log_event(LogLevel::info, "signed_in", {{"advisor", std::to_string(grant->advisor.id)}});
        nlohmann::json body = {{"advisor", advisor_json(grant->advisor, context_.hub.network())}};
        auto response = json_response(http::status::ok, body.dump(), version, keep_alive);
        response.set(http::field::set_cookie,
                     std::string(session_cookie) + "=" + grant->token +
                         "; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=" +
                         std::to_string(context_.config.limits.session_lifetime.count()));
        respond(std::move(response));
    }

    void sign_out(Request request) {
        if (auto token = cookie_value(request[http::field::cookie], session_cookie))
            context_.store.sign_out(*token);
        http::response<http::empty_body> response{http::status::no_content, request.version()};
        response.set(http::field::set_cookie,
                     std::string(session_cookie) +
                         "=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0");
        response.keep_alive(request.keep_alive());
        respond(std::move(response));
    }

    void current_session(Request request) {
        auto token = cookie_value(request[http::field::cookie], session_cookie);
        auto version = request.version();
        auto keep_alive = request.keep_alive();
        if (!token)
            return respond(error_response(http::status::unauthorized, "not_authenticated",
                                          "Not signed in.", version, keep_alive));
        context_.store.find_session(*token, [self = self(), version,
                                             keep_alive](std::optional<store::AdvisorAccount> a) {
            boost::asio::post(self->stream_.get_executor(), [self, version, keep_alive, a] {
                if (!a)
                    return self->respond(error_response(http::status::unauthorized,
                                                        "not_authenticated", "Not signed in.",
                                                        version, keep_alive));
                nlohmann::json body = {{"advisor", advisor_json(*a, self->context_.hub.network())}};
                self->respond(json_response(http::status::ok, body.dump(), version, keep_alive));
            });
        });
    }

    // ---- Supervisors' live view: queues and loads, never content ----

    void live_view(Request request) {
        auto token = cookie_value(request[http::field::cookie], session_cookie);
        auto version = request.version();
        auto keep_alive = request.keep_alive();
        if (!token)
            return respond(error_response(http::status::unauthorized, "not_authenticated",
                                          "Not signed in.", version, keep_alive));
        context_.store.find_session(*token, [self = self(), version, keep_alive](
                                                std::optional<store::AdvisorAccount> account) {
            boost::asio::post(self->stream_.get_executor(), [self, version, keep_alive, account] {
                self->on_live_view_session(account, version, keep_alive);
            });
        });
    }

    void on_live_view_session(const std::optional<store::AdvisorAccount>& account, unsigned version,
                              bool keep_alive) {
        if (!account)
            return respond(error_response(http::status::unauthorized, "not_authenticated",
                                          "Not signed in.", version, keep_alive));
        if (account->role != "supervisor" && account->role != "admin")
            return respond(error_response(http::status::forbidden, "not_allowed",
                                          "Only supervisors see the live view.", version,
                                          keep_alive));
        // A supervisor of one point sees that point's advisors and conversations; the queues are
        // shared by every point, so they see them whole. National supervisors and admins see all.
        std::optional<std::string> only_point;
        if (account->role == "supervisor" && !account->national)
            only_point = account->point_id;
        context_.hub.live_view(
            [self = self(), version, keep_alive, only_point](core::LiveView view) {
                if (only_point) {
                    std::erase_if(view.advisors, [&](const core::AdvisorView& advisor) {
                        return advisor.point_id != *only_point;
                    });
                    std::erase_if(view.conversations, [&](const core::ConversationView& talk) {
                        return talk.point_id != *only_point;
                    });
                }
                auto body = live_view_json(view, self->context_.hub.network()).dump();
                boost::asio::post(self->stream_.get_executor(),
                                  [self, version, keep_alive, body = std::move(body)]() mutable {
                                      self->respond(json_response(http::status::ok, std::move(body),
                                                                  version, keep_alive));
                                  });
            });
    }

    // ---- Shared answers (answers_api.cpp) ----

    void shared_answers(Request request) {
        serve_answers(context_, request, stream_.get_executor(),
                      [self = self()](http::response<http::string_body> response) {
                          self->respond(std::move(response));
                      });
    }

    // ---- The register's fields and statistics (statistics_api.cpp) ----

    void statistics(Request request) {
        serve_statistics(context_, request, stream_.get_executor(),
                         [self = self()](http::response<http::string_body> response) {
                             self->respond(std::move(response));
                         });
    }

    // ---- Writing ----

    template <class Body> void respond(http::response<Body> response) {
        context_.hub.metrics().http_response(response.result_int());
        add_security_headers(response.base(), tls);
        auto shared = std::make_shared<http::response<Body>>(std::move(response));
        beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
        http::async_write(stream_, *shared,
                          [self = self(), shared](beast::error_code error, std::size_t) {
                              if (error)
                                  return;
                              if (shared->keep_alive())
                                  self->read_next();
                              else
                                  self->shut_down();
                          });
    }

    void shut_down() {
        beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
        if constexpr (tls)
            stream_.async_shutdown([self = self()](beast::error_code) {});
        else {
            beast::error_code ignored;
            stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
        }
    }

    Stream stream_;
    ConnectionSlot slot_;
    ServerContext& context_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::string client_network_;
    std::string session_token_; // of an advisor's or clerk's upgrade, for its socket to keep fresh
};

} // namespace neuvo::net
