#pragma once

#include <boost/beast/http.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace neuvo::net {

namespace http = boost::beast::http;

inline constexpr std::string_view session_cookie = "neuvo_session";
// Strict-Transport-Security on every response over TLS, the WebSocket upgrade's 101 included:
// browsers then use nothing but HTTPS here for two years.
inline constexpr std::string_view hsts_header = "max-age=63072000";

// The value of one cookie from a Cookie header, or nothing.
std::optional<std::string> cookie_value(std::string_view header, std::string_view name);

// Whether a comma-separated header such as Sec-WebSocket-Protocol lists `token`.
bool header_lists(std::string_view header, std::string_view token);

// Whether a WebSocket handshake's Origin header names one of `allowed` (canonical origins, see
// config::canonical_origin): an exact match of scheme, host (in any case) and port (the default
// one written or not). A missing, empty, "null" or malformed Origin is never allowed.
bool origin_allowed(std::string_view origin_header, const std::vector<std::string>& allowed);

// The origins a server accepts when its configuration lists none: its own, https://<address>:<port>
// of the TLS listener and the same on localhost, 127.0.0.1 and [::1] (a wildcard address such as
// 0.0.0.0 gives only those three), and likewise http:// for a plain_http port when it has one.
std::vector<std::string> default_allowed_origins(const std::string& tls_address,
                                                 unsigned short tls_port,
                                                 const std::string* plain_address,
                                                 unsigned short plain_port);

// Headers every response carries: CSP, no-sniff, framing and referrer rules, and HSTS on TLS.
void add_security_headers(http::response_header<>& header, bool tls);

// A JSON response such as {"error":"bad_credentials","reason":"..."}.
http::response<http::string_body> json_response(http::status status, std::string body,
                                                unsigned version, bool keep_alive);
http::response<http::string_body> error_response(http::status status, std::string_view code,
                                                 std::string_view reason, unsigned version,
                                                 bool keep_alive);

} // namespace neuvo::net
