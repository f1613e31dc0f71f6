#include "neuvo/core/register_codes.hpp"
#include "neuvo/store/database.hpp"
#include "neuvo/store/statistics_query.hpp"

#include "register_hour.hpp"
#include "statement.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <string_view>
#include <utility>

namespace neuvo::store {
namespace {

// A dimension as SQL: a fixed expression over `visits v` (and, for a multi-valued one, the table
// joined in). Only these texts ever reach the SQL; what the caller asked for only picks one.
struct Dimension {
    std::string_view name;
    std::string_view expression;
    std::string_view join;           // empty for a column of visits
    std::string_view register_field; // its codes come from register_fields(); empty: found only
};

constexpr std::array<Dimension, 21> dimensions = {{
    {"point", "COALESCE(v.point_id, 'none')", "", ""},
    {"language", "v.language", "", ""},
    {"channel", "v.channel", "", ""},
    {"month", "substr(v.started_hour, 1, 7)", "", ""},
    {"home", "v.home_municipality", "", ""},
    {"outcome", "v.outcome", "", ""},
    {"tier", "COALESCE(v.tier, 'none')", "", ""},
    {"wrapup", "v.wrapup", "", ""},
    {"age_group", "v.age_group", "", "age_group"},
    {"gender", "v.gender", "", "gender"},
    {"residence", "v.residence", "", "residence"},
    {"immigration_reason", "v.immigration_reason", "", "immigration_reason"},
    {"citizenship", "v.citizenship", "", "citizenship"},
    // Every ISO code as a row would be 250 rows of zeros: only the countries found.
    {"country", "v.country", "", ""},
    {"education", "v.education", "", "education"},
    {"labour_status", "v.labour_status", "", "labour_status"},
    {"first_contact", "v.first_contact", "", "first_contact"},
    {"interpreter", "v.interpreter", "", "interpreter"},
    {"rating", "COALESCE(CAST(v.rating AS TEXT), 'none')", "", ""},
    // The primary keys (visit_id, code) make a contact count once per code.
    {"topic", "topic.topic", "JOIN visit_topics AS topic ON topic.visit_id = v.id", "topics"},
    {"referral", "referral.referral",
     "JOIN visit_referrals AS referral ON referral.visit_id = v.id", "referrals"},
}};

const Dimension& find_dimension(const std::string& name) {
    for (const Dimension& dimension : dimensions) {
        if (dimension.name == name) {
            return dimension;
        }
    }
    throw StoreError("unknown statistics dimension \"" + name + "\"");
}

bool is_month(const std::string& text) {
    if (text.size() != 7 || text[4] != '-') {
        return false;
    }
    for (const std::size_t i : {0, 1, 2, 3, 5, 6}) {
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) {
            return false;
        }
    }
    const int month = std::stoi(text.substr(5, 2));
    return month >= 1 && month <= 12;
}

void check_filter(const VisitFilter& filter) {
    for (const auto& [name, month] :
         {std::pair{"from_month", &filter.from_month}, std::pair{"to_month", &filter.to_month}}) {
        if (!month->empty() && !is_month(*month)) {
            throw StoreError(std::string(name) + " \"" + *month + "\" is not a month (YYYY-MM)");
        }
    }
    if (!filter.from_month.empty() && !filter.to_month.empty() &&
        filter.from_month > filter.to_month) {
        throw StoreError("from_month " + filter.from_month + " is after to_month " +
                         filter.to_month);
    }
    if (filter.outcome != "served" && filter.outcome != "unserved" && filter.outcome != "all") {
        throw StoreError("unknown outcome \"" + filter.outcome + "\" (served, unserved or all)");
    }
}

// The WHERE clause of every statistic; its parameters are ?1..?4, bound by bind_filter().
constexpr std::string_view filter_sql = " WHERE (?1 = '' OR substr(v.started_hour, 1, 7) >= ?1)"
                                        " AND (?2 = '' OR substr(v.started_hour, 1, 7) <= ?2)"
                                        " AND (?3 = '' OR v.point_id = ?3)"
                                        " AND (?4 = 'all' OR v.outcome = ?4)";

void bind_filter(Statement& statement, const VisitFilter& filter) {
    statement.bind(1, filter.from_month)
        .bind(2, filter.to_month)
        .bind(3, filter.point_id)
        .bind(4, filter.outcome);
}

std::string from_sql(const std::vector<const Dimension*>& used) {
    std::string sql = " FROM visits AS v";
    for (const Dimension* dimension : used) {
        if (!dimension->join.empty()) {
            sql += " ";
            sql += dimension->join;
        }
    }
    return sql;
}

// A register field's codes in form order (so a table keeps its shape when a code is not found),
// then any other code found, sorted; a dimension without a code list: the codes found, sorted.
std::vector<std::string> ordered_codes(const Dimension& dimension,
                                       const std::set<std::string>& found) {
    std::vector<std::string> codes;
    if (!dimension.register_field.empty()) {
        for (const std::string_view code :
             core::find_register_field(dimension.register_field)->codes) {
            codes.emplace_back(code);
        }
    }
    for (const std::string& code : found) {
        if (std::find(codes.begin(), codes.end(), code) == codes.end()) {
            codes.push_back(code);
        }
    }
    if (dimension.register_field.empty()) {
        std::sort(codes.begin(), codes.end());
    }
    return codes;
}

std::size_t position_of(const std::vector<std::string>& codes, const std::string& code) {
    return static_cast<std::size_t>(std::find(codes.begin(), codes.end(), code) - codes.begin());
}

} // namespace

