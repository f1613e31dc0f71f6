#include "statistics_api.hpp"

#include "core/demo_network.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace neuvo;
using net::parse_statistics_query;
using net::StatisticKind;
using net::StatisticsQuery;

namespace {

const core::ServiceNetwork network = core::testing::demo_network();

StatisticsQuery parsed(std::string_view kind, std::string_view query) {
    auto result = parse_statistics_query(kind, query, network);
    if (auto* reason = std::get_if<std::string>(&result))
        FAIL("refused: " << *reason);
    return std::get<StatisticsQuery>(result);
}

std::string refusal(std::string_view kind, std::string_view query) {
    auto result = parse_statistics_query(kind, query, network);
    REQUIRE(std::holds_alternative<std::string>(result));
    return std::get<std::string>(result);
}

stats::PublishedCell shown(std::int64_t value) {
    return {.state = stats::CellState::shown, .value = value};
}
const stats::PublishedCell small{.state = stats::CellState::small, .value = std::nullopt};
const stats::PublishedCell hidden{.state = stats::CellState::hidden, .value = std::nullopt};

} // namespace

TEST_CASE("a statistics query names its dimensions, months, point and outcome", "[statistics]") {
    auto query = parsed("counts", "by=language,point&from=2026-01&to=2026-12&point=091-virka"
                                  "&outcome=all");
    CHECK(query.kind == StatisticKind::counts);
    CHECK(query.dimensions == std::vector<std::string>{"language", "point"});
    CHECK(query.filter.from_month == "2026-01");
    CHECK(query.filter.to_month == "2026-12");
    CHECK(query.filter.point_id == "091-virka");
    CHECK(query.filter.outcome == "all");
    CHECK_FALSE(query.csv);

    SECTION("a comma escaped by the browser is a comma") {
        CHECK(parsed("counts", "by=language%2Cpoint").dimensions.size() == 2);
    }
    SECTION("served is the default outcome") {
        CHECK(parsed("counts", "by=residence").filter.outcome == "served");
    }
    SECTION("CSV in Finnish with semicolons") {
        auto csv = parsed("counts", "by=residence&format=csv&lang=fi&separator=semicolon");
        CHECK(csv.csv);
        CHECK(csv.language == "fi");
        CHECK(csv.separator == ';');
    }
    SECTION("unmet demand is language by outcome, every outcome") {
        auto unmet = parsed("unmet", "from=2026-01");
        CHECK(unmet.dimensions == std::vector<std::string>{"language", "outcome"});
        CHECK(unmet.filter.outcome == "all");
    }
    SECTION("reciprocity is home municipality by serving point") {
        auto reciprocity = parsed("reciprocity", "");
        CHECK(reciprocity.dimensions == std::vector<std::string>{"home", "point"});
        CHECK(reciprocity.filter.outcome == "served");
    }
    SECTION("times by one dimension or none") {
        CHECK(parsed("times", "by=language").dimensions == std::vector<std::string>{"language"});
        CHECK(parsed("times", "").dimensions.empty());
    }
}

TEST_CASE("a statistics query that cannot be answered says what is wrong", "[statistics]") {
    CHECK(refusal("counts", "") ==
          "parameter \"by\" is required: one or two dimensions, such as \"language\" or "
          "\"language,point\"");
    CHECK(refusal("counts", "by=shoe_size") ==
          "parameter \"by\": \"shoe_size\" is not a dimension");
    CHECK(refusal("counts", "by=language,point,month") ==
          "parameter \"by\": at most two dimensions");
    CHECK(refusal("counts", "by=language,language") ==
          "parameter \"by\": \"language\" is given twice");
    CHECK(refusal("counts", "by=language&from=2026-13") ==
          "parameter \"from\": \"2026-13\" is not a month such as \"2026-01\"");
    CHECK(refusal("counts", "by=language&to=26-01") ==
          "parameter \"to\": \"26-01\" is not a month such as \"2026-01\"");
    CHECK(refusal("counts", "by=language&from=2026-05&to=2026-04") ==
          "parameter \"from\": the period ends before it begins");
    CHECK(refusal("counts", "by=language&point=999-nowhere") ==
          "parameter \"point\": \"999-nowhere\" is not a point of this network");
    CHECK(refusal("counts", "by=language&outcome=maybe") ==
          "parameter \"outcome\": \"maybe\" is not served, unserved or all");
    CHECK(refusal("counts", "by=language&format=xlsx") ==
          "parameter \"format\": \"xlsx\" is not json or csv");
    CHECK(refusal("counts", "by=language&lang=de") ==
          "parameter \"lang\": \"de\" is not fi, sv or en");
    CHECK(refusal("counts", "by=language&colour=red") == "parameter \"colour\" is not known here");
    CHECK(refusal("counts", "by=language&by=point") == "parameter \"by\" is given twice");
    CHECK(refusal("counts", "by=%ZZ") == "the query string has a broken %-escape");
    CHECK(refusal("times", "by=language,point") ==
          "parameter \"by\": times are by one dimension at most");
    CHECK(refusal("unmet", "by=point") == "parameter \"by\": the unmet table has a fixed shape");
    CHECK(refusal("summary", "") ==
          "no statistic \"summary\": ask for counts, times, unmet or reciprocity");
    // Raw bytes are not quoted back.
    CHECK(refusal("counts", "by=%3Cscript%3E") ==
          "parameter \"by\": the value given is not a dimension");
}

