#include "neuvo/store/statistics_query.hpp"
#include "neuvo/store/store.hpp"

#include "test_database.hpp"

#include <catch2/catch.hpp>

#include <future>

using namespace neuvo;
using namespace neuvo::store;
using namespace neuvo::store::testing;
using namespace std::chrono_literals;

namespace {

using Counts = std::vector<std::vector<std::int64_t>>;
using Codes = std::vector<std::string>;
using Seconds = std::vector<std::int64_t>;

core::TimePoint day(int year, unsigned month, unsigned day_of_month) {
    return std::chrono::sys_days{std::chrono::year{year} / month / day_of_month};
}

core::VisitRecord served(const std::string& point, const std::string& language,
                         core::TimePoint started) {
    core::VisitRecord record;
    record.outcome = "served";
    record.point_id = point;
    record.advisor_point_id = point;
    record.channel = "chat";
    record.language = language;
    record.home_municipality = "049";
    record.tier = "region";
    record.started_hour = started + 10h + 20min;
    record.ended_by = "advisor";
    record.wrapup_state = "saved";
    return record;
}

core::VisitRecord unserved(const std::string& language, core::TimePoint started,
                           std::int64_t wait_seconds) {
    core::VisitRecord record;
    record.outcome = "unserved";
    record.channel = "kiosk";
    record.language = language;
    record.home_municipality = "unknown";
    record.started_hour = started + 15h;
    record.wait_seconds = wait_seconds;
    record.ended_by = "client_left_queue";
    return record;
}

// Four served contacts at two points from October to December 2026, and two clients who left the
// queue.
void insert_sample_rows(Database& database) {
    core::VisitRecord first = served("049-inespoo", "ru", day(2026, 10, 5));
    first.wait_seconds = 60;
    first.duration_seconds = 600;
    first.wrapup.age_group = "25-34";
    first.wrapup.gender = "female";
    first.wrapup.country = "RU";
    first.wrapup.topics = {"residence-permits", "housing"};
    first.wrapup.referrals = {"migri"};
    first.rating = 5;
    database.insert_visit(first);

    core::VisitRecord second = served("049-inespoo", "ar", day(2026, 11, 12));
    second.wait_seconds = 120;
    second.duration_seconds = 900;
    second.wrapup.age_group = "25-34";
    second.wrapup.gender = "male";
    second.wrapup.topics = {"housing"};
    second.wrapup.referrals = {"kela", "te-office"};
    database.insert_visit(second);

    core::VisitRecord third = served("091-virka", "ru", day(2026, 11, 20));
    third.wait_seconds = 30;
    third.duration_seconds = 300;
    third.wrapup.age_group = "35-44";
    third.wrapup.gender = "female";
    third.wrapup.country = "IQ";
    third.wrapup.topics = {"work", "housing"};
    third.wrapup.referrals = {"none"};
    third.rating = 3;
    database.insert_visit(third);

    // The advisor left before the wrap-up: every field "unknown", no topics.
    core::VisitRecord fourth = served("091-virka", "so", day(2026, 12, 1));
    fourth.wait_seconds = 10;
    fourth.duration_seconds = 100;
    fourth.wrapup_state = "missing";
    database.insert_visit(fourth);

    database.insert_visit(unserved("ar", day(2026, 11, 3), 400));
    database.insert_visit(unserved("so", day(2026, 12, 15), 200));
}

CountRequest by(std::vector<std::string> dimensions, VisitFilter filter = {}) {
    CountRequest request;
    request.dimensions = std::move(dimensions);
    request.filter = std::move(filter);
    return request;
}

VisitFilter outcome(const std::string& which) {
    VisitFilter filter;
    filter.outcome = which;
    return filter;
}

Counts column(std::vector<std::int64_t> counts) {
    Counts cells;
    for (const std::int64_t count : counts) {
        cells.push_back({count});
    }
    return cells;
}

} // namespace

TEST_CASE("the statistics dimensions are the ones the API names", "[store][statistics]") {
    CHECK(statistics_dimensions() == Codes{"point",         "language",      "channel",
                                           "month",         "home",          "outcome",
                                           "tier",          "wrapup",        "age_group",
                                           "gender",        "residence",     "immigration_reason",
                                           "citizenship",   "country",       "education",
                                           "labour_status", "first_contact", "interpreter",
                                           "rating",        "topic",         "referral"});
    CHECK(is_statistics_dimension("age_group"));
    CHECK(is_statistics_dimension("topic"));
    CHECK_FALSE(is_statistics_dimension("topics")); // the register field's name, not the API's
    CHECK_FALSE(is_statistics_dimension("ended_by"));
    CHECK_FALSE(is_statistics_dimension(""));
}

