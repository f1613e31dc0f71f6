// The configuration is the only place the service network is written down. These tests load the
// real demo network and check it against the domain facts (DOMAIN.md), and check that each kind of
// mistake an operator can make is refused with a message naming the field and what was expected.

#include "neuvo/config/server_config.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace config = neuvo::config;
namespace core = neuvo::core;
using Catch::Contains;
using nlohmann::json;

void write_file(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
    REQUIRE(out.good());
}

// A fresh directory holding what a configuration points at: a certificate and a key (their
// contents are not checked when loading, only that they exist) and a document root. Removed with
// everything in it at the end of the test.
class ConfigDirectory {
public:
    ConfigDirectory() {
        std::string pattern = (fs::temp_directory_path() / "neuvo-config-test-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path_ = pattern;
        write_file(path_ / "certs" / "dev-cert.pem", "dummy certificate\n");
        write_file(path_ / "certs" / "dev-key.pem", "dummy key\n");
        fs::create_directories(path_ / "www");
    }
    ~ConfigDirectory() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    ConfigDirectory(const ConfigDirectory&) = delete;
    ConfigDirectory& operator=(const ConfigDirectory&) = delete;

    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

// The smallest configuration that loads; each error test breaks exactly one thing in it, so that
// the error seen is the one the test is about.
json minimal_config() {
    return json::parse(R"({
      "listen": {"address": "127.0.0.1", "port": 8443},
      "tls": {"certificate": "certs/dev-cert.pem", "private_key": "certs/dev-key.pem"},
      "database": "var/test.db",
      "document_root": "www",
      "languages": [
        {"tag": "fi", "autonym": "Suomi", "dir": "ltr"},
        {"tag": "ar", "autonym": "العربية", "dir": "rtl"}
      ],
      "municipalities": [
        {"code": "091", "name": "Helsinki", "region": "capital-region"},
        {"code": "049", "name": "Espoo", "region": "capital-region"}
      ],
      "points": [
        {"id": "091-virka", "municipality": "091", "name": "Virka Info",
         "languages": ["fi", "ar"], "serves": ["049"], "national_pool": true,
         "schedules": {"ar": [{"days": ["mon", "tue"], "from": "09:00", "to": "16:00"}]}}
      ]
    })");
}

// The error message, or a text no test expects when the configuration was accepted: failing
// from inside an assertion's expression would abort the rest of the test case.
std::string config_error(const json& document, const fs::path& base) {
    try {
        config::parse_config(document.dump(), base);
    } catch (const config::ConfigError& error) {
        return error.what();
    }
    return "(accepted) " + document.dump();
}

json& first_slot(json& document) {
    return document["points"][0]["schedules"]["ar"][0];
}

// The demo configuration with its files moved into `directory`. The repository's demo.json
// points at ../certs/, which a fresh clone does not have; the rest is used exactly as shipped.
fs::path copy_of_demo_config(const ConfigDirectory& directory) {
    std::ifstream in(NEUVO_DEMO_CONFIG, std::ios::binary);
    INFO("reading " << NEUVO_DEMO_CONFIG);
    REQUIRE(in.good());
    json demo = json::parse(in);
    demo["tls"]["certificate"] = "certs/dev-cert.pem";
    demo["tls"]["private_key"] = "certs/dev-key.pem";
    demo["document_root"] = "www";
    demo["database"] = "var/demo.db";
    auto path = directory.path() / "demo.json";
    write_file(path, demo.dump(2));
    return path;
}

const core::Point& point(const config::ServerConfig& loaded, const std::string& id) {
    const auto* found = loaded.network.find_point(id);
    INFO("point " << id);
    REQUIRE(found != nullptr);
    return *found;
}

std::set<std::string> offered_languages(const core::Point& point) {
    std::set<std::string> tags;
    for (const auto& offer : point.languages)
        tags.insert(offer.language);
    return tags;
}

std::set<std::string> words(const std::string& text) {
    std::set<std::string> result;
    std::istringstream in(text);
    for (std::string word; in >> word;)
        result.insert(word);
    return result;
}

bool same_slot(const core::ScheduleSlot& a, const core::ScheduleSlot& b) {
    return a.weekday == b.weekday && a.from_minute == b.from_minute && a.to_minute == b.to_minute;
}

} // namespace

// ---- The demo configuration ----

TEST_CASE("the demo configuration loads and resolves its paths next to the file",
          "[config][demo]") {
    ConfigDirectory directory;
    auto loaded = config::load_config(copy_of_demo_config(directory));

    CHECK(loaded.listen.address == "127.0.0.1");
    CHECK(loaded.listen.port == 8443);
    CHECK_FALSE(loaded.plain_http.has_value());
    CHECK(loaded.certificate == directory.path() / "certs" / "dev-cert.pem");
    CHECK(loaded.private_key == directory.path() / "certs" / "dev-key.pem");
    CHECK(loaded.database == directory.path() / "var" / "demo.db");
    CHECK(loaded.document_root == directory.path() / "www");

    CHECK(loaded.limits.max_frame_bytes == 65536);
    CHECK(loaded.limits.max_connections == 20000);
    CHECK(loaded.limits.max_connections_per_address == 1000);
    CHECK(loaded.limits.max_handshakes_per_address == 32);
    CHECK(loaded.limits.session_lifetime == std::chrono::minutes(720));
    CHECK(loaded.policy.max_text_bytes == 4000);
    CHECK(loaded.policy.default_capacity == 3);
    CHECK(loaded.policy.max_capacity == 10);
}

