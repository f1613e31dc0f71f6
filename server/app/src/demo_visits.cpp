#include "demo_visits.hpp"

#include "neuvo/store/database.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <ostream>
#include <random>
#include <string>
#include <string_view>
#include <utility>

namespace neuvo::app {
namespace {

using Shares = std::vector<std::pair<std::string_view, double>>;

class Draw {
public:
    explicit Draw(std::uint64_t seed) : random_(seed) {}

    std::string from(const Shares& shares) {
        double sum = 0;
        for (const auto& [code, weight] : shares)
            sum += weight;
        double at = std::uniform_real_distribution<double>(0, sum)(random_);
        for (const auto& [code, weight] : shares) {
            if (at < weight)
                return std::string(code);
            at -= weight;
        }
        return std::string(shares.back().first);
    }
    int number(const Shares& shares) { return std::stoi(from(shares)); }
    // Several distinct codes, the likelier ones first.
    std::vector<std::string> several(Shares shares, int how_many) {
        std::vector<std::string> picked;
        while (static_cast<int>(picked.size()) < how_many && !shares.empty()) {
            auto code = from(shares);
            std::erase_if(shares, [&](const auto& share) { return share.first == code; });
            picked.push_back(std::move(code));
        }
        return picked;
    }
    double fraction() { return std::uniform_real_distribution<double>(0, 1)(random_); }
    bool chance(double probability) { return fraction() < probability; }
    std::int64_t between(std::int64_t low, std::int64_t high) {
        return std::uniform_int_distribution<std::int64_t>(low, high)(random_);
    }
    std::int64_t exponential(double mean) {
        return static_cast<std::int64_t>(std::exponential_distribution<double>(1 / mean)(random_));
    }

private:
    std::mt19937_64 random_;
};

// ALPO report, 2011-13: length of residence 4, 16, 30, 18, 21, 11 %.
const Shares residence = {{"not-resident", 4}, {"under-1", 16}, {"1-3", 30},
                          {"3-5", 18},         {"over-5", 21},  {"unknown", 11}};
// Over half 25-44.
const Shares age = {{"0-17", 2},   {"18-24", 11}, {"25-34", 30},  {"35-44", 25},
                    {"45-54", 14}, {"55-64", 8},  {"65-plus", 4}, {"unknown", 6}};
const Shares gender = {{"female", 54}, {"male", 41}, {"other", 1}, {"unknown", 4}};
const Shares reason = {{"family", 34},        {"refugee", 22}, {"work", 18},  {"study", 7},
                       {"return-migrant", 5}, {"other", 5},    {"unknown", 9}};
const Shares education = {
    {"none", 7}, {"basic", 24}, {"upper-secondary", 30}, {"higher", 26}, {"unknown", 13}};
const Shares labour = {
    {"employed", 22},           {"unemployed", 30}, {"training", 11}, {"student", 11},
    {"home-with-children", 10}, {"retired", 4},     {"other", 4},     {"unknown", 8}};
// Decisions, forms, residence permits, registration and citizenship most common.
const Shares topics = {{"decisions", 20},
                       {"forms", 18},
                       {"residence-permits", 16},
                       {"registration", 13},
                       {"citizenship", 11},
                       {"family-reunification", 6},
                       {"social-security", 9},
                       {"health", 5},
                       {"housing", 6},
                       {"work", 6},
                       {"education", 4},
                       {"language-courses", 5},
                       {"daycare-school", 3},
                       {"taxation", 3},
                       {"money", 4},
                       {"everyday-life", 5},
                       {"other", 2}};
// Kela, social services and the TE office most common.
const Shares referrals = {
    {"kela", 25},       {"social-services", 18}, {"te-office", 16},
    {"migri", 10},      {"police", 3},           {"dvv", 6},
    {"health-care", 5}, {"tax-office", 4},       {"educational-institution", 4},
    {"ngo", 4},         {"legal-aid", 2},        {"advisory-point", 3}};
// Russia, Estonia and Iraq largest.
const Shares countries = {{"RU", 24}, {"EE", 16}, {"IQ", 14}, {"SO", 8}, {"AF", 7},
                          {"CN", 5},  {"TH", 5},  {"SY", 5},  {"TR", 4}, {"IR", 4},
                          {"UA", 6},  {"BG", 1},  {"VN", 1}};
// Where the speakers of a language most likely come from.
const std::map<std::string_view, Shares> countries_by_language = {
    {"ru", {{"RU", 80}, {"UA", 12}, {"EE", 8}}},
    {"et", {{"EE", 100}}},
    {"uk", {{"UA", 100}}},
    {"ar", {{"IQ", 60}, {"SY", 35}, {"SO", 5}}},
    {"so", {{"SO", 100}}},
    {"fa", {{"IR", 55}, {"AF", 45}}},
    {"prs", {{"AF", 100}}},
    {"ps", {{"AF", 100}}},
    {"ckb", {{"IQ", 85}, {"IR", 15}}},
    {"zh", {{"CN", 100}}},
    {"th", {{"TH", 100}}},
    {"tr", {{"TR", 100}}},
    {"bg", {{"BG", 100}}},
};
const std::map<std::string_view, double> language_weights = {
    {"ru", 22}, {"ar", 14},  {"et", 11}, {"en", 10},  {"so", 8}, {"fa", 6},
    {"fi", 5},  {"prs", 4},  {"ckb", 4}, {"zh", 4},   {"th", 4}, {"tr", 3},
    {"uk", 4},  {"sv", 1.5}, {"fr", 2},  {"es", 1.5}, {"bg", 1}, {"sq", 1}};
// Big points serve more; Kauniainen is small on purpose, so its cells are suppressed.
const std::map<std::string_view, double> point_weights = {
    {"091-virka", 30},  {"837-mainio", 15}, {"853-infotori", 12},
    {"092-vantaa", 10}, {"049-inespoo", 8}, {"109-kastelli", 7},
    {"205-monika", 5},  {"564-oulu10", 3},  {"235-kauniainen", 0.3}};

template <class Map> double weight_of(const Map& weights, std::string_view key, double fallback) {
    auto found = weights.find(key);
    return found == weights.end() ? fallback : found->second;
}

std::string home_of(Draw& draw, const core::Point& point, const core::ServiceNetwork& network) {
    // A third of those naming no municipality live abroad. One draw decides both, so the codes
    // do not shift the rest of a seed's rows.
    if (const double named_none = draw.fraction(); named_none < 0.03)
        return named_none < 0.01 ? "abroad" : "unknown";
    if (draw.chance(0.7))
        return point.municipality;
    const auto* own = network.find_municipality(point.municipality);
    Shares others;
    for (const auto& municipality : network.municipalities) {
        if (municipality.code == point.municipality)
            continue;
        const bool same_region = own && !own->region.empty() && municipality.region == own->region;
        const bool served =
            std::find(point.serves_municipalities.begin(), point.serves_municipalities.end(),
                      municipality.code) != point.serves_municipalities.end();
        // Capital-region residents cross to each other's points; others come from afar rarely.
        others.emplace_back(municipality.code, same_region ? 10 : served ? 4 : 0.4);
    }
    if (others.empty())
        return point.municipality;
    return draw.from(others);
}

std::string tier_of(const core::ServiceNetwork& network, const core::Point& point,
                    const std::string& home) {
    auto tier = network.tier_for(point, home);
    return core::tier_name(tier.value_or(core::Tier::national));
}

} // namespace

std::vector<core::VisitRecord> demo_visits(const core::ServiceNetwork& network,
                                           const DemoVisitOptions& options) {
    Draw draw(options.seed);
    std::vector<core::VisitRecord> rows;
    if (network.points.empty())
        return rows;
    Shares points;
    for (const auto& point : network.points)
        points.emplace_back(point.id, weight_of(point_weights, point.id, 2));
    const auto span_hours = static_cast<std::int64_t>(options.months) * 30 * 24;

    for (int i = 0; i < options.count; ++i) {
        const auto& point = *network.find_point(draw.from(points));
        Shares languages;
        for (const auto& offer : point.languages)
            languages.emplace_back(offer.language,
                                   weight_of(language_weights, offer.language, 0.5));
        core::VisitRecord row;
        row.language = draw.from(languages);
        row.channel =
            draw.from({{"chat", 80}, {"kiosk", 12}, {"video", 5}, {"language-support", 3}});
        row.home_municipality = home_of(draw, point, network);
        // Office hours, weekdays, some hour of the last `months` months.
        auto hour = std::chrono::floor<std::chrono::hours>(options.now) -
                    std::chrono::hours(draw.between(1, std::max<std::int64_t>(span_hours, 1)));
        const auto day = std::chrono::floor<std::chrono::days>(hour);
        const auto weekday = std::chrono::weekday(day);
        if (weekday == std::chrono::Saturday || weekday == std::chrono::Sunday)
            hour -= std::chrono::days(2);
        const auto day_start = std::chrono::floor<std::chrono::days>(hour);
        row.started_hour = day_start + std::chrono::hours(6 + (hour - day_start).count() % 9);
        row.wait_seconds = 15 + draw.exponential(row.language == "fi" ? 40 : 110);

        if (draw.chance(0.07)) {
            // The client gave up while queued: no point, no advisor, no wrap-up.
            row.outcome = "unserved";
            row.wait_seconds += 120;
            row.ended_by = "client_left_queue";
            row.wrapup_state = "none";
            rows.push_back(std::move(row));
            continue;
        }
        row.outcome = "served";
        row.point_id = point.id;
        row.advisor_point_id = point.id;
        row.tier = tier_of(network, point, row.home_municipality);
        row.duration_seconds = draw.between(120, 600) + draw.exponential(420);
        row.ended_by = draw.chance(0.6) ? "advisor" : "client";
        row.wrapup_state = "saved";

        auto& wrapup = row.wrapup;
        wrapup.residence = draw.from(residence);
        wrapup.age_group = draw.from(age);
        wrapup.gender = draw.from(gender);
        wrapup.immigration_reason = draw.from(reason);
        auto by_language = countries_by_language.find(row.language);
        wrapup.country = by_language != countries_by_language.end() && draw.chance(0.85)
                             ? draw.from(by_language->second)
                         : draw.chance(0.93) ? draw.from(countries)
                                             : std::string("unknown");
        if (wrapup.country == "EE" || wrapup.country == "BG")
            wrapup.citizenship = draw.chance(0.9) ? "eu-eea" : "finland";
        else if (wrapup.country == "unknown")
            wrapup.citizenship = draw.chance(0.5) ? "unknown" : "third-country";
        else
            wrapup.citizenship = draw.from({{"third-country", 88}, {"finland", 8}, {"unknown", 4}});
        wrapup.education = draw.from(education);
        wrapup.labour_status = draw.from(labour);
        wrapup.topics = draw.several(topics, draw.number({{"1", 50}, {"2", 35}, {"3", 15}}));
        wrapup.referrals = draw.chance(0.3) ? std::vector<std::string>{"none"}
                                            : draw.several(referrals, draw.chance(0.15) ? 2 : 1);
        wrapup.first_contact = draw.from({{"yes", 55}, {"no", 40}, {"unknown", 5}});
        wrapup.interpreter = draw.from({{"yes", 8}, {"no", 85}, {"unknown", 7}});
        if (draw.chance(0.4))
            row.rating = draw.number({{"5", 50}, {"4", 30}, {"3", 12}, {"2", 5}, {"1", 3}});
        rows.push_back(std::move(row));
    }
    return rows;
}

int create_demo_visits(const CommandLine& line, const config::ServerConfig& config,
                       std::ostream& out) {
    auto number = [&](const std::string& name, std::int64_t fallback, std::int64_t min,
                      std::int64_t max) {
        if (!line.has(name))
            return fallback;
        const auto text = line.required(name);
        std::int64_t value = 0;
        auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc() || end != text.data() + text.size() || value < min || value > max)
            throw UsageError("--" + name + ": expected a whole number from " + std::to_string(min) +
                             " to " + std::to_string(max));
        return value;
    };
    DemoVisitOptions options{
        .count = static_cast<int>(number("count", 3000, 0, 1'000'000)),
        .seed = static_cast<std::uint64_t>(number("seed", 1, 0, INT64_MAX)),
        .months = static_cast<int>(number("months", 12, 1, 120)),
        .now = std::chrono::system_clock::now(),
    };
    const auto path = line.value_or("database", config.database.string());
    store::Database database(path);
    if (line.has("if-empty") && !database.visits().empty()) {
        out << "The register in " << path << " has rows already; none added.\n";
        return 0;
    }
    const auto rows = demo_visits(config.network, options);
    database.begin();
    for (const auto& row : rows)
        database.insert_visit(row);
    database.commit();
    out << "Added " << rows.size() << " demo register rows over the last " << options.months
        << " months to " << path << ".\n";
    return 0;
}

} // namespace neuvo::app