TEST_CASE("served contacts counted by one dimension", "[store][statistics]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    insert_sample_rows(database);

    const stats::CountTable languages = database.count_visits(by({"language"}));
    CHECK(languages.row_codes == Codes{"ar", "ru", "so"});
    CHECK(languages.column_codes.empty());
    CHECK(languages.cells == column({1, 2, 1}));

    // A register field has all its codes, in form order, found or not.
    const stats::CountTable ages = database.count_visits(by({"age_group"}));
    CHECK(ages.row_codes ==
          Codes{"0-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65-plus", "unknown"});
    CHECK(ages.cells == column({0, 0, 2, 1, 0, 0, 0, 1}));

    // Countries: only those found, by code ("unknown" sorts after the upper-case codes).
    const stats::CountTable countries = database.count_visits(by({"country"}));
    CHECK(countries.row_codes == Codes{"IQ", "RU", "unknown"});
    CHECK(countries.cells == column({1, 1, 2}));

    const stats::CountTable ratings = database.count_visits(by({"rating"}));
    CHECK(ratings.row_codes == Codes{"3", "5", "none"});
    CHECK(ratings.cells == column({1, 1, 2}));

    const stats::CountTable months = database.count_visits(by({"month"}));
    CHECK(months.row_codes == Codes{"2026-10", "2026-11", "2026-12"});
    CHECK(months.cells == column({1, 2, 1}));
}

TEST_CASE("contacts counted by two dimensions", "[store][statistics]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    insert_sample_rows(database);

    const stats::CountTable table = database.count_visits(by({"point", "gender"}));
    CHECK(table.row_codes == Codes{"049-inespoo", "091-virka"});
    CHECK(table.column_codes == Codes{"female", "male", "other", "unknown"});
    CHECK(table.cells == Counts{{1, 1, 0, 0}, {1, 0, 0, 1}});

    const stats::CountTable transposed = database.count_visits(by({"gender", "point"}));
    CHECK(transposed.row_codes == Codes{"female", "male", "other", "unknown"});
    CHECK(transposed.cells == Counts{{1, 1}, {1, 0}, {0, 0}, {0, 1}});
}

TEST_CASE("topics and referrals count a contact once per code", "[store][statistics]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    insert_sample_rows(database);

    const stats::CountTable topics = database.count_visits(by({"topic"}));
    REQUIRE(topics.row_codes.size() == 17);
    CHECK(topics.row_codes.front() == "decisions");
    CHECK(topics.row_codes.back() == "other");
    std::map<std::string, std::int64_t> mentions;
    for (std::size_t row = 0; row < topics.row_codes.size(); ++row) {
        if (topics.cells[row][0] != 0) {
            mentions[topics.row_codes[row]] = topics.cells[row][0];
        }
    }
    CHECK(mentions == std::map<std::string, std::int64_t>{
                          {"housing", 3}, {"residence-permits", 1}, {"work", 1}});

    const stats::CountTable by_point = database.count_visits(by({"topic", "point"}));
    CHECK(by_point.column_codes == Codes{"049-inespoo", "091-virka"});
    const auto row_of = [&](const std::string& code) {
        const auto at = std::find(by_point.row_codes.begin(), by_point.row_codes.end(), code);
        REQUIRE(at != by_point.row_codes.end());
        return by_point.cells[static_cast<std::size_t>(at - by_point.row_codes.begin())];
    };
    CHECK(row_of("housing") == std::vector<std::int64_t>{2, 1});
    CHECK(row_of("residence-permits") == std::vector<std::int64_t>{1, 0});
    CHECK(row_of("work") == std::vector<std::int64_t>{0, 1});
    CHECK(row_of("forms") == std::vector<std::int64_t>{0, 0});

    const stats::CountTable referrals = database.count_visits(by({"referral"}));
    REQUIRE(referrals.row_codes.size() == 13);
    CHECK(referrals.row_codes[0] == "kela");
    CHECK(referrals.cells[0][0] == 1);
    CHECK(referrals.row_codes[2] == "te-office");
    CHECK(referrals.cells[2][0] == 1);
    CHECK(referrals.row_codes[3] == "migri");
    CHECK(referrals.cells[3][0] == 1);
    CHECK(referrals.row_codes[12] == "none");
    CHECK(referrals.cells[12][0] == 1);
}