TEST_CASE("the demo network has the nine points of DOMAIN.md with their languages",
          "[config][demo]") {
    ConfigDirectory directory;
    auto loaded = config::load_config(copy_of_demo_config(directory));

    // DOMAIN.md, "Advisory points for the demo configuration".
    const std::map<std::string, std::string> languages_by_point = {
        {"091-virka", "fi sv en ru et ar fr zh so tr prs fa ckb bg"},
        {"049-inespoo", "fi sv en ru"},
        {"092-vantaa", "fi sv en ru et ar so"},
        {"235-kauniainen", "fi sv en"},
        {"837-mainio", "fi en sv ru et fa prs ckb ar so zh th lo bg fr es sn"},
        {"853-infotori", "fi en ru ar ckb prs fa ps so sq es it de th"},
        {"109-kastelli", "fi en et ru tr prs fa ckb az"},
        {"205-monika", "fi en ru ar so"},
        {"564-oulu10", "zh ar th"},
    };
    std::set<std::string> ids;
    for (const auto& point : loaded.network.points)
        ids.insert(point.id);
    std::set<std::string> expected_ids;
    for (const auto& [id, languages] : languages_by_point)
        expected_ids.insert(id);
    CHECK(loaded.network.points.size() == 9);
    CHECK(ids == expected_ids);

    for (const auto& [id, languages] : languages_by_point) {
        INFO("point " << id);
        const auto& demo_point = point(loaded, id);
        CHECK(offered_languages(demo_point) == words(languages));
        // A point id starts with its municipality code, e.g. "091-virka" is in Helsinki (091).
        CHECK(id.starts_with(demo_point.municipality + "-"));
    }
    CHECK(offered_languages(point(loaded, "091-virka")).count("ckb") == 1);
}

TEST_CASE("Oulu10 offers one language a day, every other offer has no schedule", "[config][demo]") {
    ConfigDirectory directory;
    auto loaded = config::load_config(copy_of_demo_config(directory));

    // 09:00-16:00 is minutes 540 to 960; weekdays are ISO, 1 = Monday.
    const std::map<std::string, core::ScheduleSlot> oulu_days = {
        {"zh", {1, 540, 960}},
        {"ar", {2, 540, 960}},
        {"th", {3, 540, 960}},
    };
    for (const auto& offer : point(loaded, "564-oulu10").languages) {
        INFO("Oulu10 offers " << offer.language);
        REQUIRE(oulu_days.count(offer.language) == 1);
        REQUIRE(offer.schedule.size() == 1);
        CHECK(same_slot(offer.schedule[0], oulu_days.at(offer.language)));
    }
    for (const auto& demo_point : loaded.network.points) {
        if (demo_point.id == "564-oulu10")
            continue;
        for (const auto& offer : demo_point.languages) {
            INFO(demo_point.id << " offers " << offer.language);
            CHECK(offer.schedule.empty());
        }
    }
}

TEST_CASE("the capital region is one region group and partners serve their neighbours",
          "[config][demo]") {
    ConfigDirectory directory;
    auto loaded = config::load_config(copy_of_demo_config(directory));
    const auto& network = loaded.network;

    CHECK(network.municipalities.size() == 19);
    for (const char* code : {"091", "049", "092", "235"}) {
        INFO("municipality " << code);
        const auto* municipality = network.find_municipality(code);
        REQUIRE(municipality != nullptr);
        CHECK(municipality->region == "capital-region");
    }
    // Outside the capital region no municipality is in that group.
    int capital_region_members = 0;
    for (const auto& municipality : network.municipalities)
        capital_region_members += municipality.region == "capital-region" ? 1 : 0;
    CHECK(capital_region_members == 4);

    using Codes = std::vector<std::string>;
    CHECK(point(loaded, "837-mainio").serves_municipalities == Codes{"536", "211"});
    CHECK(point(loaded, "853-infotori").serves_municipalities == Codes{"202", "680"});
    CHECK(point(loaded, "109-kastelli").serves_municipalities == Codes{"165"});
    CHECK(point(loaded, "205-monika").serves_municipalities == Codes{"765", "290"});
    CHECK(point(loaded, "564-oulu10").serves_municipalities == Codes{"244"});
    CHECK(point(loaded, "091-virka").serves_municipalities.empty());

    std::set<std::string> national_pool;
    for (const auto& demo_point : network.points)
        if (demo_point.national_pool)
            national_pool.insert(demo_point.id);
    CHECK(national_pool ==
          std::set<std::string>{"091-virka", "837-mainio", "853-infotori", "205-monika"});
}

TEST_CASE("the demo languages are named by their autonyms with their writing direction",
          "[config][demo]") {
    ConfigDirectory directory;
    auto loaded = config::load_config(copy_of_demo_config(directory));
    const auto& network = loaded.network;

    CHECK(network.languages.size() == 26);
    for (const auto& demo_point : network.points)
        for (const auto& offer : demo_point.languages) {
            INFO(demo_point.id << " offers " << offer.language);
            CHECK(network.find_language(offer.language) != nullptr);
        }

    std::set<std::string> right_to_left;
    for (const auto& language : network.languages)
        if (language.right_to_left)
            right_to_left.insert(language.tag);
    CHECK(right_to_left == std::set<std::string>{"ar", "fa", "prs", "ps", "ckb"});

    // "Русский" must begin with Cyrillic Р (U+0420, UTF-8 D0 A0), not a Latin P look-alike.
    const auto* russian = network.find_language("ru");
    REQUIRE(russian != nullptr);
    CHECK(russian->autonym.starts_with("\xD0\xA0"));
    CHECK(russian->autonym == "Русский");
    REQUIRE(network.find_language("ar") != nullptr);
    CHECK(network.find_language("ar")->autonym == "العربية");
}

