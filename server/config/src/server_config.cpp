#include "neuvo/config/server_config.hpp"

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace neuvo::config {
namespace {

using nlohmann::json;

// A JSON value together with where it sits in the file, so that every error can name the field.
class Field {
public:
    Field(const json& value, std::string path) : value_(value), path_(std::move(path)) {}

    const std::string& path() const { return path_; }
    const json& value() const { return value_; }

    [[noreturn]] void fail(const std::string& expected) const {
        std::string got = value_.is_null() ? "nothing" : value_.dump();
        if (got.size() > 60)
            got = got.substr(0, 57) + "...";
        throw ConfigError(path_ + ": expected " + expected + ", got " + got);
    }

    bool has(const char* key) const {
        return value_.is_object() && value_.contains(key) && !value_.at(key).is_null();
    }

    Field at(const char* key) const {
        if (!value_.is_object())
            fail("an object");
        static const json missing;
        auto it = value_.find(key);
        return Field(it == value_.end() ? missing : *it, join(key));
    }

    std::vector<Field> items(bool allow_empty = false) const {
        if (!value_.is_array() || (!allow_empty && value_.empty()))
            fail(allow_empty ? "an array" : "a non-empty array");
        std::vector<Field> result;
        for (std::size_t i = 0; i < value_.size(); ++i)
            result.emplace_back(value_[i], path_ + "[" + std::to_string(i) + "]");
        return result;
    }

    std::string text() const {
        if (!value_.is_string() || value_.get_ref<const std::string&>().empty())
            fail("a non-empty string");
        return value_.get<std::string>();
    }

    std::int64_t integer(std::int64_t min, std::int64_t max) const {
        if (!value_.is_number_integer() || value_.get<std::int64_t>() < min ||
            value_.get<std::int64_t>() > max)
            fail("an integer from " + std::to_string(min) + " to " + std::to_string(max));
        return value_.get<std::int64_t>();
    }

    bool boolean() const {
        if (!value_.is_boolean())
            fail("true or false");
        return value_.get<bool>();
    }

private:
    std::string join(const char* key) const { return path_.empty() ? key : path_ + "." + key; }

    const json& value_;
    std::string path_;
};

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& value) {
    std::filesystem::path path(value);
    return path.is_absolute() ? path : (base / path).lexically_normal();
}

// Why a path that is not what was expected cannot be used: the throwing std::filesystem calls
// would let a filesystem_error (a name too long, a directory that may not be searched) escape
// without the field's name.
std::string not_usable(const std::filesystem::path& path, const std::error_code& error,
                       const char* otherwise) {
    if (error && error != std::errc::no_such_file_or_directory &&
        error != std::errc::not_a_directory)
        return path.string() + " cannot be examined (" + error.message() + ")";
    return path.string() + otherwise;
}

std::filesystem::path existing_file(const Field& field, const std::filesystem::path& base) {
    auto path = resolve(base, field.text());
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
        throw ConfigError(field.path() + ": expected a readable file, but " +
                          not_usable(path, error, " does not exist"));
    return path;
}

Endpoint endpoint(const Field& field) {
    return Endpoint{field.at("address").text(),
                    static_cast<unsigned short>(field.at("port").integer(0, 65535))};
}

bool valid_language_tag(const std::string& tag) {
    // BCP-47 primary subtag (2-3 lowercase letters), optionally followed by subtags.
    std::size_t letters = 0;
    while (letters < tag.size() && tag[letters] >= 'a' && tag[letters] <= 'z')
        ++letters;
    if (letters < 2 || letters > 3)
        return false;
    return letters == tag.size() || tag[letters] == '-';
}

int minute_of_day(const Field& field) {
    const auto text = field.text();
    // Digit by digit: a stream would skip blanks and stop early, taking " 9:00" or "09:0x".
    auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
    if (text.size() != 5 || !digit(0) || !digit(1) || text[2] != ':' || !digit(3) || !digit(4))
        field.fail("a time \"HH:MM\"");
    int hours = (text[0] - '0') * 10 + (text[1] - '0');
    int minutes = (text[3] - '0') * 10 + (text[4] - '0');
    if (hours > 24 || minutes > 59 || (hours == 24 && minutes != 0))
        field.fail("a time \"HH:MM\"");
    return hours * 60 + minutes;
}

int weekday(const Field& field) {
    static const char* names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    const auto text = field.text();
    for (int i = 0; i < 7; ++i)
        if (text == names[i])
            return i + 1;
    field.fail("a weekday: mon, tue, wed, thu, fri, sat or sun");
}

void read_allowed_origins(const Field& field, ServerConfig& config) {
    for (const auto& item : field.items()) {
        auto origin = canonical_origin(item.text());
        if (!origin)
            item.fail("an origin \"https://host\" or \"https://host:port\" (http or https, no "
                      "path, no trailing slash)");
        if (std::find(config.allowed_origins.begin(), config.allowed_origins.end(), *origin) !=
            config.allowed_origins.end())
            item.fail("an origin not listed before (hosts are compared in lower case and the "
                      "default port left out)");
        config.allowed_origins.push_back(std::move(*origin));
    }
}

// An IP address only this machine reaches: 127.0.0.0/8 or ::1.
bool loopback_address(const std::string& address) {
    unsigned char bytes[16];
    if (inet_pton(AF_INET, address.c_str(), bytes) == 1)
        return bytes[0] == 127;
    static const unsigned char ipv6_loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    return inet_pton(AF_INET6, address.c_str(), bytes) == 1 &&
           std::equal(bytes, bytes + 16, ipv6_loopback);
}

// The scrape token: the file's first line, 32 to 256 visible ASCII characters (no blanks, which
// an Authorization header could not carry unambiguously).
std::string read_bearer_token(const Field& field, const std::filesystem::path& base) {
    const auto path = existing_file(field, base);
    std::ifstream in(path, std::ios::binary);
    std::string token;
    std::getline(in, token);
    while (!token.empty() && (token.back() == '\r' || token.back() == ' ' || token.back() == '\t'))
        token.pop_back();
    const bool visible =
        std::all_of(token.begin(), token.end(), [](char c) { return c > ' ' && c < 127; });
    if (!in.good() && !in.eof())
        throw ConfigError(field.path() + ": " + path.string() + " cannot be read");
    if (token.size() < 32 || token.size() > 256 || !visible)
        throw ConfigError(field.path() +
                          ": expected a file whose first line is a token of 32 to "
                          "256 visible ASCII characters (e.g. from `openssl rand "
                          "-hex 32`), but " +
                          path.string() + " holds " + std::to_string(token.size()) + " characters" +
                          (visible ? "" : " with blanks or control characters"));
    return token;
}

void read_metrics(const Field& field, const std::filesystem::path& base, ServerConfig& config) {
    if (!field.value().is_object())
        field.fail("an object such as {\"listen\": {\"address\": \"127.0.0.1\", \"port\": 9464}}");
    MetricsSettings& metrics = config.metrics;
    metrics.enabled = field.has("enabled") ? field.at("enabled").boolean() : true;
    if (field.has("on_public_port"))
        metrics.on_public_port = field.at("on_public_port").boolean();
    if (field.has("listen")) {
        if (metrics.on_public_port)
            field.at("listen").fail("nothing: metrics.on_public_port serves /metrics on the "
                                    "HTTPS port instead");
        metrics.listen = endpoint(field.at("listen"));
    }
    if (field.has("token_file"))
        metrics.bearer_token = read_bearer_token(field.at("token_file"), base);
    if (metrics.bearer_token.empty()) {
        if (metrics.on_public_port)
            throw ConfigError("metrics.token_file: expected a token file, since "
                              "metrics.on_public_port puts /metrics where anyone can reach it");
        if (!loopback_address(metrics.listen.address))
            field.at("listen").at("address").fail(
                "a loopback address (127.0.0.1 or ::1), or a metrics.token_file: the metrics "
                "listener speaks plain HTTP");
    }
    if (!metrics.on_public_port && metrics.listen.port != 0) {
        auto clashes = [&](const Endpoint& other) {
            return other.port == metrics.listen.port && other.address == metrics.listen.address;
        };
        if (clashes(config.listen) || (config.plain_http && clashes(*config.plain_http)))
            field.at("listen").fail("an address and port that no other listener uses");
    }
}

// Failed sign-ins and wrong join codes: how many, within what quiet window, and the lockout
// that follows (doubling while the failures go on).
void read_attempt_limits(const Field& field, ServerConfig& config) {
    auto& account = config.limits.sign_in_per_account;
    auto& address = config.limits.sign_in_per_address;
    auto& join = config.policy.join_code_throttle;
    if (field.has("sign_in_failures_per_account"))
        account.max_failures =
            static_cast<int>(field.at("sign_in_failures_per_account").integer(1, 100));
    if (field.has("sign_in_failures_per_address"))
        address.max_failures =
            static_cast<int>(field.at("sign_in_failures_per_address").integer(1, 10000));
    if (field.has("join_code_failures"))
        join.max_failures = static_cast<int>(field.at("join_code_failures").integer(1, 100));
    for (core::ThrottleRule* rule : {&account, &address, &join}) {
        if (field.has("failure_window_minutes"))
            rule->window =
                std::chrono::minutes(field.at("failure_window_minutes").integer(1, 60 * 24));
        if (field.has("lockout_seconds"))
            rule->first_lockout =
                std::chrono::seconds(field.at("lockout_seconds").integer(1, 60 * 60));
        if (field.has("max_lockout_minutes"))
            rule->max_lockout =
                std::chrono::minutes(field.at("max_lockout_minutes").integer(1, 60 * 24));
        if (rule->max_lockout < rule->first_lockout)
            throw ConfigError(field.path() +
                              ".max_lockout_minutes: expected at least "
                              "lockout_seconds (" +
                              std::to_string(rule->first_lockout.count()) + " s)");
    }
}

void read_limits(const Field& field, ServerConfig& config) {
    auto& limits = config.limits;
    auto& policy = config.policy;
    if (field.has("max_frame_bytes"))
        limits.max_frame_bytes = field.at("max_frame_bytes").integer(1024, 16 * 1024 * 1024);
    if (field.has("max_send_queue_bytes"))
        limits.max_send_queue_bytes =
            field.at("max_send_queue_bytes").integer(64 * 1024, 256 * 1024 * 1024);
    if (field.has("max_connections"))
        limits.max_connections = field.at("max_connections").integer(1, 10'000'000);
    if (field.has("max_connections_per_address"))
        limits.max_connections_per_address =
            field.at("max_connections_per_address").integer(1, 10'000'000);
    if (field.has("max_handshakes_per_address"))
        limits.max_handshakes_per_address =
            field.at("max_handshakes_per_address").integer(1, 10'000'000);
    // Shorter than a /32, one count would take in a whole provider's customers.
    if (field.has("ipv6_prefix_length"))
        limits.ipv6_prefix_length =
            static_cast<int>(field.at("ipv6_prefix_length").integer(32, 128));
    // Every handshake is a connection too: a larger handshake limit would never be reached, and
    // says that one of the two is not what was meant.
    if (limits.max_handshakes_per_address > limits.max_connections_per_address)
        throw ConfigError(field.path() +
                          ".max_handshakes_per_address: expected at most "
                          "max_connections_per_address (" +
                          std::to_string(limits.max_connections_per_address) + "), got " +
                          std::to_string(limits.max_handshakes_per_address));
    if (field.has("session_lifetime_minutes"))
        limits.session_lifetime =
            std::chrono::minutes(field.at("session_lifetime_minutes").integer(1, 60 * 24 * 30));
    // The one setting these replaced: silently ignoring it would leave an operator's choice
    // unapplied.
    if (field.has("idle_timeout_seconds"))
        throw ConfigError(field.at("idle_timeout_seconds").path() +
                          ": no longer read; set ping_interval_seconds and ping_timeout_seconds "
                          "instead (a peer that stops answering is disconnected within their sum)");
    if (field.has("ping_interval_seconds"))
        limits.ping_interval =
            std::chrono::seconds(field.at("ping_interval_seconds").integer(1, 3600));
    if (field.has("ping_timeout_seconds"))
        limits.ping_timeout =
            std::chrono::seconds(field.at("ping_timeout_seconds").integer(1, 3600));
    if (field.has("max_text_bytes"))
        policy.max_text_bytes = field.at("max_text_bytes").integer(1, 1024 * 1024);
    if (field.has("session_idle_minutes"))
        limits.session_idle =
            std::chrono::minutes(field.at("session_idle_minutes").integer(5, 60 * 24));
    // The upper bounds are far past any person's typing so that a load test, which plays an
    // advisor at machine speed, can set the limit out of its way.
    if (field.has("messages_per_minute"))
        policy.messages_per_minute =
            static_cast<int>(field.at("messages_per_minute").integer(1, 600000));
    if (field.has("message_burst"))
        policy.message_burst = static_cast<int>(field.at("message_burst").integer(1, 100000));
    read_attempt_limits(field, config);
    // An open WebSocket keeps its session fresh when it answers a heartbeat ping (which may come
    // as late as ping_interval + ping_timeout), at most once a minute: the idle limit must
    // outlast both.
    if (limits.session_idle <= limits.ping_interval + limits.ping_timeout + std::chrono::minutes(1))
        throw ConfigError(field.path() +
                          ".session_idle_minutes: expected more than ping_interval_seconds plus "
                          "ping_timeout_seconds plus a minute, so that an open WebSocket keeps "
                          "its session");
    if (field.has("max_capacity"))
        policy.max_capacity = static_cast<int>(field.at("max_capacity").integer(1, 100));
    if (field.has("default_capacity"))
        policy.default_capacity =
            static_cast<int>(field.at("default_capacity").integer(1, policy.max_capacity));
    // Checked here too because default_capacity may be left out: the built-in default must
    // still be one the advisor could choose.
    if (policy.default_capacity > policy.max_capacity)
        throw ConfigError(field.path() + ".max_capacity: expected at least default_capacity (" +
                          std::to_string(policy.default_capacity) + "), got " +
                          std::to_string(policy.max_capacity));
    if (policy.max_text_bytes + 1024 > limits.max_frame_bytes)
        throw ConfigError(field.path() + ".max_text_bytes: expected at least 1024 bytes less than "
                                         "max_frame_bytes, so that a full message fits in a frame");
}

void read_routing(const Field& field, core::Policy& policy) {
    using std::chrono::seconds;
    if (field.has("offer_timeout_seconds"))
        policy.offer_timeout = seconds(field.at("offer_timeout_seconds").integer(1, 600));
    if (field.has("max_missed_offers"))
        policy.max_missed_offers = static_cast<int>(field.at("max_missed_offers").integer(1, 100));
    if (field.has("reoffer_after_seconds"))
        policy.reoffer_after = seconds(field.at("reoffer_after_seconds").integer(1, 86400));
    if (field.has("advisor_grace_seconds"))
        policy.advisor_grace = seconds(field.at("advisor_grace_seconds").integer(0, 3600));
    if (field.has("client_grace_seconds"))
        policy.client_grace = seconds(field.at("client_grace_seconds").integer(0, 3600));
    if (field.has("long_wait_seconds"))
        policy.long_wait = seconds(field.at("long_wait_seconds").integer(1, 86400));
    if (field.has("default_service_seconds"))
        policy.default_service = seconds(field.at("default_service_seconds").integer(1, 86400));
    if (field.has("service_history"))
        policy.service_history = static_cast<int>(field.at("service_history").integer(1, 1000));
    if (field.has("handover_timeout_seconds"))
        policy.handover_timeout = seconds(field.at("handover_timeout_seconds").integer(1, 3600));
    if (field.has("wrapup_timeout_seconds"))
        policy.wrapup_timeout = seconds(field.at("wrapup_timeout_seconds").integer(1, 86400));
    if (field.has("queue_news_interval_ms"))
        policy.queue_news_interval =
            std::chrono::milliseconds(field.at("queue_news_interval_ms").integer(0, 60000));
}

void read_languages(const Field& field, core::ServiceNetwork& network) {
    std::set<std::string> seen;
    for (const auto& item : field.items()) {
        core::Language language;
        language.tag = item.at("tag").text();
        if (!valid_language_tag(language.tag))
            item.at("tag").fail("a BCP-47 language tag such as \"ar\" or \"prs\"");
        if (!seen.insert(language.tag).second)
            item.at("tag").fail("a tag not listed before");
        language.autonym = item.at("autonym").text();
        auto dir = item.at("dir").text();
        if (dir != "ltr" && dir != "rtl")
            item.at("dir").fail("\"ltr\" or \"rtl\"");
        language.right_to_left = dir == "rtl";
        network.languages.push_back(std::move(language));
    }
}

void read_municipalities(const Field& field, core::ServiceNetwork& network) {
    std::set<std::string> seen;
    for (const auto& item : field.items()) {
        core::Municipality municipality;
        municipality.code = item.at("code").text();
        if (municipality.code == "other" || municipality.code == "unknown" ||
            municipality.code == "abroad")
            item.at("code").fail("a municipality code (\"other\", \"unknown\" and \"abroad\" are "
                                 "reserved)");
        if (!seen.insert(municipality.code).second)
            item.at("code").fail("a code not listed before");
        municipality.name = item.at("name").text();
        if (item.has("region"))
            municipality.region = item.at("region").text();
        network.municipalities.push_back(std::move(municipality));
    }
}

void read_points(const Field& field, core::ServiceNetwork& network) {
    std::set<std::string> seen;
    for (const auto& item : field.items()) {
        core::Point point;
        point.id = item.at("id").text();
        if (!seen.insert(point.id).second)
            item.at("id").fail("an id not listed before");
        point.municipality = item.at("municipality").text();
        if (!network.find_municipality(point.municipality))
            item.at("municipality").fail("a code listed in \"municipalities\"");
        point.name = item.at("name").text();
        for (const auto& language : item.at("languages").items()) {
            auto tag = language.text();
            if (!network.find_language(tag))
                language.fail("a tag listed in \"languages\"");
            if (std::any_of(point.languages.begin(), point.languages.end(),
                            [&](const auto& offer) { return offer.language == tag; }))
                language.fail("a tag not listed before for this point");
            point.languages.push_back(core::LanguageOffer{tag, {}});
        }
        if (item.has("serves"))
            for (const auto& served : item.at("serves").items(true)) {
                auto code = served.text();
                if (!network.find_municipality(code))
                    served.fail("a code listed in \"municipalities\"");
                point.serves_municipalities.push_back(code);
            }
        if (item.has("national_pool"))
            point.national_pool = item.at("national_pool").boolean();
        if (item.has("schedules")) {
            auto schedules = item.at("schedules");
            if (!schedules.value().is_object())
                schedules.fail("an object from language tag to weekly slots");
            for (const auto& entry : schedules.value().items()) {
                // Not a structured binding: clang 14 (the fuzz and sanitizer builds) cannot
                // capture one in the lambda below.
                const std::string& tag = entry.key();
                Field slots_field(entry.value(), schedules.path() + "." + tag);
                auto offer = std::find_if(point.languages.begin(), point.languages.end(),
                                          [&](const auto& o) { return o.language == tag; });
                if (offer == point.languages.end())
                    slots_field.fail("a schedule only for a language the point lists");
                for (const auto& slot : slots_field.items()) {
                    int from = minute_of_day(slot.at("from"));
                    int to = minute_of_day(slot.at("to"));
                    if (to == from)
                        slot.at("to").fail("a time other than \"from\" (an end before the start "
                                           "runs past midnight)");
                    for (const auto& day : slot.at("days").items())
                        offer->schedule.push_back(core::ScheduleSlot{weekday(day), from, to});
                }
            }
        }
        network.points.push_back(std::move(point));
    }
}

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_host_character(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

} // namespace

std::optional<LogLevel> log_level_named(std::string_view name) {
    if (name == "debug")
        return LogLevel::debug;
    if (name == "info")
        return LogLevel::info;
    if (name == "warning")
        return LogLevel::warning;
    if (name == "error")
        return LogLevel::error;
    return std::nullopt;
}

std::optional<std::string> canonical_origin(std::string_view origin) {
    const auto separator = origin.find("://");
    if (separator == std::string_view::npos)
        return std::nullopt;
    std::string scheme;
    for (char c : origin.substr(0, separator))
        scheme += lower(c);
    if (scheme != "https" && scheme != "http")
        return std::nullopt;
    std::string rest;
    for (char c : origin.substr(separator + 3))
        rest += lower(c);

    std::string host;
    std::string_view after_host;
    if (!rest.empty() && rest.front() == '[') {
        // An IPv6 literal: hexadecimal digits, colons and (for an embedded IPv4) dots.
        const auto close = rest.find(']');
        if (close == std::string::npos || close < 3)
            return std::nullopt;
        for (char c : std::string_view(rest).substr(1, close - 1))
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == ':' || c == '.'))
                return std::nullopt;
        host = rest.substr(0, close + 1);
        after_host = std::string_view(rest).substr(close + 1);
    } else {
        const auto colon = rest.find(':');
        host = rest.substr(0, colon);
        if (host.empty() || !std::all_of(host.begin(), host.end(), is_host_character))
            return std::nullopt;
        after_host =
            colon == std::string::npos ? std::string_view() : std::string_view(rest).substr(colon);
    }

    unsigned long port = scheme == "https" ? 443 : 80;
    if (!after_host.empty()) {
        auto digits = after_host.substr(1);
        if (after_host.front() != ':' || digits.empty() || digits.size() > 5 ||
            !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return std::nullopt;
        port = std::stoul(std::string(digits));
        if (port == 0 || port > 65535)
            return std::nullopt;
    }
    const bool default_port = port == (scheme == "https" ? 443u : 80u);
    return scheme + "://" + host + (default_port ? std::string() : ":" + std::to_string(port));
}