TEST_CASE("month, point and outcome filters select the rows counted", "[store][statistics]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    insert_sample_rows(database);

    VisitFilter november = outcome("all");
    november.from_month = "2026-11";
    november.to_month = "2026-11";
    const stats::CountTable months = database.count_visits(by({"month"}, november));
    CHECK(months.row_codes == Codes{"2026-11"});
    CHECK(months.cells == column({3}));

    VisitFilter from_november;
    from_november.from_month = "2026-11";
    CHECK(database.count_visits(by({"month"}, from_november)).cells == column({2, 1}));
    VisitFilter to_october;
    to_october.to_month = "2026-10";
    CHECK(database.count_visits(by({"language"}, to_october)).row_codes == Codes{"ru"});

    VisitFilter virka;
    virka.point_id = "091-virka";
    const stats::CountTable languages = database.count_visits(by({"language"}, virka));
    CHECK(languages.row_codes == Codes{"ru", "so"});
    CHECK(languages.cells == column({1, 1}));

    // An unserved request has no point: "none".
    const stats::CountTable unserved_points =
        database.count_visits(by({"point"}, outcome("unserved")));
    CHECK(unserved_points.row_codes == Codes{"none"});
    CHECK(unserved_points.cells == column({2}));
    const stats::CountTable all_points = database.count_visits(by({"point"}, outcome("all")));
    CHECK(all_points.row_codes == Codes{"049-inespoo", "091-virka", "none"});
    CHECK(all_points.cells == column({2, 2, 2}));

    const stats::CountTable outcomes =
        database.count_visits(by({"outcome", "tier"}, outcome("all")));
    CHECK(outcomes.row_codes == Codes{"served", "unserved"});
    CHECK(outcomes.column_codes == Codes{"none", "region"});
    CHECK(outcomes.cells == Counts{{0, 4}, {2, 0}});

    const stats::CountTable wrapups = database.count_visits(by({"wrapup"}, outcome("all")));
    CHECK(wrapups.row_codes == Codes{"missing", "none", "saved"});
    CHECK(wrapups.cells == column({1, 2, 3}));

    // A point filter is a bound value like any other: quotes in it are only text.
    VisitFilter quoted;
    quoted.point_id = "x' OR '1'='1";
    CHECK(database.count_visits(by({"language"}, quoted)).cells.empty());

    // No rows at all: a coded field still has its shape.
    VisitFilter empty_month;
    empty_month.from_month = "2030-01";
    const stats::CountTable nothing =
        database.count_visits(by({"gender", "language"}, empty_month));
    CHECK(nothing.row_codes == Codes{"female", "male", "other", "unknown"});
    CHECK(nothing.column_codes.empty());
    CHECK(nothing.cells == Counts{{}, {}, {}, {}});
}

TEST_CASE("a bad statistics request is refused naming what is wrong", "[store][statistics]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    insert_sample_rows(database);
    const auto before = database.visits();

    using Catch::Matchers::Contains;
    CHECK_THROWS_WITH(database.count_visits(by({"name"})), Contains("\"name\""));
    CHECK_THROWS_WITH(database.count_visits(by({"language; DROP TABLE visits"})),
                      Contains("language; DROP TABLE visits"));
    CHECK_THROWS_WITH(database.count_visits(by({})), Contains("one or two dimensions"));
    CHECK_THROWS_WITH(database.count_visits(by({"point", "language", "channel"})),
                      Contains("one or two dimensions"));
    CHECK_THROWS_WITH(database.count_visits(by({"gender", "gender"})),
                      Contains("\"gender\" is given twice"));
    CHECK_THROWS_WITH(database.count_visits(by({"language", "topics"})), Contains("\"topics\""));
    for (const std::string month :
         {"2026-13", "2026-00", "2026-1", "26-11", "2026/11", "2026-11-01", "abcd-ef"}) {
        VisitFilter from;
        from.from_month = month;
        CHECK_THROWS_WITH(database.count_visits(by({"language"}, from)),
                          Contains("from_month \"" + month + "\""));
        VisitFilter to;
        to.to_month = month;
        CHECK_THROWS_WITH(database.count_visits(by({"language"}, to)),
                          Contains("to_month \"" + month + "\""));
    }
    VisitFilter backwards;
    backwards.from_month = "2026-12";
    backwards.to_month = "2026-11";
    CHECK_THROWS_WITH(database.count_visits(by({"language"}, backwards)),
                      Contains("from_month 2026-12 is after to_month 2026-11"));
    CHECK_THROWS_WITH(database.count_visits(by({"language"}, outcome("maybe"))),
                      Contains("\"maybe\""));
    CHECK_THROWS_AS(database.count_visits(by({"name"})), StoreError);

    TimesRequest times;
    times.dimension = "wait";
    CHECK_THROWS_WITH(database.visit_times(times), Contains("\"wait\""));
    times.dimension.clear();
    times.filter.outcome = "everything";
    CHECK_THROWS_WITH(database.visit_times(times), Contains("\"everything\""));

    // Nothing else is disturbed.
    CHECK(database.visits() == before);
    CHECK(database.count_visits(by({"language"})).cells == column({1, 2, 1}));
}

