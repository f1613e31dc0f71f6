#pragma once

#include "neuvo/core/service_network.hpp"
#include "neuvo/store/statistics_query.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace neuvo::net {

// The statistics API's query strings (PROTOCOL.md, "Statistics"): pure, with no I/O, so that the
// unit tests and the fuzz target (fuzz/) reach them without a server.

inline constexpr std::string_view register_fields_path = "/api/register/fields";
inline constexpr std::string_view statistics_path_prefix = "/api/statistics/";

// /api/register/fields and /api/statistics/{counts,times,unmet,reciprocity}.
bool is_statistics_path(std::string_view path);

enum class StatisticKind { counts, times, unmet, reciprocity };

// "counts", "times", "unmet" or "reciprocity".
const char* statistic_kind_name(StatisticKind kind);

// One statistics request as its query string asks for it.
struct StatisticsQuery {
    StatisticKind kind = StatisticKind::counts;
    std::vector<std::string> dimensions; // counts: one or two; times: none or one
    store::VisitFilter filter;
    bool csv = false;
    std::string language = "en"; // of the CSV file's labels
    char separator = ',';
};

// The query of /api/statistics/<kind>, or the reason it cannot be answered (for a 400). Every
// parameter is checked, unknown ones too, so that a typo is not silently a different statistic.
std::variant<StatisticsQuery, std::string>
parse_statistics_query(std::string_view kind, std::string_view query,
                       const core::ServiceNetwork& network);

// "%2C" and "+" decoded; nothing when an escape is broken.
std::optional<std::string> percent_decode(std::string_view text);

} // namespace neuvo::net
