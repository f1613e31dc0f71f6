#include "demo_visits.hpp"

#include "neuvo/core/register_codes.hpp"

#include "core/demo_network.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace neuvo;

TEST_CASE("demo register rows follow the report's shares and the network", "[demo]") {
    const auto network = core::testing::demo_network();
    const auto now =
        std::chrono::sys_days{std::chrono::year{2026} / 11 / 25} + std::chrono::hours(14);
    const auto rows =
        app::demo_visits(network, {.count = 3000, .seed = 7, .months = 12, .now = now});
    REQUIRE(rows.size() == 3000);

    std::map<std::string, int> residence;
    std::map<std::string, int> homes;
    int served = 0;
    int third_country = 0;
    int aged_25_to_44 = 0;
    for (const auto& row : rows) {
        INFO("row " << row.point_id << " " << row.language);
        CHECK(row.started_hour < now);
        CHECK(row.started_hour > now - std::chrono::days(12 * 31));
        CHECK(row.started_hour == std::chrono::floor<std::chrono::hours>(row.started_hour));
        ++homes[row.home_municipality];
        if (row.outcome == "unserved") {
            CHECK(row.point_id.empty());
            CHECK(row.wrapup_state == "none");
            continue;
        }
        ++served;
        REQUIRE(network.find_point(row.point_id));
        CHECK(row.wrapup_state == "saved");
        CHECK(core::wrapup_problem(row.wrapup).empty());
        CHECK(row.wrapup.topics.size() >= 1);
        CHECK(row.wrapup.topics.size() <= 3);
        ++residence[row.wrapup.residence];
        third_country += row.wrapup.citizenship == "third-country";
        aged_25_to_44 += row.wrapup.age_group == "25-34" || row.wrapup.age_group == "35-44";
    }
    CHECK(served > 2600);
    CHECK(served < 3000);
    // 1-3 years is the largest group (30 %), not resident the smallest (4 %).
    CHECK(residence["1-3"] > residence["over-5"]);
    CHECK(residence["not-resident"] < residence["unknown"]);
    CHECK(aged_25_to_44 * 2 > served);
    CHECK(third_country * 100 > served * 60);
    // A few name no municipality of the network: about 2 % unknown, 1 % living abroad.
    CHECK(homes["abroad"] > 0);
    CHECK(homes["abroad"] < homes["unknown"]);

    SECTION("the same seed gives the same rows") {
        auto again =
            app::demo_visits(network, {.count = 3000, .seed = 7, .months = 12, .now = now});
        CHECK(again.back().wrapup.topics == rows.back().wrapup.topics);
        CHECK(again.back().started_hour == rows.back().started_hour);
    }
}