// ---- Configurations that must be refused ----

TEST_CASE("the minimal configuration the error tests start from is valid", "[config][errors]") {
    // Without this, an error test could pass on an error other than the one it introduces.
    ConfigDirectory directory;
    auto loaded = config::parse_config(minimal_config().dump(), directory.path());
    CHECK(loaded.network.points.size() == 1);
    REQUIRE(loaded.network.points[0].languages.size() == 2);
    const auto& arabic = loaded.network.points[0].languages[1];
    REQUIRE(arabic.schedule.size() == 2);
    CHECK(same_slot(arabic.schedule[0], {1, 540, 960}));
    CHECK(same_slot(arabic.schedule[1], {2, 540, 960}));
}

TEST_CASE("a file that is not JSON is refused with the file's path", "[config][errors]") {
    ConfigDirectory directory;
    auto path = directory.path() / "broken.json";
    write_file(path, "{\"listen\": {\"address\": \"127.0.0.1\",");
    try {
        config::load_config(path);
        FAIL("a truncated file was accepted");
    } catch (const config::ConfigError& error) {
        CHECK_THAT(error.what(), Contains(path.string()) && Contains("not valid JSON"));
    }
}

TEST_CASE("a configuration file that does not exist is refused with its path", "[config][errors]") {
    ConfigDirectory directory;
    auto path = directory.path() / "absent.json";
    try {
        config::load_config(path);
        FAIL("a missing file was accepted");
    } catch (const config::ConfigError& error) {
        CHECK_THAT(error.what(), Contains(path.string()));
    }
}

TEST_CASE("a configuration that is not an object is refused", "[config][errors]") {
    ConfigDirectory directory;
    CHECK_THAT(config_error(json::array({1, 2}), directory.path()),
               Contains("expected a JSON object at the top level"));
}

TEST_CASE("listen is required", "[config][errors]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    document.erase("listen");
    CHECK_THAT(config_error(document, directory.path()),
               Contains("listen: expected an object, got nothing"));
}

TEST_CASE("listen.port must be a TCP port", "[config][errors]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    document["listen"]["port"] = 70000;
    CHECK_THAT(config_error(document, directory.path()),
               Contains("listen.port: expected an integer from 0 to 65535, got 70000"));

    document["listen"]["port"] = "8443";
    CHECK_THAT(config_error(document, directory.path()), Contains("listen.port: expected"));
}

TEST_CASE("a language's dir is ltr or rtl", "[config][errors]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    document["languages"][0]["dir"] = "up";
    CHECK_THAT(config_error(document, directory.path()),
               Contains(R"(languages[0].dir: expected "ltr" or "rtl", got "up")"));
}

TEST_CASE("a language tag may be listed only once", "[config][errors]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    document["languages"][1]["tag"] = "fi";
    CHECK_THAT(config_error(document, directory.path()),
               Contains(R"(languages[1].tag: expected a tag not listed before, got "fi")"));
}

TEST_CASE("a language tag must look like BCP-47", "[config][errors]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    document["languages"][1]["tag"] = "Arabic";
    CHECK_THAT(config_error(document, directory.path()),
               Contains("languages[1].tag: expected a BCP-47 language tag"));
}

TEST_CASE("a point's municipality must be listed", "[config][errors]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    document["points"][0]["municipality"] = "999";
    CHECK_THAT(config_error(document, directory.path()),
               Contains(R"(points[0].municipality: expected a code listed in "municipalities", )"
                        R"(got "999")"));
}

TEST_CASE("a point's language must be in the languages table", "[config][errors]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    document["points"][0]["languages"][1] = "xx";
    document["points"][0].erase("schedules");
    CHECK_THAT(config_error(document, directory.path()),
               Contains(R"(points[0].languages[1]: expected a tag listed in "languages", )"
                        R"(got "xx")"));
}

TEST_CASE("a point lists each language once", "[config][errors]") {
    // A second copy would silently take no schedule: the first copy gets them all.
    ConfigDirectory directory;
    auto document = minimal_config();
    document["points"][0]["languages"].push_back(document["points"][0]["languages"][0]);
    CHECK_THAT(config_error(document, directory.path()),
               Contains(R"(points[0].languages[2]: expected a tag not listed before for this )"
                        R"(point)"));
}

TEST_CASE("a point can only serve listed municipalities", "[config][errors]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    document["points"][0]["serves"] = {"049", "998"};
    CHECK_THAT(config_error(document, directory.path()),
               Contains(R"(points[0].serves[1]: expected a code listed in "municipalities", )"
                        R"(got "998")"));
}

TEST_CASE("a schedule is only for a language the point lists", "[config][errors]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    document["points"][0]["languages"] = {"fi"};
    CHECK_THAT(config_error(document, directory.path()),
               Contains("points[0].schedules.ar: expected a schedule only for a language the "
                        "point lists"));
}

