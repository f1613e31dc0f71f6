#include "http_support.hpp"

#include "neuvo/config/server_config.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace neuvo::net {
namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

} // namespace

std::optional<std::string> cookie_value(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        auto end = header.find(';');
        auto pair = trim(header.substr(0, end));
        auto equals = pair.find('=');
        if (equals != std::string_view::npos && trim(pair.substr(0, equals)) == name)
            return std::string(trim(pair.substr(equals + 1)));
        if (end == std::string_view::npos)
            break;
        header.remove_prefix(end + 1);
    }
    return std::nullopt;
}

bool header_lists(std::string_view header, std::string_view token) {
    while (!header.empty()) {
        auto end = header.find(',');
        if (trim(header.substr(0, end)) == token)
            return true;
        if (end == std::string_view::npos)
            break;
        header.remove_prefix(end + 1);
    }
    return false;
}

bool origin_allowed(std::string_view origin_header, const std::vector<std::string>& allowed) {
    auto origin = config::canonical_origin(trim(origin_header));
    return origin && std::find(allowed.begin(), allowed.end(), *origin) != allowed.end();
}

namespace {

void add_own_origins(std::vector<std::string>& origins, const std::string& scheme,
                     const std::string& address, unsigned short port) {
    std::vector<std::string> hosts = {"localhost", "127.0.0.1", "[::1]"};
    if (address != "0.0.0.0" && address != "::" && address != "[::]")
        hosts.push_back(address.find(':') != std::string::npos && address.front() != '['
                            ? "[" + address + "]"
                            : address);
    for (const auto& host : hosts) {
        auto origin = config::canonical_origin(scheme + "://" + host + ":" + std::to_string(port));
        if (origin && std::find(origins.begin(), origins.end(), *origin) == origins.end())
            origins.push_back(std::move(*origin));
    }
}

} // namespace

std::vector<std::string> default_allowed_origins(const std::string& tls_address,
                                                 unsigned short tls_port,
                                                 const std::string* plain_address,
                                                 unsigned short plain_port) {
    std::vector<std::string> origins;
    add_own_origins(origins, "https", tls_address, tls_port);
    if (plain_address)
        add_own_origins(origins, "http", *plain_address, plain_port);
    return origins;
}

void add_security_headers(http::response_header<>& header, bool tls) {
    header.set(http::field::server, "neuvo");
    header.set("Content-Security-Policy",
               "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
               "img-src 'self' data:; media-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
               "form-action 'self'");
    header.set("X-Content-Type-Options", "nosniff");
    header.set("X-Frame-Options", "DENY");
    header.set("Referrer-Policy", "no-referrer");
    header.set("Cross-Origin-Opener-Policy", "same-origin");
    header.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (tls)
        header.set(http::field::strict_transport_security, hsts_header);
}

http::response<http::string_body> json_response(http::status status, std::string body,
                                                unsigned version, bool keep_alive) {
    http::response<http::string_body> response{status, version};
    response.set(http::field::content_type, "application/json; charset=utf-8");
    response.set(http::field::cache_control, "no-store");
    response.keep_alive(keep_alive);
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

http::response<http::string_body> error_response(http::status status, std::string_view code,
                                                 std::string_view reason, unsigned version,
                                                 bool keep_alive) {
    nlohmann::json body = {{"error", code}, {"reason", reason}};
    return json_response(status, body.dump(), version, keep_alive);
}

} // namespace neuvo::net