const std::vector<std::string>& statistics_dimensions() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> list;
        for (const Dimension& dimension : dimensions) {
            list.emplace_back(dimension.name);
        }
        return list;
    }();
    return names;
}

bool is_statistics_dimension(const std::string& name) {
    return std::any_of(dimensions.begin(), dimensions.end(),
                       [&](const Dimension& dimension) { return dimension.name == name; });
}

stats::CountTable Database::count_visits(const CountRequest& request) {
    if (request.dimensions.empty() || request.dimensions.size() > 2) {
        throw StoreError("a statistic is broken down by one or two dimensions, not " +
                         std::to_string(request.dimensions.size()));
    }
    std::vector<const Dimension*> used;
    for (const std::string& name : request.dimensions) {
        used.push_back(&find_dimension(name));
    }
    if (used.size() == 2 && used[0] == used[1]) {
        throw StoreError("dimension \"" + request.dimensions[0] + "\" is given twice");
    }
    check_filter(request.filter);

    const bool two = used.size() == 2;
    std::string sql = "SELECT " + std::string(used[0]->expression) + ", " +
                      (two ? std::string(used[1]->expression) : std::string("''")) + ", COUNT(*)" +
                      from_sql(used) + std::string(filter_sql) + " GROUP BY 1, 2";
    Statement query(db_, sql);
    bind_filter(query, request.filter);

    std::map<std::pair<std::string, std::string>, std::int64_t> counts;
    std::set<std::string> row_codes_found, column_codes_found;
    while (query.step()) {
        const std::string row = query.column_text(0);
        const std::string column = query.column_text(1);
        counts[{row, column}] = query.column_int(2);
        row_codes_found.insert(row);
        column_codes_found.insert(column);
    }

    stats::CountTable table;
    table.row_codes = ordered_codes(*used[0], row_codes_found);
    if (two) {
        table.column_codes = ordered_codes(*used[1], column_codes_found);
    }
    const std::vector<std::string> columns =
        two ? table.column_codes : std::vector<std::string>{""};
    table.cells.assign(table.row_codes.size(), std::vector<std::int64_t>(columns.size(), 0));
    for (const auto& [key, count] : counts) {
        table.cells[position_of(table.row_codes, key.first)][position_of(columns, key.second)] =
            count;
    }
    return table;
}

std::vector<GroupTimes> Database::visit_times(const TimesRequest& request) {
    const Dimension* dimension =
        request.dimension.empty() ? nullptr : &find_dimension(request.dimension);
    check_filter(request.filter);

    std::vector<const Dimension*> used;
    if (dimension) {
        used.push_back(dimension);
    }
    const std::string sql = "SELECT " +
                            (dimension ? std::string(dimension->expression) : std::string("''")) +
                            ", v.wait_seconds, v.duration_seconds" + from_sql(used) +
                            std::string(filter_sql) + " ORDER BY v.id";
    Statement query(db_, sql);
    bind_filter(query, request.filter);

    std::map<std::string, GroupTimes> groups;
    while (query.step()) {
        const std::string code = query.column_text(0);
        GroupTimes& group = groups[code];
        group.code = code;
        group.wait_seconds.push_back(query.column_int(1));
        group.duration_seconds.push_back(query.column_int(2));
    }

    if (!dimension) {
        GroupTimes all = std::move(groups[""]);
        all.code.clear();
        return {std::move(all)};
    }
    std::set<std::string> found;
    for (const auto& [code, group] : groups) {
        found.insert(code);
    }
    std::vector<GroupTimes> ordered;
    for (const std::string& code : ordered_codes(*dimension, found)) {
        GroupTimes group = std::move(groups[code]);
        group.code = code;
        ordered.push_back(std::move(group));
    }
    return ordered;
}

std::int64_t Database::delete_visits_started_before(core::TimePoint cutoff) {
    // The hours compare as text: the format is fixed-width, most significant field first.
    Statement remove(db_, "DELETE FROM visits WHERE started_hour < ?1");
    remove.bind(1, iso_hour(cutoff));
    remove.run();
    return sqlite3_changes(db_);
}

} // namespace neuvo::store