TEST_CASE("a slot may run past midnight but not be empty", "[config][errors]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    first_slot(document)["from"] = "22:00";
    first_slot(document)["to"] = "02:00";
    auto loaded = config::parse_config(document.dump(), directory.path());
    const auto& slot = loaded.network.points[0].languages[1].schedule[0];
    CHECK(slot.from_minute == 22 * 60);
    CHECK(slot.to_minute == 2 * 60); // the core reads an end before the start as the next day

    first_slot(document)["from"] = "09:00";
    first_slot(document)["to"] = "09:00";
    CHECK_THAT(config_error(document, directory.path()),
               Contains(R"(points[0].schedules.ar[0].to: expected a time other than "from" )"
                        R"((an end before the start runs past midnight), got "09:00")"));
}

TEST_CASE("a slot's days are weekday abbreviations", "[config][errors]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    first_slot(document)["days"] = {"mon", "funday"};
    CHECK_THAT(config_error(document, directory.path()),
               Contains("points[0].schedules.ar[0].days[1]: expected a weekday: mon, tue, wed, "
                        R"(thu, fri, sat or sun, got "funday")"));
}

TEST_CASE("slot times are written HH:MM", "[config][errors]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    first_slot(document)["from"] = "9:00";
    CHECK_THAT(config_error(document, directory.path()),
               Contains(R"(points[0].schedules.ar[0].from: expected a time "HH:MM", got "9:00")"));

    // Five characters that are still not HH:MM; a stream parser skipping blanks and stopping at
    // the first non-digit would read each of these as a valid time.
    for (const char* time :
         {" 9:00", "9:001", "09:0x", "09: 5", "+9:00", "25:00", "24:01", "12:60"}) {
        INFO("from " << time);
        first_slot(document)["from"] = time;
        CHECK_THAT(config_error(document, directory.path()),
                   Contains(R"(points[0].schedules.ar[0].from: expected a time "HH:MM")"));
    }
}

TEST_CASE("a slot may run until 24:00", "[config][schedule]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    first_slot(document)["from"] = "00:00";
    first_slot(document)["to"] = "24:00";
    auto loaded = config::parse_config(document.dump(), directory.path());
    const auto& arabic = loaded.network.points[0].languages[1];
    REQUIRE_FALSE(arabic.schedule.empty());
    CHECK(same_slot(arabic.schedule[0], {1, 0, 1440}));
}

TEST_CASE("a missing certificate is refused with the path that was looked for",
          "[config][errors]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    document["tls"]["certificate"] = "certs/missing.pem";
    auto missing = (directory.path() / "certs" / "missing.pem").string();
    CHECK_THAT(config_error(document, directory.path()),
               Contains("tls.certificate: expected a readable file") && Contains(missing));

    document = minimal_config();
    document["tls"]["private_key"] = "certs/missing-key.pem";
    CHECK_THAT(config_error(document, directory.path()),
               Contains("tls.private_key: expected a readable file") &&
                   Contains((directory.path() / "certs" / "missing-key.pem").string()));
}

TEST_CASE("document_root must be a directory", "[config][errors]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    document["document_root"] = "certs/dev-cert.pem";
    CHECK_THAT(config_error(document, directory.path()),
               Contains("document_root: expected a directory") &&
                   Contains((directory.path() / "certs" / "dev-cert.pem").string()));
}

TEST_CASE("a full chat message must fit in a frame with room to spare", "[config][errors]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    document["limits"] = {{"max_frame_bytes", 8192}, {"max_text_bytes", 7169}};
    CHECK_THAT(config_error(document, directory.path()),
               Contains("limits.max_text_bytes: expected at least 1024 bytes less than "
                        "max_frame_bytes"));

    // 1024 bytes of room is exactly enough.
    document["limits"]["max_text_bytes"] = 7168;
    CHECK(config::parse_config(document.dump(), directory.path()).policy.max_text_bytes == 7168);
}

TEST_CASE("the default capacity cannot exceed the maximum capacity", "[config][errors]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    document["limits"] = {{"max_capacity", 4}, {"default_capacity", 5}};
    CHECK_THAT(config_error(document, directory.path()),
               Contains("limits.default_capacity: expected an integer from 1 to 4, got 5"));

    // Lowering only the maximum below the built-in default of 3 must not leave an advisor's
    // starting capacity above what the advisor may choose.
    document["limits"] = {{"max_capacity", 2}};
    CHECK_THAT(config_error(document, directory.path()),
               Contains("limits.max_capacity: expected at least default_capacity (3), got 2"));
}

TEST_CASE("the heartbeat's ping interval and timeout are read and checked", "[config]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    auto defaults = config::parse_config(document.dump(), directory.path());
    CHECK(defaults.limits.ping_interval == std::chrono::seconds(30));
    CHECK(defaults.limits.ping_timeout == std::chrono::seconds(30));

    document["limits"] = {{"ping_interval_seconds", 1}, {"ping_timeout_seconds", 3600}};
    auto edges = config::parse_config(document.dump(), directory.path());
    CHECK(edges.limits.ping_interval == std::chrono::seconds(1));
    CHECK(edges.limits.ping_timeout == std::chrono::seconds(3600));

    const std::vector<std::pair<json, std::string>> refused = {
        {{{"ping_interval_seconds", 0}},
         "limits.ping_interval_seconds: expected an integer from 1 to 3600, got 0"},
        {{{"ping_interval_seconds", 3601}},
         "limits.ping_interval_seconds: expected an integer from 1 to 3600, got 3601"},
        {{{"ping_interval_seconds", "30"}},
         "limits.ping_interval_seconds: expected an integer from 1 to 3600, got \"30\""},
        {{{"ping_timeout_seconds", 0}},
         "limits.ping_timeout_seconds: expected an integer from 1 to 3600, got 0"},
        {{{"ping_timeout_seconds", 2.5}},
         "limits.ping_timeout_seconds: expected an integer from 1 to 3600, got 2.5"},
        // The setting they replaced is not quietly ignored: its value would not apply.
        {{{"idle_timeout_seconds", 60}},
         "limits.idle_timeout_seconds: no longer read; set ping_interval_seconds and "
         "ping_timeout_seconds instead"},
    };
    for (const auto& [limits, message] : refused) {
        INFO(limits.dump());
        document["limits"] = limits;
        CHECK_THAT(config_error(document, directory.path()), Contains(message));
    }
}