TEST_CASE("wait and duration seconds by group", "[store][statistics]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    insert_sample_rows(database);

    TimesRequest all;
    const std::vector<GroupTimes> everyone = database.visit_times(all);
    REQUIRE(everyone.size() == 1);
    CHECK(everyone[0].code.empty());
    CHECK(everyone[0].wait_seconds == Seconds{60, 120, 30, 10});
    CHECK(everyone[0].duration_seconds == Seconds{600, 900, 300, 100});

    TimesRequest by_point;
    by_point.dimension = "point";
    const std::vector<GroupTimes> points = database.visit_times(by_point);
    REQUIRE(points.size() == 2);
    CHECK(points[0].code == "049-inespoo");
    CHECK(points[0].wait_seconds == Seconds{60, 120});
    CHECK(points[1].code == "091-virka");
    CHECK(points[1].duration_seconds == Seconds{300, 100});

    // A register field: every code, in form order, empty where nothing was found.
    TimesRequest by_age;
    by_age.dimension = "age_group";
    const std::vector<GroupTimes> ages = database.visit_times(by_age);
    REQUIRE(ages.size() == 8);
    CHECK(ages[0].code == "0-17");
    CHECK(ages[0].wait_seconds.empty());
    CHECK(ages[2].code == "25-34");
    CHECK(ages[2].wait_seconds == Seconds{60, 120});
    CHECK(ages[7].code == "unknown");
    CHECK(ages[7].wait_seconds == Seconds{10});

    // The unserved waited too; their duration is what the rows hold (0).
    TimesRequest unserved_only;
    unserved_only.filter.outcome = "unserved";
    const std::vector<GroupTimes> left = database.visit_times(unserved_only);
    REQUIRE(left.size() == 1);
    CHECK(left[0].wait_seconds == Seconds{400, 200});
    CHECK(left[0].duration_seconds == Seconds{0, 0});

    TimesRequest nobody;
    nobody.filter.point_id = "no-such-point";
    const std::vector<GroupTimes> none = database.visit_times(nobody);
    REQUIRE(none.size() == 1);
    CHECK(none[0].wait_seconds.empty());
}

