#pragma once

#include <boost/beast/http.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace neuvo::net {

namespace http = boost::beast::http;

inline constexpr std::string_view session_cookie = "neuvo_session";

// The value of one cookie from a Cookie header, or nothing.
std::optional<std::string> cookie_value(std::string_view header, std::string_view name);

// Whether a comma-separated header such as Sec-WebSocket-Protocol lists `token`.
bool header_lists(std::string_view header, std::string_view token);

// Headers every response carries: CSP, no-sniff, framing and referrer rules, and HSTS on TLS.
void add_security_headers(http::response_header<>& header, bool tls);

// A JSON response such as {"error":"bad_credentials","reason":"..."}.
http::response<http::string_body> json_response(http::status status, std::string body,
                                                unsigned version, bool keep_alive);
http::response<http::string_body> error_response(http::status status, std::string_view code,
                                                 std::string_view reason, unsigned version,
                                                 bool keep_alive);

} // namespace neuvo::net