TEST_CASE("routing settings and the time zone are read and checked", "[config]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    auto defaults = config::parse_config(document.dump(), directory.path());
    CHECK(defaults.policy.offer_timeout == std::chrono::seconds(20));
    CHECK(defaults.timezone == "Europe/Helsinki");

    document["routing"] = {{"offer_timeout_seconds", 15},    {"max_missed_offers", 3},
                           {"reoffer_after_seconds", 90},    {"advisor_grace_seconds", 30},
                           {"client_grace_seconds", 45},     {"long_wait_seconds", 300},
                           {"default_service_seconds", 480}, {"service_history", 10},
                           {"queue_news_interval_ms", 250}};
    document["timezone"] = "Europe/Stockholm";
    auto loaded = config::parse_config(document.dump(), directory.path());
    CHECK(loaded.policy.offer_timeout == std::chrono::seconds(15));
    CHECK(loaded.policy.max_missed_offers == 3);
    CHECK(loaded.policy.reoffer_after == std::chrono::seconds(90));
    CHECK(loaded.policy.advisor_grace == std::chrono::seconds(30));
    CHECK(defaults.policy.client_grace == std::chrono::seconds(120));
    CHECK(loaded.policy.client_grace == std::chrono::seconds(45));
    CHECK(loaded.policy.long_wait == std::chrono::seconds(300));
    CHECK(loaded.policy.default_service == std::chrono::seconds(480));
    CHECK(loaded.policy.service_history == 10);
    CHECK(defaults.policy.queue_news_interval == std::chrono::milliseconds(1000));
    CHECK(loaded.policy.queue_news_interval == std::chrono::milliseconds(250));
    CHECK(loaded.timezone == "Europe/Stockholm");

    document["routing"]["offer_timeout_seconds"] = 0;
    CHECK_THAT(config_error(document, directory.path()),
               Contains("routing.offer_timeout_seconds: expected an integer from 1 to 600, got 0"));
    document["routing"]["offer_timeout_seconds"] = 15;
    document["routing"]["client_grace_seconds"] = 3601;
    CHECK_THAT(
        config_error(document, directory.path()),
        Contains("routing.client_grace_seconds: expected an integer from 0 to 3600, got 3601"));
    document["routing"]["client_grace_seconds"] = 45;
    document["routing"]["queue_news_interval_ms"] = -1;
    CHECK_THAT(
        config_error(document, directory.path()),
        Contains("routing.queue_news_interval_ms: expected an integer from 0 to 60000, got -1"));
    document["routing"]["queue_news_interval_ms"] = 0;
    CHECK(config::parse_config(document.dump(), directory.path()).policy.queue_news_interval ==
          std::chrono::milliseconds(0));
    document["timezone"] = "Mars/Olympus_Mons";
    CHECK_THAT(config_error(document, directory.path()),
               Contains("timezone: expected a time zone of the tz database"));
}

TEST_CASE("the register keeps its rows five years unless told otherwise", "[config][register]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    CHECK(config::parse_config(document.dump(), directory.path()).visit_register.retention ==
          std::chrono::days(1826));
    document["register"] = {{"retention_days", 400}};
    CHECK(config::parse_config(document.dump(), directory.path()).visit_register.retention ==
          std::chrono::days(400));
}

TEST_CASE("register.retention_days is a number of days from a month to fifty years",
          "[config][errors]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    document["register"] = {{"retention_days", 7}};
    CHECK_THAT(config_error(document, directory.path()),
               Contains("register.retention_days: expected an integer from 31 to 18300, got 7"));
    document["register"] = {{"retention_days", "5 years"}};
    CHECK_THAT(config_error(document, directory.path()),
               Contains("register.retention_days: expected an integer"));
    document["register"] = 1826;
    CHECK_THAT(config_error(document, directory.path()),
               Contains("register: expected an object such as {\"retention_days\": 1826}"));
}

// ---- Metrics ----

TEST_CASE("metrics are off unless configured, then on a loopback listener of their own",
          "[config][metrics]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    auto off = config::parse_config(document.dump(), directory.path());
    CHECK_FALSE(off.metrics.enabled);

    document["metrics"] = json::object();
    auto on = config::parse_config(document.dump(), directory.path());
    CHECK(on.metrics.enabled);
    CHECK_FALSE(on.metrics.on_public_port);
    CHECK(on.metrics.listen.address == "127.0.0.1");
    CHECK(on.metrics.listen.port == 9464);
    CHECK(on.metrics.bearer_token.empty());

    document["metrics"] = {{"enabled", false}};
    CHECK_FALSE(config::parse_config(document.dump(), directory.path()).metrics.enabled);

    document["metrics"] = {{"listen", {{"address", "::1"}, {"port", 9100}}}};
    auto moved = config::parse_config(document.dump(), directory.path());
    CHECK(moved.metrics.listen.address == "::1");
    CHECK(moved.metrics.listen.port == 9100);
}

