#pragma once

#include "neuvo/core/service_network.hpp"
#include "neuvo/core/switchboard.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace neuvo::config {

// A configuration that cannot be used. The message names the field and what was expected, e.g.
// `points[2].municipality: expected a code listed in "municipalities", got "999"`.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Endpoint {
    std::string address;
    unsigned short port = 0; // 0: any free port (tests)
};

struct Limits {
    std::size_t max_frame_bytes = 64 * 1024;        // larger WebSocket frames close with 1009
    std::size_t max_send_queue_bytes = 1024 * 1024; // a peer that stops reading is closed past it
    std::size_t max_connections = 20000;
    // Per client address, against one machine tying up the server. Generous: a mobile carrier's
    // NAT, a library's or an office's network puts many people behind one address, and every
    // open conversation is a connection (an advisory point's advisors share an address too).
    std::size_t max_connections_per_address = 1000;
    // Connections of one address still in the TLS handshake or before their first whole HTTP
    // request: the costly part nobody has signed for. A page opens a few at a time.
    std::size_t max_handshakes_per_address = 32;
    // Every per-address limit (these two, sign_in_per_address, wrong join codes) counts an IPv6
    // client by its address's first this many bits: a home, an office or a phone is given a
    // whole /64 at least and may use any address in it. 128 counts single addresses.
    int ipv6_prefix_length = 64;
    std::size_t max_http_body_bytes = 16 * 1024;
    std::chrono::seconds session_lifetime = std::chrono::hours(12);
    // The WebSocket heartbeat: the server pings every ping_interval after the last answer, and a
    // peer from which nothing (no pong, no frame) arrives within ping_timeout of a ping is
    // disconnected. So a peer that stops answering is gone at most ping_interval + ping_timeout
    // after it was last heard from.
    std::chrono::seconds ping_interval = std::chrono::seconds(30);
    std::chrono::seconds ping_timeout = std::chrono::seconds(30);
    // An advisor's session cookie also ends after this long unused (no request, no handshake and
    // no open WebSocket): a kiosk-like shared desk left signed in does not stay open for the
    // whole session_lifetime. Two hours outlast a quiet spell of an advisory point's shift.
    std::chrono::seconds session_idle = std::chrono::hours(2);
    // Failed sign-ins per login and per client address before further attempts are refused with
    // 429 (core/attempt_throttle.hpp). An address gets more: a point's advisors may share one.
    core::ThrottleRule sign_in_per_account{5};
    core::ThrottleRule sign_in_per_address{20};
};

// The visit register: how long its rows are kept.
struct VisitRegisterSettings {
    // Rows that started longer ago than this are deleted (checked at start and every hour).
    // About five years by default: long enough for yearly reports and their comparisons.
    std::chrono::days retention = std::chrono::days(1826);
};

// GET /metrics for Prometheus: the server's numbers, never content or anyone's data. Off unless
// the file has "metrics". Served either on a listener of its own (plain HTTP, nothing but
// /metrics; loopback by default) or, with `on_public_port`, on the HTTPS port, where a token is
// required: nobody scrapes it anonymously from the public port.
struct MetricsSettings {
    bool enabled = false;
    bool on_public_port = false;
    // The listener of its own, when not on the public port.
    Endpoint listen{"127.0.0.1", 9464};
    // When not empty, every scrape must send "Authorization: Bearer <token>"; read from
    // metrics.token_file. Required on the public port and on a listener that is not loopback.
    std::string bearer_token;
};

// How much the server logs (one JSON object per line on stderr): this level and above.
enum class LogLevel { debug, info, warning, error };

// "debug", "info", "warning" or "error"; nothing for any other text.
std::optional<LogLevel> log_level_named(std::string_view name);

// A web origin in the one form the server compares: "https://host[:port]", the scheme and host in
// lower case and the scheme's default port (443, 80) left out, so that "HTTPS://Neuvo.Example:443"
// and "https://neuvo.example" are the same. Nothing for anything else: another scheme, a path,
// user information, an empty host, a bad port, or the "null" origin of sandboxed pages.
std::optional<std::string> canonical_origin(std::string_view origin);

struct ServerConfig {
    Endpoint listen;                    // HTTPS and WSS
    std::optional<Endpoint> plain_http; // only behind a proxy that terminates TLS
    std::filesystem::path certificate;
    std::filesystem::path private_key;
    std::filesystem::path database;
    std::filesystem::path document_root;
    unsigned threads = 0;                     // 0: one per core
    std::string timezone = "Europe/Helsinki"; // schedules are in this zone's local time
    Limits limits;
    // The page origins whose WebSocket handshakes are accepted, in canonical_origin's form. Empty
    // when the file does not say: then the server's own origins on the ports it binds are
    // (https://<listen address>:<port> and the same on localhost, 127.0.0.1 and [::1]; likewise
    // http:// on the plain_http port).
    std::vector<std::string> allowed_origins;
    LogLevel log_level = LogLevel::info;
    VisitRegisterSettings visit_register; // "register" in the file
    MetricsSettings metrics;
    core::Policy policy;
    core::ServiceNetwork network;
};

// Reads and validates a configuration file. Relative paths in it are relative to the file.
ServerConfig load_config(const std::filesystem::path& path);

// Validates configuration text; `base` resolves relative paths. Throws ConfigError.
ServerConfig parse_config(const std::string& text, const std::filesystem::path& base);

} // namespace neuvo::config