TEST_CASE("retention deletes the rows started before the cutoff's hour", "[store][statistics]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    core::VisitRecord old_one = served("049-inespoo", "ru", day(2026, 10, 31));
    old_one.started_hour = day(2026, 10, 31) + 23h + 59min;
    old_one.wrapup.topics = {"housing", "work"};
    old_one.wrapup.referrals = {"kela"};
    const std::int64_t old_id = database.insert_visit(old_one);
    core::VisitRecord same_hour = served("049-inespoo", "ru", day(2026, 11, 1));
    same_hour.started_hour = day(2026, 11, 1) + 10min;
    same_hour.wrapup.topics = {"forms"};
    same_hour.wrapup.referrals = {"migri"};
    database.insert_visit(same_hour);
    core::VisitRecord newer = served("091-virka", "so", day(2026, 12, 1));
    newer.wrapup.topics = {"health"};
    database.insert_visit(newer);

    // 00:45 is in the hour 00:00: a row of that hour is not "before" it.
    const core::TimePoint cutoff = day(2026, 11, 1) + 45min;
    CHECK(database.delete_visits_started_before(cutoff) == 1);
    const auto rows = database.visits();
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].at("started_hour") == "2026-11-01T00:00Z");
    CHECK(rows[0].at("topics") == "forms");
    CHECK(rows[1].at("started_hour") == "2026-12-01T10:00Z");

    // The deleted row's topics and referrals went with it.
    RawConnection raw(scratch.database_path());
    CHECK(raw.value("SELECT COUNT(*) FROM visit_topics WHERE visit_id = " +
                    std::to_string(old_id)) == "0");
    CHECK(raw.value("SELECT COUNT(*) FROM visit_referrals WHERE visit_id = " +
                    std::to_string(old_id)) == "0");
    CHECK(raw.value("SELECT COUNT(*) FROM visit_topics") == "2");
    CHECK(raw.value("SELECT COUNT(*) FROM visit_referrals") == "1");

    CHECK(database.delete_visits_started_before(cutoff) == 0);
    CHECK(database.delete_visits_started_before(day(2026, 11, 1) + 1h) == 1);
    CHECK(database.delete_visits_started_before(day(2027, 1, 1)) == 1);
    CHECK(database.visits().empty());
    CHECK(raw.value("SELECT COUNT(*) FROM visit_topics") == "0");
}

TEST_CASE("the store answers statistics on its writer thread", "[store][statistics]") {
    ScratchDirectory scratch;
    {
        Database database(scratch.database_path());
        insert_sample_rows(database);
    }
    Store store(scratch.database_path());

    std::promise<std::pair<std::optional<stats::CountTable>, std::string>> counted;
    store.count_visits(by({"point", "language"}),
                       [&](std::optional<stats::CountTable> table, std::string error) {
                           counted.set_value({std::move(table), std::move(error)});
                       });
    const auto [table, error] = counted.get_future().get();
    CHECK(error.empty());
    REQUIRE(table);
    CHECK(table->row_codes == Codes{"049-inespoo", "091-virka"});
    CHECK(table->column_codes == Codes{"ar", "ru", "so"});
    CHECK(table->cells == Counts{{1, 1, 0}, {0, 1, 1}});

    std::promise<std::pair<std::optional<stats::CountTable>, std::string>> refused;
    store.count_visits(by({"name"}),
                       [&](std::optional<stats::CountTable> table, std::string error) {
                           refused.set_value({std::move(table), std::move(error)});
                       });
    const auto [no_table, reason] = refused.get_future().get();
    CHECK_FALSE(no_table);
    CHECK(reason == "unknown statistics dimension \"name\"");

    TimesRequest by_language;
    by_language.dimension = "language";
    std::promise<std::pair<std::optional<std::vector<GroupTimes>>, std::string>> timed;
    store.visit_times(by_language,
                      [&](std::optional<std::vector<GroupTimes>> groups, std::string error) {
                          timed.set_value({std::move(groups), std::move(error)});
                      });
    const auto [groups, times_error] = timed.get_future().get();
    CHECK(times_error.empty());
    REQUIRE(groups);
    REQUIRE(groups->size() == 3);
    CHECK((*groups)[1].code == "ru");
    CHECK((*groups)[1].wait_seconds == Seconds{60, 30});

    TimesRequest bad_times;
    bad_times.filter.from_month = "November";
    std::promise<std::string> times_refused;
    store.visit_times(bad_times,
                      [&](std::optional<std::vector<GroupTimes>> groups, std::string error) {
                          times_refused.set_value(groups ? std::string("answered") : error);
                      });
    CHECK(times_refused.get_future().get() == "from_month \"November\" is not a month (YYYY-MM)");

    std::promise<std::optional<std::int64_t>> deleted;
    store.delete_visits_started_before(
        day(2026, 12, 1), [&](std::optional<std::int64_t> count) { deleted.set_value(count); });
    CHECK(deleted.get_future().get() == std::optional<std::int64_t>(4));

    std::promise<std::optional<stats::CountTable>> after;
    store.count_visits(by({"outcome"}, outcome("all")),
                       [&](std::optional<stats::CountTable> table, std::string) {
                           after.set_value(std::move(table));
                       });
    const auto remaining = after.get_future().get();
    REQUIRE(remaining);
    CHECK(remaining->row_codes == Codes{"served", "unserved"});
    CHECK(remaining->cells == column({1, 1}));
}