TEST_CASE("a metrics token is read from its file, and required off loopback and on the public "
          "port",
          "[config][metrics]") {
    ConfigDirectory directory;
    const std::string token(64, 'a');
    write_file(directory.path() / "metrics-token", token + "\n");
    auto document = minimal_config();
    document["metrics"] = {{"listen", {{"address", "0.0.0.0"}, {"port", 9464}}},
                           {"token_file", "metrics-token"}};
    auto wide = config::parse_config(document.dump(), directory.path());
    CHECK(wide.metrics.bearer_token == token);
    CHECK(wide.metrics.listen.address == "0.0.0.0");

    document["metrics"] = {{"on_public_port", true}, {"token_file", "metrics-token"}};
    auto public_port = config::parse_config(document.dump(), directory.path());
    CHECK(public_port.metrics.on_public_port);
    CHECK(public_port.metrics.bearer_token == token);
}

TEST_CASE("a metrics setting that would expose the numbers or cannot work is refused",
          "[config][errors][metrics]") {
    ConfigDirectory directory;
    write_file(directory.path() / "short-token", "abc\n");
    write_file(directory.path() / "blank-token",
               std::string(20, 'a') + " " + std::string(20, 'b') + "\n");
    const std::vector<std::pair<std::string, json>> cases = {
        {"metrics: expected an object such as {\"listen\": {\"address\": \"127.0.0.1\", "
         "\"port\": 9464}}, got true",
         true},
        {"metrics.enabled: expected true or false, got \"yes\"", {{"enabled", "yes"}}},
        {"metrics.listen.address: expected a loopback address (127.0.0.1 or ::1), or a "
         "metrics.token_file: the metrics listener speaks plain HTTP, got \"0.0.0.0\"",
         {{"listen", {{"address", "0.0.0.0"}, {"port", 9464}}}}},
        {"metrics.listen.port: expected an integer from 0 to 65535, got 70000",
         {{"listen", {{"address", "127.0.0.1"}, {"port", 70000}}}}},
        {"metrics.listen: expected an address and port that no other listener uses",
         {{"listen", {{"address", "127.0.0.1"}, {"port", 8443}}}}},
        {"metrics.token_file: expected a token file, since metrics.on_public_port puts /metrics "
         "where anyone can reach it",
         {{"on_public_port", true}}},
        {"metrics.listen: expected nothing: metrics.on_public_port serves /metrics on the HTTPS "
         "port instead",
         {{"on_public_port", true}, {"listen", {{"address", "127.0.0.1"}, {"port", 9464}}}}},
        {"metrics.token_file: expected a readable file, but", {{"token_file", "no-such-token"}}},
        {"metrics.token_file: expected a file whose first line is a token of 32 to 256 visible "
         "ASCII characters (e.g. from `openssl rand -hex 32`), but",
         {{"token_file", "short-token"}}},
        {"holds 41 characters with blanks or control characters", {{"token_file", "blank-token"}}},
    };
    for (const auto& [expected, metrics] : cases) {
        auto document = minimal_config();
        document["metrics"] = metrics;
        INFO(metrics.dump());
        CHECK_THAT(config_error(document, directory.path()), Contains(expected));
    }
}

// ---- Allowed origins and the log level ----

TEST_CASE("without allowed_origins the list is empty: the server allows its own origins",
          "[config][origins]") {
    ConfigDirectory directory;
    auto loaded = config::parse_config(minimal_config().dump(), directory.path());
    CHECK(loaded.allowed_origins.empty());
}

TEST_CASE("the demo configuration allows its own https origins on port 8443",
          "[config][demo][origins]") {
    ConfigDirectory directory;
    auto loaded = config::load_config(copy_of_demo_config(directory));
    CHECK(loaded.allowed_origins ==
          std::vector<std::string>{"https://127.0.0.1:8443", "https://localhost:8443"});
    CHECK(loaded.log_level == config::LogLevel::info);
}

TEST_CASE("allowed origins are kept in one form: lower case, no default port",
          "[config][origins]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    document["allowed_origins"] = {"https://Neuvo.Example.FI",  "HTTPS://neuvo.example.fi:8443",
                                   "https://kiosk.example:443", "http://proxy.example:80",
                                   "https://[::1]:8443",        "http://10.0.0.5:8080"};
    auto loaded = config::parse_config(document.dump(), directory.path());
    CHECK(loaded.allowed_origins ==
          std::vector<std::string>{"https://neuvo.example.fi", "https://neuvo.example.fi:8443",
                                   "https://kiosk.example", "http://proxy.example",
                                   "https://[::1]:8443", "http://10.0.0.5:8080"});
}

TEST_CASE("canonical_origin takes only scheme://host[:port]", "[config][origins]") {
    CHECK(config::canonical_origin("https://a.example") == "https://a.example");
    CHECK(config::canonical_origin("https://A.Example:443") == "https://a.example");
    CHECK(config::canonical_origin("http://a.example:443") == "http://a.example:443");
    CHECK(config::canonical_origin("https://a.example:80") == "https://a.example:80");
    CHECK(config::canonical_origin("https://[::1]") == "https://[::1]");
    for (const char* bad : {"",
                            "null",
                            "a.example",
                            "ftp://a.example",
                            "wss://a.example",
                            "https://",
                            "https://a.example/",
                            "https://a.example/path",
                            "https://user@a.example",
                            "https://a.example:",
                            "https://a.example:0",
                            "https://a.example:65536",
                            "https://a.example:8x",
                            "https://a.example:1:2",
                            "https://a example",
                            "https://[::1",
                            "https://[zz]",
                            "https://a.example?x",
                            "https://a.example#x",
                            " https://a.example"}) {
        INFO("origin \"" << bad << "\"");
        CHECK_FALSE(config::canonical_origin(bad).has_value());
    }
}

