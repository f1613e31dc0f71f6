// The metrics' text: Prometheus' exposition format 0.0.4, the values where they belong, label
// values escaped, histograms cumulative, and the scrape token compared exactly.

#include "metrics.hpp"
#include "metrics_endpoint.hpp"

#include "integration/metrics_text.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace neuvo;
using namespace neuvo::net;
using Catch::Contains;

namespace {

HubSnapshot two_languages() {
    HubSnapshot hub;
    hub.languages.push_back({"fi", 0, 0, 2, 1, 0});
    hub.languages.push_back({"ar", 3, 95, 1, 0, 4});
    hub.advisors_available = 1;
    hub.advisors_away = 1;
    hub.advisors_reconnecting = 1;
    hub.conversations_open = 2;
    hub.wrapups_due = 1;
    hub.conversations_started = 7;
    hub.conversations_ended = 5;
    return hub;
}

store::Store::Activity some_store_work() {
    store::Store::Activity activity;
    activity.register_rows_written = 5;
    activity.batches = 9;
    activity.failed_jobs = 1;
    activity.pending_jobs = 2;
    return activity;
}

} // namespace

TEST_CASE("a label value is escaped and a sample is name{labels} value", "[net][metrics]") {
    ExpositionWriter out;
    out.family("neuvo_test_total", "counter", "A help text with a \\ and a\nline feed.");
    out.sample("neuvo_test_total", {{"a", "x\"y\\z\nw"}, {"b", "fi"}}, std::uint64_t{3});
    out.sample("neuvo_test_total", std::uint64_t{4});
    out.family("neuvo_test_gauge", "gauge", "Negative too.");
    out.sample("neuvo_test_gauge", std::int64_t{-2});
    CHECK(out.text() == "# HELP neuvo_test_total A help text with a \\\\ and a\\nline feed.\n"
                        "# TYPE neuvo_test_total counter\n"
                        "neuvo_test_total{a=\"x\\\"y\\\\z\\nw\",b=\"fi\"} 3\n"
                        "neuvo_test_total 4\n"
                        "# HELP neuvo_test_gauge Negative too.\n"
                        "# TYPE neuvo_test_gauge gauge\n"
                        "neuvo_test_gauge -2\n");
    const auto parsed = testing::parse_exposition(out.text());
    CHECK(parsed.problems.empty());
    CHECK(parsed.value("neuvo_test_gauge") == -2);
}

TEST_CASE("a histogram's buckets are cumulative and inclusive, with +Inf equal to the count",
          "[net][metrics]") {
    SecondsHistogram waits;
    for (std::int64_t seconds : {0, 5, 6, 59, 60, 61, 4000, -3})
        waits.observe(seconds);
    ExpositionWriter out;
    out.family("neuvo_wait_seconds", "histogram", "Waits.");
    out.histogram("neuvo_wait_seconds", {{"outcome", "served"}}, waits);
    const auto parsed = testing::parse_exposition(out.text());
    CHECK(parsed.problems.empty());
    auto bucket = [&](const std::string& le) {
        return parsed.value("neuvo_wait_seconds_bucket{outcome=\"served\",le=\"" + le + "\"}");
    };
    CHECK(bucket("5") == 3); // 0, 5 and the negative one, taken as 0
    CHECK(bucket("15") == 4);
    CHECK(bucket("30") == 4);
    CHECK(bucket("60") == 6);
    CHECK(bucket("120") == 7);
    CHECK(bucket("3600") == 7);
    CHECK(bucket("+Inf") == 8);
    CHECK(parsed.value("neuvo_wait_seconds_count{outcome=\"served\"}") == 8);
    CHECK(parsed.value("neuvo_wait_seconds_sum{outcome=\"served\"}") ==
          0 + 5 + 6 + 59 + 60 + 61 + 4000);
}

