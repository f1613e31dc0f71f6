#include "statistics_api.hpp"

#include "csv.hpp"
#include "http_support.hpp"
#include "log.hpp"

#include "neuvo/core/register_codes.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>

namespace neuvo::net {
namespace {

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
using nlohmann::json;

constexpr std::string_view fields_path = register_fields_path;
constexpr std::string_view statistics_prefix = statistics_path_prefix;

struct Refusal {
    http::status status;
    std::string code;
    std::string reason;
};

json cell_json(const stats::PublishedCell& cell) {
    switch (cell.state) {
    case stats::CellState::shown:
        return {{"value", cell.value.value_or(0)}, {"state", "shown"}};
    case stats::CellState::small:
        return {{"value", "<5"}, {"state", "small"}};
    case stats::CellState::hidden:
        break;
    }
    return {{"value", nullptr}, {"state", "hidden"}};
}

std::string cell_text(const stats::PublishedCell& cell) {
    switch (cell.state) {
    case stats::CellState::shown:
        return std::to_string(cell.value.value_or(0));
    case stats::CellState::small:
        return "<5";
    case stats::CellState::hidden:
        break;
    }
    return {};
}

// A row or column heading: the code, and the network's name for a point, municipality or
// language (codes of the register have their labels in the catalogues).
json heading_json(const std::string& dimension, const std::string& code,
                  const core::ServiceNetwork& network) {
    json heading = {{"code", code}};
    if (dimension == "point") {
        if (const auto* point = network.find_point(code))
            heading["name"] = point->name;
    } else if (dimension == "home") {
        if (const auto* municipality = network.find_municipality(code))
            heading["name"] = municipality->name;
    } else if (dimension == "language") {
        if (const auto* language = network.find_language(code))
            heading["name"] = language->autonym;
    }
    return heading;
}

json filter_json(const store::VisitFilter& filter) {
    auto or_null = [](const std::string& text) {
        return text.empty() ? json(nullptr) : json(text);
    };
    return {{"from", or_null(filter.from_month)},
            {"to", or_null(filter.to_month)},
            {"point", or_null(filter.point_id)},
            {"outcome", filter.outcome}};
}

json seconds_json(const std::optional<double>& seconds) {
    if (!seconds)
        return nullptr;
    return std::round(*seconds * 10) / 10;
}

std::string seconds_text(const std::optional<double>& seconds) {
    return seconds ? std::to_string(std::llround(*seconds)) : std::string();
}

Response csv_response(std::string body, const std::string& file_name, unsigned version,
                      bool keep_alive) {
    Response response{http::status::ok, version};
    response.set(http::field::content_type, "text/csv; charset=utf-8");
    response.set(http::field::content_disposition, "attachment; filename=\"" + file_name + "\"");
    response.set(http::field::cache_control, "no-store");
    response.keep_alive(keep_alive);
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

bool may_see_statistics(const std::string& role) {
    return role == "statistician" || role == "supervisor" || role == "admin";
}

// One request from the session lookup to the reply; every step after the first runs on the
// connection's executor, the store's threads only hand results over.
class StatisticsCall : public std::enable_shared_from_this<StatisticsCall> {
public:
    StatisticsCall(ServerContext& context, const Request& request,
                   boost::asio::any_io_executor executor, std::function<void(Response)> reply)
        : context_(context), executor_(std::move(executor)), reply_(std::move(reply)),
          version_(request.version()), keep_alive_(request.keep_alive()) {}

    void start(const Request& request) {
        const std::string_view target(request.target().data(), request.target().size());
        const auto question = target.find('?');
        const auto path = target.substr(0, question);
        const auto query =
            question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
        if (request.method() != http::verb::get)
            return refuse({http::status::method_not_allowed, "bad_request",
                           "Use GET on " + std::string(path) + "."});
        auto token = cookie_value(request[http::field::cookie], session_cookie);
        if (!token)
            return refuse(not_signed_in());
        fields_ = path == fields_path;
        if (!fields_) {
            auto parsed = parse_statistics_query(path.substr(statistics_prefix.size()), query,
                                                 context_.hub.network());
            if (auto* reason = std::get_if<std::string>(&parsed))
                problem_ = Refusal{http::status::bad_request, "invalid_parameter", *reason};
            else
                query_ = std::get<StatisticsQuery>(std::move(parsed));
        }
        context_.store.find_session(
            *token, [self = shared_from_this()](std::optional<store::AdvisorAccount> account) {
                boost::asio::post(self->executor_, [self, account = std::move(account)] {
                    self->on_session(account);
                });
            });
    }

private:
    static Refusal not_signed_in() {
        return {http::status::unauthorized, "not_authenticated", "Not signed in."};
    }
    static Refusal store_failed() {
        return {http::status::service_unavailable, "server_busy",
                "The statistics could not be made; try again."};
    }

    void on_session(const std::optional<store::AdvisorAccount>& account) {
        if (!account)
            return refuse(not_signed_in());
        if (fields_) {
            return reply_(json_response(http::status::ok, register_fields_json().dump(), version_,
                                        keep_alive_));
        }
        if (!may_see_statistics(account->role))
            return refuse({http::status::forbidden, "not_allowed",
                           "Only statisticians, supervisors and admins see the statistics."});
        if (problem_)
            return refuse(*problem_);
        log_event(
            LogLevel::info, "statistics_requested",
            {{"advisor", std::to_string(account->id)}, {"kind", statistic_kind_name(query_.kind)}});

        auto self = shared_from_this();
        if (query_.kind == StatisticKind::times) {
            store::TimesRequest request{
                .dimension = query_.dimensions.empty() ? std::string() : query_.dimensions.front(),
                .filter = query_.filter};
            return context_.store.visit_times(
                std::move(request),
                [self](std::optional<std::vector<store::GroupTimes>> groups, std::string error) {
                    boost::asio::post(self->executor_,
                                      [self, groups = std::move(groups), error = std::move(error)] {
                                          self->on_times(groups, error);
                                      });
                });
        }
        store::CountRequest request{.dimensions = query_.dimensions, .filter = query_.filter};
        context_.store.count_visits(
            std::move(request), [self](std::optional<stats::CountTable> table, std::string error) {
                boost::asio::post(self->executor_,
                                  [self, table = std::move(table), error = std::move(error)] {
                                      self->on_counted(table, error);
                                  });
            });
    }

    void on_counted(const std::optional<stats::CountTable>& table, const std::string& error) {
        if (!error.empty())
            return refuse({http::status::bad_request, "invalid_parameter", error});
        if (!table)
            return refuse(store_failed());
        // Suppression of a large table takes long enough to matter on a network thread.
        boost::asio::post(context_.reports, [self = shared_from_this(), counts = *table] {
            auto published = stats::publish(counts);
            boost::asio::post(self->executor_, [self, published = std::move(published)] {
                self->on_published(published);
            });
        });
    }

    void on_published(const stats::PublishedTable& published) {
        const auto& network = context_.hub.network();
        if (query_.csv)
            return reply_(
                csv_response(published_table_csv(query_, published, context_.labels, network),
                             statistics_file_name(query_), version_, keep_alive_));
        reply_(json_response(http::status::ok,
                             published_table_json(query_, published, network).dump(), version_,
                             keep_alive_));
    }

    void on_times(const std::optional<std::vector<store::GroupTimes>>& groups,
                  const std::string& error) {
        if (!error.empty())
            return refuse({http::status::bad_request, "invalid_parameter", error});
        if (!groups)
            return refuse(store_failed());
        const auto& network = context_.hub.network();
        if (query_.csv)
            return reply_(csv_response(times_csv(query_, *groups, context_.labels, network),
                                       statistics_file_name(query_), version_, keep_alive_));
        reply_(json_response(http::status::ok, times_json(query_, *groups, network).dump(),
                             version_, keep_alive_));
    }

    // Always through the executor: the caller's stack may still be inside the session's read.
    void refuse(const Refusal& refusal) {
        boost::asio::post(executor_,
                          [self = shared_from_this(),
                           response = error_response(refusal.status, refusal.code, refusal.reason,
                                                     version_, keep_alive_)]() mutable {
                              self->reply_(std::move(response));
                          });
    }

    ServerContext& context_;
    boost::asio::any_io_executor executor_;
    std::function<void(Response)> reply_;
    unsigned version_;
    bool keep_alive_;
    bool fields_ = false;
    StatisticsQuery query_;
    std::optional<Refusal> problem_; // answered once the session allows the request
};

} // namespace

void serve_statistics(ServerContext& context, const http::request<http::string_body>& request,
                      boost::asio::any_io_executor executor,
                      std::function<void(http::response<http::string_body>)> reply) {
    std::make_shared<StatisticsCall>(context, request, std::move(executor), std::move(reply))
        ->start(request);
}

json register_fields_json() {
    json fields = json::array();
    for (const auto& field : core::register_fields()) {
        json codes = json::array();
        for (auto code : field.codes)
            codes.push_back(std::string(code));
        fields.push_back(
            {{"name", std::string(field.name)}, {"multiple", field.multiple}, {"codes", codes}});
        if (field.name == "citizenship") {
            json countries = json::array();
            for (auto code : core::country_codes())
                countries.push_back(std::string(code));
            countries.push_back("unknown");
            fields.push_back({{"name", "country"}, {"multiple", false}, {"codes", countries}});
        }
    }
    return {{"fields", fields}};
}

json published_table_json(const StatisticsQuery& query, const stats::PublishedTable& table,
                          const core::ServiceNetwork& network) {
    json rows = json::array();
    for (const auto& code : table.row_codes)
        rows.push_back(heading_json(query.dimensions.at(0), code, network));
    json columns = json::array();
    for (const auto& code : table.column_codes)
        columns.push_back(heading_json(query.dimensions.at(1), code, network));
    json cells = json::array();
    for (const auto& row : table.cells) {
        json line = json::array();
        for (const auto& cell : row)
            line.push_back(cell_json(cell));
        cells.push_back(std::move(line));
    }
    json row_totals = json::array();
    for (const auto& cell : table.row_totals)
        row_totals.push_back(cell_json(cell));
    json column_totals = json::array();
    for (const auto& cell : table.column_totals)
        column_totals.push_back(cell_json(cell));
    return {{"statistic", statistic_kind_name(query.kind)},
            {"by", query.dimensions},
            {"filter", filter_json(query.filter)},
            {"rows", rows},
            {"columns", columns},
            {"cells", cells},
            {"row_totals", row_totals},
            {"column_totals", column_totals},
            {"total", cell_json(table.total)}};
}

json times_json(const StatisticsQuery& query, const std::vector<store::GroupTimes>& groups,
                const core::ServiceNetwork& network) {
    const std::string dimension = query.dimensions.empty() ? "" : query.dimensions.front();
    json list = json::array();
    for (const auto& group : groups) {
        const auto wait = stats::summarise_times(group.wait_seconds);
        const auto duration = stats::summarise_times(group.duration_seconds);
        json entry = dimension.empty() ? json{{"code", nullptr}}
                                       : heading_json(dimension, group.code, network);
        entry["wait"] = {{"mean_seconds", seconds_json(wait.mean_seconds)},
                         {"median_seconds", seconds_json(wait.median_seconds)}};
        entry["duration"] = {{"mean_seconds", seconds_json(duration.mean_seconds)},
                             {"median_seconds", seconds_json(duration.median_seconds)}};
        list.push_back(std::move(entry));
    }
    return {{"statistic", "times"},
            {"by", dimension.empty() ? json(nullptr) : json(dimension)},
            {"filter", filter_json(query.filter)},
            {"groups", list}};
}

std::string published_table_csv(const StatisticsQuery& query, const stats::PublishedTable& table,
                                const RegisterLabels& labels, const core::ServiceNetwork& network) {
    const auto& language = query.language;
    const std::string total_label = [&] {
        auto label = labels.find(language, "value.total");
        return label.empty() ? std::string("total") : label;
    }();
    CsvWriter csv(query.separator);
    std::vector<std::string> header;
    for (const auto& dimension : query.dimensions) {
        header.push_back(dimension);
        header.push_back(labels.dimension(language, dimension));
    }
    header.push_back("count");
    csv.row(header);

    auto heading = [&](std::size_t which, const std::string& code) {
        return std::vector<std::string>{
            code, labels.code(language, query.dimensions.at(which), code, network)};
    };
    const std::vector<std::string> total_heading = {"total", total_label};
    auto line = [&](std::vector<std::string> first, std::vector<std::string> second,
                    const stats::PublishedCell& cell) {
        std::vector<std::string> fields = std::move(first);
        fields.insert(fields.end(), second.begin(), second.end());
        fields.push_back(cell_text(cell));
        csv.row(fields);
    };

    if (query.dimensions.size() == 1) {
        for (std::size_t r = 0; r < table.row_codes.size(); ++r)
            line(heading(0, table.row_codes[r]), {}, table.cells.at(r).at(0));
        line(total_heading, {}, table.total);
        return csv.take();
    }
    for (std::size_t r = 0; r < table.row_codes.size(); ++r) {
        for (std::size_t c = 0; c < table.column_codes.size(); ++c)
            line(heading(0, table.row_codes[r]), heading(1, table.column_codes[c]),
                 table.cells.at(r).at(c));
        line(heading(0, table.row_codes[r]), total_heading, table.row_totals.at(r));
    }
    for (std::size_t c = 0; c < table.column_codes.size(); ++c)
        line(total_heading, heading(1, table.column_codes[c]), table.column_totals.at(c));
    line(total_heading, total_heading, table.total);
    return csv.take();
}

std::string times_csv(const StatisticsQuery& query, const std::vector<store::GroupTimes>& groups,
                      const RegisterLabels& labels, const core::ServiceNetwork& network) {
    const auto& language = query.language;
    const std::string dimension = query.dimensions.empty() ? "" : query.dimensions.front();
    CsvWriter csv(query.separator);
    std::vector<std::string> header;
    if (!dimension.empty()) {
        header.push_back(dimension);
        header.push_back(labels.dimension(language, dimension));
    }
    for (const char* name : {"mean_wait_seconds", "median_wait_seconds", "mean_duration_seconds",
                             "median_duration_seconds"})
        header.push_back(name);
    csv.row(header);
    for (const auto& group : groups) {
        const auto wait = stats::summarise_times(group.wait_seconds);
        const auto duration = stats::summarise_times(group.duration_seconds);
        std::vector<std::string> fields;
        if (!dimension.empty()) {
            fields.push_back(group.code);
            fields.push_back(labels.code(language, dimension, group.code, network));
        }
        fields.push_back(seconds_text(wait.mean_seconds));
        fields.push_back(seconds_text(wait.median_seconds));
        fields.push_back(seconds_text(duration.mean_seconds));
        fields.push_back(seconds_text(duration.median_seconds));
        csv.row(fields);
    }
    return csv.take();
}

std::string statistics_file_name(const StatisticsQuery& query) {
    std::string name = std::string("neuvo-") + statistic_kind_name(query.kind);
    if (query.kind == StatisticKind::counts || query.kind == StatisticKind::times)
        for (const auto& dimension : query.dimensions)
            name += "-" + dimension;
    if (!query.filter.point_id.empty())
        name += "-" + query.filter.point_id;
    if (!query.filter.from_month.empty())
        name += "-from-" + query.filter.from_month;
    if (!query.filter.to_month.empty())
        name += "-to-" + query.filter.to_month;
    // Every part was checked against a list or a pattern; this keeps it so if that changes.
    std::erase_if(name, [](char c) {
        return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_');
    });
    return name + ".csv";
}

} // namespace neuvo::net