TEST_CASE("allowed_origins is a non-empty list of distinct origins", "[config][errors][origins]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    document["allowed_origins"] = json::array();
    CHECK_THAT(config_error(document, directory.path()),
               Contains("allowed_origins: expected a non-empty array, got []"));
    document["allowed_origins"] = "https://neuvo.example";
    CHECK_THAT(config_error(document, directory.path()),
               Contains("allowed_origins: expected a non-empty array"));
    document["allowed_origins"] = {"https://neuvo.example", "https://neuvo.example/"};
    CHECK_THAT(config_error(document, directory.path()),
               Contains("allowed_origins[1]: expected an origin \"https://host\" or "
                        "\"https://host:port\""));
    document["allowed_origins"] = {"https://neuvo.example", "neuvo.example"};
    CHECK_THAT(config_error(document, directory.path()),
               Contains("allowed_origins[1]: expected an origin"));
    document["allowed_origins"] = {"https://neuvo.example", 8443};
    CHECK_THAT(config_error(document, directory.path()),
               Contains("allowed_origins[1]: expected a non-empty string, got 8443"));
    document["allowed_origins"] = {"https://neuvo.example", "https://NEUVO.example:443"};
    CHECK_THAT(config_error(document, directory.path()),
               Contains("allowed_origins[1]: expected an origin not listed before"));
}

TEST_CASE("log_level is info unless set to debug, info, warning or error", "[config][log]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    CHECK(config::parse_config(document.dump(), directory.path()).log_level ==
          config::LogLevel::info);
    const std::vector<std::pair<std::string, config::LogLevel>> levels = {
        {"debug", config::LogLevel::debug},
        {"info", config::LogLevel::info},
        {"warning", config::LogLevel::warning},
        {"error", config::LogLevel::error}};
    for (const auto& [name, level] : levels) {
        document["log_level"] = name;
        CHECK(config::parse_config(document.dump(), directory.path()).log_level == level);
    }
    document["log_level"] = "verbose";
    CHECK_THAT(config_error(document, directory.path()),
               Contains("log_level: expected \"debug\", \"info\", \"warning\" or \"error\", got "
                        "\"verbose\""));
    document["log_level"] = 3;
    CHECK_THAT(config_error(document, directory.path()),
               Contains("log_level: expected a non-empty string, got 3"));
}

TEST_CASE("the abuse limits have their defaults and take values within their ranges",
          "[config][limits]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    auto defaults = config::parse_config(document.dump(), directory.path());
    CHECK(defaults.policy.messages_per_minute == 30);
    CHECK(defaults.policy.message_burst == 10);
    CHECK(defaults.limits.session_idle == std::chrono::minutes(120));
    CHECK(defaults.limits.sign_in_per_account.max_failures == 5);
    CHECK(defaults.limits.sign_in_per_address.max_failures == 20);
    CHECK(defaults.policy.join_code_throttle.max_failures == 5);
    CHECK(defaults.limits.sign_in_per_account.window == std::chrono::minutes(15));
    CHECK(defaults.limits.sign_in_per_account.first_lockout == std::chrono::seconds(60));

    document["limits"] = {{"messages_per_minute", 120},         {"message_burst", 4},
                          {"session_idle_minutes", 30},         {"sign_in_failures_per_account", 3},
                          {"sign_in_failures_per_address", 50}, {"join_code_failures", 8},
                          {"failure_window_minutes", 5},        {"lockout_seconds", 30},
                          {"max_lockout_minutes", 10}};
    auto loaded = config::parse_config(document.dump(), directory.path());
    CHECK(loaded.policy.messages_per_minute == 120);
    CHECK(loaded.policy.message_burst == 4);
    CHECK(loaded.limits.session_idle == std::chrono::minutes(30));
    CHECK(loaded.limits.sign_in_per_account.max_failures == 3);
    CHECK(loaded.limits.sign_in_per_address.max_failures == 50);
    CHECK(loaded.policy.join_code_throttle.max_failures == 8);
    for (const auto* rule : {&loaded.limits.sign_in_per_account, &loaded.limits.sign_in_per_address,
                             &loaded.policy.join_code_throttle}) {
        CHECK(rule->window == std::chrono::minutes(5));
        CHECK(rule->first_lockout == std::chrono::seconds(30));
        CHECK(rule->max_lockout == std::chrono::minutes(10));
    }
}