TEST_CASE("the scrape holds every family once, each declared before its samples",
          "[net][metrics]") {
    Metrics metrics;
    metrics.connections_accepted.add(12);
    metrics.refused(ConnectionRefusal::connection_limit);
    metrics.refused(ConnectionRefusal::handshakes_per_address);
    metrics.refused(ConnectionRefusal::handshakes_per_address);
    metrics.websockets(WebSocketEndpoint::client).add(2);
    metrics.websockets(WebSocketEndpoint::advisor).add();
    metrics.websocket_messages_received.add(40);
    metrics.websocket_messages_sent.add(55);
    metrics.websocket_socket_writes.add(31);
    metrics.chat_messages.add(6);
    metrics.consult_messages.add(1);
    metrics.error_sent("rate_limited");
    metrics.error_sent("rate_limited");
    metrics.error_sent("bad_json");
    metrics.error_sent("a code nobody defined");
    metrics.rate_limited(RateLimit::sign_in);
    metrics.http_response(200);
    metrics.http_response(404);
    metrics.http_response(429);
    metrics.served_waits.observe(20);

    const std::string text = format_metrics(metrics, two_languages(), some_store_work(), 9);
    const auto parsed = testing::parse_exposition(text);
    INFO(text);
    for (const auto& problem : parsed.problems)
        FAIL_CHECK(problem);
    for (const auto& [family, type] : parsed.types)
        CHECK(family.starts_with("neuvo_"));

    CHECK(parsed.value("neuvo_connections_open") == 9);
    CHECK(parsed.value("neuvo_connections_accepted_total") == 12);
    CHECK(parsed.value("neuvo_connections_refused_total{reason=\"connection_limit\"}") == 1);
    CHECK(parsed.value("neuvo_connections_refused_total{reason=\"connections_per_address\"}") == 0);
    CHECK(parsed.value("neuvo_connections_refused_total{reason=\"handshakes_per_address\"}") == 2);
    CHECK(parsed.value("neuvo_websocket_connections_open{endpoint=\"client\"}") == 2);
    CHECK(parsed.value("neuvo_websocket_connections_open{endpoint=\"advisor\"}") == 1);
    CHECK(parsed.value("neuvo_websocket_connections_open{endpoint=\"clerk\"}") == 0);
    CHECK(parsed.value("neuvo_websocket_messages_received_total") == 40);
    CHECK(parsed.value("neuvo_websocket_messages_sent_total") == 55);
    CHECK(parsed.value("neuvo_websocket_socket_writes_total") == 31);
    CHECK(parsed.value("neuvo_chat_messages_total{thread=\"conversation\"}") == 6);
    CHECK(parsed.value("neuvo_chat_messages_total{thread=\"consult\"}") == 1);
    CHECK(parsed.value("neuvo_errors_total{code=\"rate_limited\"}") == 2);
    CHECK(parsed.value("neuvo_errors_total{code=\"bad_json\"}") == 1);
    CHECK(parsed.value("neuvo_errors_total{code=\"other\"}") == 1);
    CHECK(parsed.value("neuvo_errors_total{code=\"not_lead\"}") == 0);
    CHECK(parsed.value("neuvo_rate_limited_total{limit=\"messages\"}") == 2);
    CHECK(parsed.value("neuvo_rate_limited_total{limit=\"sign_in\"}") == 1);
    CHECK(parsed.value("neuvo_rate_limited_total{limit=\"join_codes\"}") == 0);
    CHECK(parsed.value("neuvo_http_responses_total{class=\"2xx\"}") == 1);
    CHECK(parsed.value("neuvo_http_responses_total{class=\"4xx\"}") == 2);

    CHECK(parsed.value("neuvo_queue_length{language=\"fi\"}") == 0);
    CHECK(parsed.value("neuvo_queue_length{language=\"ar\"}") == 3);
    CHECK(parsed.value("neuvo_queue_oldest_wait_seconds{language=\"ar\"}") == 95);
    CHECK(parsed.value("neuvo_language_advisors_signed_in{language=\"fi\"}") == 2);
    CHECK(parsed.value("neuvo_language_advisors_available{language=\"fi\"}") == 1);
    CHECK(parsed.value("neuvo_unmet_requests_total{language=\"ar\"}") == 4);
    CHECK(parsed.value("neuvo_advisors_signed_in{state=\"available\"}") == 1);
    CHECK(parsed.value("neuvo_advisors_signed_in{state=\"reconnecting\"}") == 1);
    CHECK(parsed.value("neuvo_conversations_open") == 2);
    CHECK(parsed.value("neuvo_conversations_started_total") == 7);
    CHECK(parsed.value("neuvo_conversations_ended_total") == 5);
    CHECK(parsed.value("neuvo_wrapups_due") == 1);
    CHECK(parsed.value("neuvo_wait_seconds_count{outcome=\"served\"}") == 1);
    CHECK(parsed.value("neuvo_wait_seconds_count{outcome=\"unserved\"}") == 0);

    CHECK(parsed.value("neuvo_register_rows_written_total") == 5);
    CHECK(parsed.value("neuvo_store_batches_total") == 9);
    CHECK(parsed.value("neuvo_store_errors_total") == 1);
    CHECK(parsed.value("neuvo_store_jobs_pending") == 2);

    CHECK(parsed.types.at("neuvo_wait_seconds") == "histogram");
    CHECK(parsed.types.at("neuvo_queue_length") == "gauge");
    // An unknown code is counted, but its text goes nowhere.
    CHECK_THAT(text, !Contains("nobody defined"));
}

TEST_CASE("the parser catches what the format forbids", "[net][metrics]") {
    CHECK(testing::parse_exposition("neuvo_x 1\n").problems.size() == 1);
    CHECK(testing::parse_exposition("# HELP neuvo_x X.\n# TYPE neuvo_x counter\nneuvo_x 1\n")
              .problems.size() == 1); // a counter not named _total
    CHECK(testing::parse_exposition("# HELP neuvo_x X.\n# TYPE neuvo_x gauge\nneuvo_x{a=b} 1\n")
              .problems.size() == 1);
    CHECK(testing::parse_exposition("# HELP neuvo_x X.\n# TYPE neuvo_x gauge\nneuvo_x 1")
              .problems.size() == 1); // no final line feed
}

TEST_CASE("a scrape needs the exact bearer token when one is configured", "[net][metrics]") {
    config::MetricsSettings settings;
    CHECK(scrape_allowed(settings, ""));
    settings.bearer_token = std::string(40, 'k');
    CHECK(scrape_allowed(settings, "Bearer " + std::string(40, 'k')));
    CHECK_FALSE(scrape_allowed(settings, ""));
    CHECK_FALSE(scrape_allowed(settings, "Bearer " + std::string(39, 'k')));
    CHECK_FALSE(scrape_allowed(settings, "Bearer " + std::string(41, 'k')));
    CHECK_FALSE(scrape_allowed(settings, "Bearer " + std::string(39, 'k') + "K"));
    CHECK_FALSE(scrape_allowed(settings, "Basic " + std::string(41, 'k')));
    CHECK_FALSE(scrape_allowed(settings, "bearer " + std::string(40, 'k')));
}