TEST_CASE("a published table as JSON: codes, names, cells with their states, totals",
          "[statistics]") {
    auto query = parsed("counts", "by=language,point&from=2026-01&to=2026-12");
    stats::PublishedTable table{
        .row_codes = {"ar", "so"},
        .column_codes = {"091-virka", "092-vantaa"},
        .cells = {{shown(12), small}, {hidden, shown(7)}},
        .row_totals = {shown(15), hidden},
        .column_totals = {shown(20), shown(9)},
        .total = shown(29),
    };
    auto json = net::published_table_json(query, table, network);
    CHECK(json["statistic"] == "counts");
    CHECK(json["by"] == nlohmann::json::array({"language", "point"}));
    CHECK(json["filter"] ==
          nlohmann::json{
              {"from", "2026-01"}, {"to", "2026-12"}, {"point", nullptr}, {"outcome", "served"}});
    CHECK(json["rows"][0] == nlohmann::json{{"code", "ar"}, {"name", "العربية"}});
    CHECK(json["columns"][1] ==
          nlohmann::json{{"code", "092-vantaa"}, {"name", "Vantaa advisory point"}});
    CHECK(json["cells"][0][0] == nlohmann::json{{"value", 12}, {"state", "shown"}});
    CHECK(json["cells"][0][1] == nlohmann::json{{"value", "<5"}, {"state", "small"}});
    CHECK(json["cells"][1][0] == nlohmann::json{{"value", nullptr}, {"state", "hidden"}});
    CHECK(json["row_totals"][1]["state"] == "hidden");
    CHECK(json["total"]["value"] == 29);
}

TEST_CASE("a published table as CSV: code and label of each dimension, <5, empty when hidden",
          "[statistics]") {
    const auto labels =
        net::RegisterLabels::load(std::filesystem::path(NEUVO_SOURCE_DIR) / "client-web");
    auto query = parsed("counts", "by=residence&format=csv&lang=fi&separator=semicolon");
    stats::PublishedTable table{
        .row_codes = {"under-1", "1-3", "unknown"},
        .column_codes = {},
        .cells = {{small}, {shown(30)}, {hidden}},
        .row_totals = {small, shown(30), hidden},
        .column_totals = {shown(36)},
        .total = shown(36),
    };
    CHECK(net::published_table_csv(query, table, labels, network) ==
          "\xEF\xBB\xBFresidence;Maassaoloaika Suomessa;count\r\n"
          "under-1;Alle vuosi;<5\r\n"
          "1-3;1–3 vuotta;30\r\n"
          "unknown;Ei tiedossa;\r\n"
          "total;Yhteensä;36\r\n");
    CHECK(net::statistics_file_name(query) == "neuvo-counts-residence.csv");

    auto two = parsed("counts", "by=channel,outcome&format=csv&lang=en");
    stats::PublishedTable both{
        .row_codes = {"chat"},
        .column_codes = {"served", "unserved"},
        .cells = {{shown(40), shown(6)}},
        .row_totals = {shown(46)},
        .column_totals = {shown(40), shown(6)},
        .total = shown(46),
    };
    CHECK(net::published_table_csv(two, both, labels, network) ==
          "\xEF\xBB\xBF"
          "channel,Channel,outcome,Outcome,count\r\n"
          "chat,Chat,served,Served,40\r\n"
          "chat,Chat,unserved,Not served,6\r\n"
          "chat,Chat,total,Total,46\r\n"
          "total,Total,served,Served,40\r\n"
          "total,Total,unserved,Not served,6\r\n"
          "total,Total,total,Total,46\r\n");
}

TEST_CASE("times: mean and median, withheld for a small group", "[statistics]") {
    auto query = parsed("times", "by=language&from=2026-01");
    std::vector<store::GroupTimes> groups = {
        {.code = "ar",
         .wait_seconds = {10, 20, 30, 40, 50},
         .duration_seconds = {100, 200, 300, 400, 500}},
        {.code = "th", .wait_seconds = {5}, .duration_seconds = {60}},
    };
    auto json = net::times_json(query, groups, network);
    CHECK(json["by"] == "language");
    CHECK(json["groups"][0]["code"] == "ar");
    CHECK(json["groups"][0]["wait"]["mean_seconds"] == 30.0);
    CHECK(json["groups"][0]["duration"]["median_seconds"] == 300.0);
    CHECK(json["groups"][1]["wait"]["mean_seconds"].is_null());
    CHECK(json["groups"][1]["duration"]["median_seconds"].is_null());
    CHECK_FALSE(json["groups"][1].contains("rows"));

    const auto labels =
        net::RegisterLabels::load(std::filesystem::path(NEUVO_SOURCE_DIR) / "client-web");
    query.csv = true;
    CHECK(net::times_csv(query, groups, labels, network) ==
          "\xEF\xBB\xBFlanguage,Language,mean_wait_seconds,median_wait_seconds,"
          "mean_duration_seconds,median_duration_seconds\r\n"
          "ar,العربية,30,30,300,300\r\n"
          "th,ไทย,,,,\r\n");
}

TEST_CASE("the register's fields in form order, country after citizenship", "[statistics]") {
    auto json = net::register_fields_json();
    auto& fields = json["fields"];
    REQUIRE(fields.size() == 12);
    CHECK(fields[0]["name"] == "age_group");
    CHECK(fields[0]["codes"][0] == "0-17");
    CHECK(fields[4]["name"] == "citizenship");
    CHECK(fields[5]["name"] == "country");
    CHECK(fields[5]["codes"].size() == 250);
    CHECK(fields[5]["codes"].back() == "unknown");
    CHECK(fields[8]["name"] == "topics");
    CHECK(fields[8]["multiple"] == true);
}