ServerConfig parse_config(const std::string& text, const std::filesystem::path& base) {
    json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded())
        throw ConfigError("the configuration is not valid JSON");
    Field root(document, "");
    if (!document.is_object())
        root.fail("a JSON object at the top level");

    ServerConfig config;
    config.listen = endpoint(root.at("listen"));
    if (root.has("plain_http"))
        config.plain_http = endpoint(root.at("plain_http"));
    config.certificate = existing_file(root.at("tls").at("certificate"), base);
    config.private_key = existing_file(root.at("tls").at("private_key"), base);
    config.database = resolve(base, root.at("database").text());
    config.document_root = resolve(base, root.at("document_root").text());
    std::error_code error;
    if (!std::filesystem::is_directory(config.document_root, error))
        throw ConfigError("document_root: expected a directory, but " +
                          not_usable(config.document_root, error, " is not one"));
    if (root.has("threads"))
        config.threads = static_cast<unsigned>(root.at("threads").integer(0, 256));
    if (root.has("limits"))
        read_limits(root.at("limits"), config);
    if (root.has("allowed_origins"))
        read_allowed_origins(root.at("allowed_origins"), config);
    if (root.has("log_level")) {
        auto level = log_level_named(root.at("log_level").text());
        if (!level)
            root.at("log_level").fail("\"debug\", \"info\", \"warning\" or \"error\"");
        config.log_level = *level;
    }
    if (root.has("routing"))
        read_routing(root.at("routing"), config.policy);
    if (root.has("register")) {
        const auto visit_register = root.at("register");
        if (!visit_register.value().is_object())
            visit_register.fail("an object such as {\"retention_days\": 1826}");
        // At least a month, so that a month's statistics can be made before its rows go; at
        // most fifty years, so that the cutoff stays a date the clock can hold.
        if (visit_register.has("retention_days"))
            config.visit_register.retention =
                std::chrono::days(visit_register.at("retention_days").integer(31, 366 * 50));
    }
    if (root.has("metrics"))
        read_metrics(root.at("metrics"), base, config);
    if (root.has("timezone")) {
        config.timezone = root.at("timezone").text();
        // An unknown zone would silently become UTC and shift every schedule by hours.
        if (config.timezone.find("..") != std::string::npos ||
            !std::filesystem::is_regular_file("/usr/share/zoneinfo/" + config.timezone, error))
            root.at("timezone").fail("a time zone of the tz database, e.g. \"Europe/Helsinki\"");
    }

    read_languages(root.at("languages"), config.network);
    read_municipalities(root.at("municipalities"), config.network);
    read_points(root.at("points"), config.network);
    return config;
}

ServerConfig load_config(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw ConfigError("cannot read the configuration file " + path.string());
    std::stringstream text;
    text << in.rdbuf();
    auto base = std::filesystem::absolute(path).parent_path();
    try {
        return parse_config(text.str(), base);
    } catch (const ConfigError& error) {
        throw ConfigError(path.string() + ": " + error.what());
    }
}

} // namespace neuvo::config
