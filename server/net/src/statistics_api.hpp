#pragma once

#include "register_labels.hpp"
#include "server_context.hpp"
#include "statistics_parameters.hpp"

#include "neuvo/stats/tables.hpp"
#include "neuvo/store/statistics_query.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace neuvo::net {

namespace http = boost::beast::http;

// The register's statistics over HTTP (PROTOCOL.md, "Statistics"): the wrap-up fields for any
// signed-in account; suppressed counts and times for statisticians, supervisors and admins, as
// JSON or CSV. `reply` is called exactly once, on `executor` (the connection's strand).
void serve_statistics(ServerContext& context, const http::request<http::string_body>& request,
                      boost::asio::any_io_executor executor,
                      std::function<void(http::response<http::string_body>)> reply);

// ---- The parts below are pure, and tested on their own (the query's parsing is in
// statistics_parameters.hpp) ----

// Bodies of the answers.
nlohmann::json register_fields_json();
nlohmann::json published_table_json(const StatisticsQuery& query,
                                    const stats::PublishedTable& table,
                                    const core::ServiceNetwork& network);
nlohmann::json times_json(const StatisticsQuery& query,
                          const std::vector<store::GroupTimes>& groups,
                          const core::ServiceNetwork& network);
std::string published_table_csv(const StatisticsQuery& query, const stats::PublishedTable& table,
                                const RegisterLabels& labels, const core::ServiceNetwork& network);
std::string times_csv(const StatisticsQuery& query, const std::vector<store::GroupTimes>& groups,
                      const RegisterLabels& labels, const core::ServiceNetwork& network);
// e.g. "neuvo-counts-language-point-2026-01-2026-12.csv"
std::string statistics_file_name(const StatisticsQuery& query);

} // namespace neuvo::net