TEST_CASE("an abuse limit out of its range names the field and the range", "[config][errors]") {
    ConfigDirectory directory;
    const std::vector<std::pair<std::string, nlohmann::json>> cases = {
        {"limits.messages_per_minute: expected an integer from 1 to 600000, got 0",
         {{"messages_per_minute", 0}}},
        {"limits.message_burst: expected an integer from 1 to 100000, got 100001",
         {{"message_burst", 100001}}},
        {"limits.session_idle_minutes: expected an integer from 5 to 1440, got 4",
         {{"session_idle_minutes", 4}}},
        {"limits.sign_in_failures_per_account: expected an integer from 1 to 100",
         {{"sign_in_failures_per_account", "5"}}},
        {"limits.sign_in_failures_per_address: expected an integer from 1 to 10000, got 0",
         {{"sign_in_failures_per_address", 0}}},
        {"limits.join_code_failures: expected an integer from 1 to 100, got -1",
         {{"join_code_failures", -1}}},
        {"limits.failure_window_minutes: expected an integer from 1 to 1440, got 0",
         {{"failure_window_minutes", 0}}},
        {"limits.lockout_seconds: expected an integer from 1 to 3600, got 3601",
         {{"lockout_seconds", 3601}}},
        {"limits.max_lockout_minutes: expected at least lockout_seconds (600 s)",
         {{"lockout_seconds", 600}, {"max_lockout_minutes", 5}}},
        {"limits.session_idle_minutes: expected more than ping_interval_seconds plus "
         "ping_timeout_seconds plus a minute",
         {{"session_idle_minutes", 10},
          {"ping_interval_seconds", 300},
          {"ping_timeout_seconds", 300}}},
    };
    for (const auto& [expected, limits] : cases) {
        auto document = minimal_config();
        document["limits"] = limits;
        INFO(limits.dump());
        CHECK_THAT(config_error(document, directory.path()), Contains(expected));
    }
}

TEST_CASE("the per-address connection limits have generous defaults and are read",
          "[config][limits]") {
    ConfigDirectory directory;
    auto document = minimal_config();
    auto defaults = config::parse_config(document.dump(), directory.path());
    // Many people share an address behind a carrier's NAT or a library's network.
    CHECK(defaults.limits.max_connections_per_address == 1000);
    CHECK(defaults.limits.max_handshakes_per_address == 32);
    // One home's or phone's IPv6 network, as providers hand them out.
    CHECK(defaults.limits.ipv6_prefix_length == 64);

    document["limits"] = {{"max_connections_per_address", 50}, {"max_handshakes_per_address", 50}};
    auto loaded = config::parse_config(document.dump(), directory.path());
    CHECK(loaded.limits.max_connections_per_address == 50);
    CHECK(loaded.limits.max_handshakes_per_address == 50);

    document["limits"] = {{"max_connections_per_address", 1}, {"max_handshakes_per_address", 1}};
    auto smallest = config::parse_config(document.dump(), directory.path());
    CHECK(smallest.limits.max_connections_per_address == 1);
    CHECK(smallest.limits.max_handshakes_per_address == 1);

    document["limits"] = {{"max_connections_per_address", 10'000'000},
                          {"max_handshakes_per_address", 10'000'000}};
    auto largest = config::parse_config(document.dump(), directory.path());
    CHECK(largest.limits.max_connections_per_address == 10'000'000);
    CHECK(largest.limits.max_handshakes_per_address == 10'000'000);

    for (int prefix : {32, 48, 56, 128}) {
        document["limits"] = {{"ipv6_prefix_length", prefix}};
        CHECK(config::parse_config(document.dump(), directory.path()).limits.ipv6_prefix_length ==
              prefix);
    }
}

TEST_CASE("a per-address connection limit out of its range names the field and the range",
          "[config][errors][limits]") {
    ConfigDirectory directory;
    const std::vector<std::pair<std::string, nlohmann::json>> cases = {
        {"limits.max_connections_per_address: expected an integer from 1 to 10000000, got 0",
         {{"max_connections_per_address", 0}}},
        {"limits.max_connections_per_address: expected an integer from 1 to 10000000, got -5",
         {{"max_connections_per_address", -5}}},
        {"limits.max_connections_per_address: expected an integer from 1 to 10000000, got "
         "10000001",
         {{"max_connections_per_address", 10'000'001}}},
        {"limits.max_connections_per_address: expected an integer from 1 to 10000000, got "
         "\"1000\"",
         {{"max_connections_per_address", "1000"}}},
        {"limits.max_handshakes_per_address: expected an integer from 1 to 10000000, got 0",
         {{"max_handshakes_per_address", 0}}},
        {"limits.max_handshakes_per_address: expected an integer from 1 to 10000000, got 2.5",
         {{"max_handshakes_per_address", 2.5}}},
        {"limits.max_handshakes_per_address: expected an integer from 1 to 10000000, got true",
         {{"max_handshakes_per_address", true}}},
        {"limits.ipv6_prefix_length: expected an integer from 32 to 128, got 31",
         {{"ipv6_prefix_length", 31}}},
        {"limits.ipv6_prefix_length: expected an integer from 32 to 128, got 129",
         {{"ipv6_prefix_length", 129}}},
        {"limits.ipv6_prefix_length: expected an integer from 32 to 128, got \"/64\"",
         {{"ipv6_prefix_length", "/64"}}},
        // Every handshake is a connection too.
        {"limits.max_handshakes_per_address: expected at most max_connections_per_address (10), "
         "got 11",
         {{"max_connections_per_address", 10}, {"max_handshakes_per_address", 11}}},
        // The default of 32 handshakes, under a connection limit set lower.
        {"limits.max_handshakes_per_address: expected at most max_connections_per_address (8), "
         "got 32",
         {{"max_connections_per_address", 8}}},
    };
    for (const auto& [expected, limits] : cases) {
        auto document = minimal_config();
        document["limits"] = limits;
        INFO(limits.dump());
        CHECK_THAT(config_error(document, directory.path()), Contains(expected));
    }
}
