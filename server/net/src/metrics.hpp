#pragma once

#include "neuvo/core/service_network.hpp"
#include "neuvo/store/store.hpp"

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace neuvo::net {

// The server's numbers for Prometheus (GET /metrics, text exposition format 0.0.4). Counters and
// gauges here are relaxed atomics, bumped from any thread without a lock or an allocation; what
// only the hub knows (queues, advisors, conversations) is read on its strand at each scrape
// (HubSnapshot), the store's from its own atomics. Nothing here ever holds a message, a name, a
// token or anything about one person: labels are language codes from the configuration, and
// fixed lists of endpoints, reasons and error codes.

class Counter {
public:
    void add(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> value_{0};
};

class Gauge {
public:
    void add(std::int64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
    void subtract(std::int64_t n = 1) { value_.fetch_sub(n, std::memory_order_relaxed); }
    std::int64_t value() const { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::int64_t> value_{0};
};

// Whole seconds into fixed buckets (upper bounds, inclusive), as a Prometheus histogram.
class SecondsHistogram {
public:
    static constexpr std::array<std::int64_t, 10> bounds = {5,   15,  30,   60,   120,
                                                            300, 600, 1200, 1800, 3600};
    void observe(std::int64_t seconds);
    // Per bucket, not yet cumulative; the last is past every bound (+Inf).
    std::array<std::uint64_t, bounds.size() + 1> buckets() const;
    std::uint64_t sum() const { return sum_.value(); }
    std::uint64_t count() const { return count_.value(); }

private:
    std::array<Counter, bounds.size() + 1> buckets_;
    Counter sum_;
    Counter count_;
};

enum class WebSocketEndpoint { client, advisor, clerk };
inline constexpr std::array<std::string_view, 3> websocket_endpoint_names = {"client", "advisor",
                                                                             "clerk"};

// Why a TCP connection was closed as soon as it was accepted: the server's limit, or one
// address's (limits.max_connections_per_address, limits.max_handshakes_per_address).
enum class ConnectionRefusal { connection_limit, connections_per_address, handshakes_per_address };
inline constexpr std::array<std::string_view, 3> refusal_names = {
    "connection_limit", "connections_per_address", "handshakes_per_address"};

// What was refused for coming too often: chat and consult messages (error rate_limited), join
// codes (error too_many_attempts) and sign-ins (HTTP 429).
enum class RateLimit { messages, join_codes, sign_in };
inline constexpr std::array<std::string_view, 3> rate_limit_names = {"messages", "join_codes",
                                                                     "sign_in"};

// The codes of PROTOCOL.md's error frames, counted one by one; any other as "other".
inline constexpr std::array<std::string_view, 29> error_codes = {"bad_json",
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
                                                                 "resume_expired",
                                                                 "unknown_colleague",
                                                                 "already_in_conversation",
                                                                 "handover_pending",
                                                                 "not_lead",
                                                                 "only_advisor",
                                                                 "not_in_consult",
                                                                 "wrapup_saving",
                                                                 "not_saved",
                                                                 "unknown_code",
                                                                 "rate_limited",
                                                                 "too_many_attempts",
                                                                 "server_busy",
                                                                 "other"};

class Metrics {
public:
    // ---- Connections (the listener and the sessions) ----
    Counter connections_accepted;
    std::array<Counter, refusal_names.size()> connections_refused;
    std::array<Gauge, websocket_endpoint_names.size()> websockets_open;
    Counter websocket_messages_received;
    Counter websocket_messages_sent;
    Counter websocket_bytes_received;
    Counter websocket_bytes_sent;
    Counter websocket_socket_writes; // system writes; one may carry several messages
    Counter send_queue_overflows;    // a peer that stopped reading was closed
    Counter heartbeat_timeouts;      // a peer that stopped answering pings was dropped
    // Responses to plain HTTP requests on the public port, by class (2xx-5xx).
    std::array<Counter, 4> http_responses;

    // ---- The hub ----
    Counter chat_messages;    // accepted into a conversation, resends not counted
    Counter consult_messages; // between two advisors
    // Request to first advisor of each served contact, and to giving up of each unserved one,
    // observed when the contact's register row goes to the store.
    SecondsHistogram served_waits;
    SecondsHistogram unserved_waits;

    void refused(ConnectionRefusal why) {
        connections_refused[static_cast<std::size_t>(why)].add();
    }
    Gauge& websockets(WebSocketEndpoint endpoint) {
        return websockets_open[static_cast<std::size_t>(endpoint)];
    }
    void rate_limited(RateLimit what) { rate_limits_[static_cast<std::size_t>(what)].add(); }
    // An error frame went out with this code (rate_limited and too_many_attempts also count as
    // rate limits). Only on error paths: it compares against the list of codes.
    void error_sent(std::string_view code);
    void http_response(unsigned status);

    std::uint64_t errors(std::string_view code) const;
    std::uint64_t rate_limits(RateLimit what) const {
        return rate_limits_[static_cast<std::size_t>(what)].value();
    }

private:
    std::array<Counter, error_codes.size()> errors_;
    std::array<Counter, rate_limit_names.size()> rate_limits_;
};

// What the hub knows, read on its strand for one scrape.
struct HubSnapshot {
    struct Language {
        std::string language; // a tag from the configuration
        std::int64_t waiting = 0;
        std::int64_t oldest_wait_seconds = 0;
        std::int64_t advisors_signed_in = 0;
        std::int64_t advisors_available = 0;
        std::int64_t unmet_requests = 0; // since start
    };
    std::vector<Language> languages; // every language of the network, in its order
    std::int64_t advisors_available = 0;
    std::int64_t advisors_away = 0;
    std::int64_t advisors_reconnecting = 0; // in their grace period, whatever their presence
    std::int64_t conversations_open = 0;
    std::int64_t wrapups_due = 0;
    std::uint64_t conversations_started = 0;
    std::uint64_t conversations_ended = 0;
};

// Writes the text exposition format 0.0.4: each family's # HELP and # TYPE, then its samples.
class ExpositionWriter {
public:
    using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

    void family(std::string_view name, std::string_view type, std::string_view help);
    void sample(std::string_view name, Labels labels, std::uint64_t value);
    void sample(std::string_view name, Labels labels, std::int64_t value);
    void sample(std::string_view name, std::uint64_t value) { sample(name, {}, value); }
    void sample(std::string_view name, std::int64_t value) { sample(name, {}, value); }
    // A histogram's _bucket (cumulative), _sum and _count lines under `name`.
    void histogram(std::string_view name, Labels labels, const SecondsHistogram& histogram);

    const std::string& text() const { return text_; }
    std::string take() { return std::move(text_); }

private:
    void labels(Labels set, std::string_view extra_name = {}, std::string_view extra = {});
    std::string text_;
};

inline constexpr std::string_view metrics_content_type = "text/plain; version=0.0.4; charset=utf-8";

// The whole scrape. `connections_open`: TCP connections on the public listeners now.
std::string format_metrics(const Metrics& metrics, const HubSnapshot& hub,
                           const store::Store::Activity& store, std::size_t connections_open);

} // namespace neuvo::net
