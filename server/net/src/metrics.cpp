#include "metrics.hpp"

#include <algorithm>

namespace neuvo::net {
namespace {

std::size_t error_index(std::string_view code) {
    const auto* found = std::find(error_codes.begin(), error_codes.end() - 1, code);
    return static_cast<std::size_t>(found - error_codes.begin()); // "other" when not listed
}

// A label value: backslash, double quote and line feed escaped, as the format requires.
void append_escaped(std::string& out, std::string_view value) {
    for (char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
}

// Help text: backslash and line feed escaped.
void append_help(std::string& out, std::string_view help) {
    for (char c : help) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
}

} // namespace

void SecondsHistogram::observe(std::int64_t seconds) {
    seconds = std::max<std::int64_t>(seconds, 0);
    const auto* bucket = std::lower_bound(bounds.begin(), bounds.end(), seconds);
    buckets_[static_cast<std::size_t>(bucket - bounds.begin())].add();
    sum_.add(static_cast<std::uint64_t>(seconds));
    count_.add();
}

std::array<std::uint64_t, SecondsHistogram::bounds.size() + 1> SecondsHistogram::buckets() const {
    std::array<std::uint64_t, bounds.size() + 1> values{};
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = buckets_[i].value();
    return values;
}

void Metrics::error_sent(std::string_view code) {
    errors_[error_index(code)].add();
    if (code == "rate_limited")
        rate_limited(RateLimit::messages);
    else if (code == "too_many_attempts")
        rate_limited(RateLimit::join_codes);
}

std::uint64_t Metrics::errors(std::string_view code) const {
    return errors_[error_index(code)].value();
}

void Metrics::http_response(unsigned status) {
    if (status >= 200 && status < 600)
        http_responses[status / 100 - 2].add();
}

void ExpositionWriter::family(std::string_view name, std::string_view type, std::string_view help) {
    text_ += "# HELP ";
    text_ += name;
    text_ += ' ';
    append_help(text_, help);
    text_ += "\n# TYPE ";
    text_ += name;
    text_ += ' ';
    text_ += type;
    text_ += '\n';
}

void ExpositionWriter::labels(Labels set, std::string_view extra_name, std::string_view extra) {
    if (set.size() == 0 && extra_name.empty())
        return;
    text_ += '{';
    bool first = true;
    auto one = [&](std::string_view name, std::string_view value) {
        if (!first)
            text_ += ',';
        first = false;
        text_ += name;
        text_ += "=\"";
        append_escaped(text_, value);
        text_ += '"';
    };
    for (const auto& [name, value] : set)
        one(name, value);
    if (!extra_name.empty())
        one(extra_name, extra);
    text_ += '}';
}

void ExpositionWriter::sample(std::string_view name, Labels set, std::uint64_t value) {
    text_ += name;
    labels(set);
    text_ += ' ';
    text_ += std::to_string(value);
    text_ += '\n';
}

void ExpositionWriter::sample(std::string_view name, Labels set, std::int64_t value) {
    text_ += name;
    labels(set);
    text_ += ' ';
    text_ += std::to_string(value);
    text_ += '\n';
}

void ExpositionWriter::histogram(std::string_view name, Labels set,
                                 const SecondsHistogram& histogram) {
    // Read once: the buckets, the sum and the count may each move while a scrape runs, and the
    // +Inf bucket must equal the count printed.
    const auto buckets = histogram.buckets();
    const std::uint64_t sum = histogram.sum();
    std::uint64_t cumulative = 0;
    const std::string bucket_name = std::string(name) + "_bucket";
    for (std::size_t i = 0; i < buckets.size(); ++i) {
        cumulative += buckets[i];
        const std::string bound = i < SecondsHistogram::bounds.size()
                                      ? std::to_string(SecondsHistogram::bounds[i])
                                      : std::string("+Inf");
        text_ += bucket_name;
        labels(set, "le", bound);
        text_ += ' ';
        text_ += std::to_string(cumulative);
        text_ += '\n';
    }
    sample(std::string(name) + "_sum", set, sum);
    sample(std::string(name) + "_count", set, cumulative);
}

std::string format_metrics(const Metrics& m, const HubSnapshot& hub,
                           const store::Store::Activity& store, std::size_t connections_open) {
    ExpositionWriter out;
    using U = std::uint64_t;

    out.family("neuvo_connections_open", "gauge",
               "TCP connections open on the public listeners (HTTP and WebSocket).");
    out.sample("neuvo_connections_open", static_cast<U>(connections_open));
    out.family("neuvo_connections_accepted_total", "counter",
               "TCP connections accepted on the public listeners.");
    out.sample("neuvo_connections_accepted_total", m.connections_accepted.value());
    out.family("neuvo_connections_refused_total", "counter",
               "TCP connections closed at once after accepting them, by reason.");
    for (std::size_t i = 0; i < refusal_names.size(); ++i)
        out.sample("neuvo_connections_refused_total", {{"reason", refusal_names[i]}},
                   m.connections_refused[i].value());
    out.family("neuvo_websocket_connections_open", "gauge",
               "WebSocket connections open, by endpoint.");
    for (std::size_t i = 0; i < websocket_endpoint_names.size(); ++i)
        out.sample("neuvo_websocket_connections_open", {{"endpoint", websocket_endpoint_names[i]}},
                   m.websockets_open[i].value());
    out.family("neuvo_websocket_messages_received_total", "counter",
               "WebSocket messages received from peers.");
    out.sample("neuvo_websocket_messages_received_total", m.websocket_messages_received.value());
    out.family("neuvo_websocket_messages_sent_total", "counter",
               "WebSocket messages written to peers.");
    out.sample("neuvo_websocket_messages_sent_total", m.websocket_messages_sent.value());
    out.family("neuvo_websocket_received_bytes_total", "counter",
               "Payload bytes of the WebSocket messages received.");
    out.sample("neuvo_websocket_received_bytes_total", m.websocket_bytes_received.value());
    out.family("neuvo_websocket_sent_bytes_total", "counter",
               "Payload bytes of the WebSocket messages written.");
    out.sample("neuvo_websocket_sent_bytes_total", m.websocket_bytes_sent.value());
    out.family("neuvo_websocket_socket_writes_total", "counter",
               "System writes that sent WebSocket connections' bytes. A busy connection's "
               "messages are gathered, so one write may carry several.");
    out.sample("neuvo_websocket_socket_writes_total", m.websocket_socket_writes.value());
    out.family("neuvo_websocket_send_queue_overflows_total", "counter",
               "Peers closed for leaving more than limits.max_send_queue_bytes unread.");
    out.sample("neuvo_websocket_send_queue_overflows_total", m.send_queue_overflows.value());
    out.family("neuvo_websocket_heartbeat_timeouts_total", "counter",
               "Peers dropped for not answering a ping within limits.ping_timeout_seconds.");
    out.sample("neuvo_websocket_heartbeat_timeouts_total", m.heartbeat_timeouts.value());
    out.family("neuvo_http_responses_total", "counter",
               "Responses to HTTP requests on the public listeners, by status class.");
    static constexpr std::array<std::string_view, 4> classes = {"2xx", "3xx", "4xx", "5xx"};
    for (std::size_t i = 0; i < classes.size(); ++i)
        out.sample("neuvo_http_responses_total", {{"class", classes[i]}},
                   m.http_responses[i].value());

    out.family("neuvo_chat_messages_total", "counter",
               "Chat messages accepted and relayed, by thread (a conversation, or a consult "
               "between advisors); resends are not counted.");
    out.sample("neuvo_chat_messages_total", {{"thread", "conversation"}}, m.chat_messages.value());
    out.sample("neuvo_chat_messages_total", {{"thread", "consult"}}, m.consult_messages.value());
    out.family("neuvo_errors_total", "counter", "Error frames sent to WebSocket peers, by code.");
    for (std::string_view code : error_codes)
        out.sample("neuvo_errors_total", {{"code", code}}, m.errors(code));
    out.family("neuvo_rate_limited_total", "counter",
               "Messages, join codes and sign-ins refused for coming too often.");
    out.sample("neuvo_rate_limited_total", {{"limit", "messages"}},
               m.rate_limits(RateLimit::messages));
    out.sample("neuvo_rate_limited_total", {{"limit", "join_codes"}},
               m.rate_limits(RateLimit::join_codes));
    out.sample("neuvo_rate_limited_total", {{"limit", "sign_in"}},
               m.rate_limits(RateLimit::sign_in));

    out.family("neuvo_queue_length", "gauge", "Clients waiting for an advisor, by language.");
    for (const auto& row : hub.languages)
        out.sample("neuvo_queue_length", {{"language", row.language}}, row.waiting);
    out.family("neuvo_queue_oldest_wait_seconds", "gauge",
               "How long the longest-waiting client of the language has waited (0: nobody).");
    for (const auto& row : hub.languages)
        out.sample("neuvo_queue_oldest_wait_seconds", {{"language", row.language}},
                   row.oldest_wait_seconds);
    out.family("neuvo_language_advisors_signed_in", "gauge",
               "Advisors signed in who speak the language (also those reconnecting).");
    for (const auto& row : hub.languages)
        out.sample("neuvo_language_advisors_signed_in", {{"language", row.language}},
                   row.advisors_signed_in);
    out.family("neuvo_language_advisors_available", "gauge",
               "Advisors connected and set available who speak the language.");
    for (const auto& row : hub.languages)
        out.sample("neuvo_language_advisors_available", {{"language", row.language}},
                   row.advisors_available);
    out.family("neuvo_unmet_requests_total", "counter",
               "Requests that ended without a conversation, by language.");
    for (const auto& row : hub.languages)
        out.sample("neuvo_unmet_requests_total", {{"language", row.language}},
                   static_cast<U>(row.unmet_requests));
    out.family("neuvo_advisors_signed_in", "gauge",
               "Advisors signed in, by state: available, away, or reconnecting (in their grace "
               "period).");
    out.sample("neuvo_advisors_signed_in", {{"state", "available"}}, hub.advisors_available);
    out.sample("neuvo_advisors_signed_in", {{"state", "away"}}, hub.advisors_away);
    out.sample("neuvo_advisors_signed_in", {{"state", "reconnecting"}}, hub.advisors_reconnecting);
    out.family("neuvo_conversations_open", "gauge", "Conversations open now.");
    out.sample("neuvo_conversations_open", hub.conversations_open);
    out.family("neuvo_conversations_started_total", "counter",
               "Conversations started (an advisor accepted a new request) since the server "
               "started.");
    out.sample("neuvo_conversations_started_total", hub.conversations_started);
    out.family("neuvo_conversations_ended_total", "counter", "Conversations ended.");
    out.sample("neuvo_conversations_ended_total", hub.conversations_ended);
    out.family("neuvo_wrapups_due", "gauge",
               "Ended conversations whose register row waits for its wrap-up or the store.");
    out.sample("neuvo_wrapups_due", hub.wrapups_due);
    out.family("neuvo_wait_seconds", "histogram",
               "Wait from request to the first advisor (served) or to giving up (unserved), "
               "observed when the contact's register row goes to the store.");
    out.histogram("neuvo_wait_seconds", {{"outcome", "served"}}, m.served_waits);
    out.histogram("neuvo_wait_seconds", {{"outcome", "unserved"}}, m.unserved_waits);

    out.family("neuvo_register_rows_written_total", "counter",
               "Visit register rows committed to the database.");
    out.sample("neuvo_register_rows_written_total", store.register_rows_written);
    out.family("neuvo_store_batches_total", "counter",
               "Write batches of the store (one transaction each).");
    out.sample("neuvo_store_batches_total", store.batches);
    out.family("neuvo_store_errors_total", "counter",
               "Store jobs that failed (their work was not committed).");
    out.sample("neuvo_store_errors_total", store.failed_jobs);
    out.family("neuvo_store_jobs_pending", "gauge",
               "Store jobs submitted and waiting for the writer thread.");
    out.sample("neuvo_store_jobs_pending", static_cast<U>(store.pending_jobs));
    return out.take();
}

} // namespace neuvo::net
