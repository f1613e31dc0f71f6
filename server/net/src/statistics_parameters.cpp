#include "statistics_parameters.hpp"

#include "register_labels.hpp"

#include <algorithm>

namespace neuvo::net {
namespace {

std::optional<StatisticKind> kind_named(std::string_view name) {
    if (name == "counts")
        return StatisticKind::counts;
    if (name == "times")
        return StatisticKind::times;
    if (name == "unmet")
        return StatisticKind::unmet;
    if (name == "reciprocity")
        return StatisticKind::reciprocity;
    return std::nullopt;
}

// Only a value made of safe characters is quoted back in a reason: the query string is raw
// bytes, and a reason must stay valid UTF-8 and free of markup.
std::string quote_back(std::string_view value) {
    const bool quotable =
        !value.empty() && value.size() <= 40 && std::all_of(value.begin(), value.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '-' || c == '_' || c == '.';
        });
    return quotable ? "\"" + std::string(value) + "\"" : std::string("the value given");
}

bool valid_month(std::string_view text) {
    auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
    if (text.size() != 7 || text[4] != '-')
        return false;
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u})
        if (!digit(i))
            return false;
    const int month = (text[5] - '0') * 10 + (text[6] - '0');
    return text.substr(0, 4) >= "2000" && month >= 1 && month <= 12;
}

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        auto end = text.find(separator, start);
        parts.push_back(text.substr(start, end - start));
        if (end == std::string::npos)
            return parts;
        start = end + 1;
    }
}

} // namespace

bool is_statistics_path(std::string_view path) {
    return path == register_fields_path || path.starts_with(statistics_path_prefix);
}

const char* statistic_kind_name(StatisticKind kind) {
    switch (kind) {
    case StatisticKind::counts:
        return "counts";
    case StatisticKind::times:
        return "times";
    case StatisticKind::unmet:
        return "unmet";
    case StatisticKind::reciprocity:
        return "reciprocity";
    }
    return "counts";
}

std::optional<std::string> percent_decode(std::string_view text) {
    std::string decoded;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            decoded += ' ';
        } else if (text[i] == '%') {
            auto hex = [](char c) -> int {
                if (c >= '0' && c <= '9')
                    return c - '0';
                if (c >= 'a' && c <= 'f')
                    return c - 'a' + 10;
                if (c >= 'A' && c <= 'F')
                    return c - 'A' + 10;
                return -1;
            };
            if (i + 2 >= text.size())
                return std::nullopt;
            const int high = hex(text[i + 1]);
            const int low = hex(text[i + 2]);
            if (high < 0 || low < 0)
                return std::nullopt;
            decoded += static_cast<char>(high * 16 + low);
            i += 2;
        } else {
            decoded += text[i];
        }
    }
    return decoded;
}

std::variant<StatisticsQuery, std::string>
parse_statistics_query(std::string_view kind_text, std::string_view query,
                       const core::ServiceNetwork& network) {
    StatisticsQuery parsed;
    const auto kind = kind_named(kind_text);
    if (!kind)
        return std::string("no statistic ") + quote_back(kind_text) +
               ": ask for counts, times, unmet or reciprocity";
    parsed.kind = *kind;

    std::vector<std::pair<std::string, std::string>> parameters;
    while (!query.empty()) {
        const auto end = query.find('&');
        const auto pair = query.substr(0, end);
        if (!pair.empty()) {
            const auto equals = pair.find('=');
            auto name = percent_decode(pair.substr(0, equals));
            auto value = percent_decode(equals == std::string_view::npos ? std::string_view()
                                                                         : pair.substr(equals + 1));
            if (!name || !value)
                return std::string("the query string has a broken %-escape");
            for (const auto& seen : parameters)
                if (seen.first == *name)
                    return "parameter " + quote_back(*name) + " is given twice";
            parameters.emplace_back(std::move(*name), std::move(*value));
        }
        if (end == std::string_view::npos)
            break;
        query.remove_prefix(end + 1);
    }

    const bool fixed_shape =
        parsed.kind == StatisticKind::unmet || parsed.kind == StatisticKind::reciprocity;
    for (const auto& [name, value] : parameters) {
        if (name == "by") {
            if (fixed_shape)
                return std::string("parameter \"by\": the ") + statistic_kind_name(parsed.kind) +
                       " table has a fixed shape";
            if (value.empty())
                return std::string("parameter \"by\": name a dimension");
            parsed.dimensions = split(value, ',');
        } else if (name == "from" || name == "to") {
            if (!valid_month(value))
                return "parameter \"" + name + "\": " + quote_back(value) +
                       " is not a month such as \"2026-01\"";
            (name == "from" ? parsed.filter.from_month : parsed.filter.to_month) = value;
        } else if (name == "point") {
            if (!value.empty() && !network.find_point(value))
                return "parameter \"point\": " + quote_back(value) +
                       " is not a point of this network";
            parsed.filter.point_id = value;
        } else if (name == "outcome") {
            if (fixed_shape)
                return std::string("parameter \"outcome\": the ") +
                       statistic_kind_name(parsed.kind) + " table chooses its own";
            if (value != "served" && value != "unserved" && value != "all")
                return "parameter \"outcome\": " + quote_back(value) +
                       " is not served, unserved or all";
            parsed.filter.outcome = value;
        } else if (name == "format") {
            if (value != "json" && value != "csv")
                return "parameter \"format\": " + quote_back(value) + " is not json or csv";
            parsed.csv = value == "csv";
        } else if (name == "lang") {
            if (std::find(label_languages.begin(), label_languages.end(), value) ==
                label_languages.end())
                return "parameter \"lang\": " + quote_back(value) + " is not fi, sv or en";
            parsed.language = value;
        } else if (name == "separator") {
            if (value != "comma" && value != "semicolon")
                return "parameter \"separator\": " + quote_back(value) +
                       " is not comma or semicolon";
            parsed.separator = value == "semicolon" ? ';' : ',';
        } else {
            return "parameter " + quote_back(name) + " is not known here";
        }
    }
    if (!parsed.filter.from_month.empty() && !parsed.filter.to_month.empty() &&
        parsed.filter.from_month > parsed.filter.to_month)
        return std::string("parameter \"from\": the period ends before it begins");

    switch (parsed.kind) {
    case StatisticKind::counts:
        if (parsed.dimensions.empty())
            return std::string("parameter \"by\" is required: one or two dimensions, such as "
                               "\"language\" or \"language,point\"");
        if (parsed.dimensions.size() > 2)
            return std::string("parameter \"by\": at most two dimensions");
        break;
    case StatisticKind::times:
        if (parsed.dimensions.size() > 1)
            return std::string("parameter \"by\": times are by one dimension at most");
        break;
    case StatisticKind::unmet:
        parsed.dimensions = {"language", "outcome"};
        parsed.filter.outcome = "all";
        break;
    case StatisticKind::reciprocity:
        parsed.dimensions = {"home", "point"};
        parsed.filter.outcome = "served";
        break;
    }
    for (const auto& dimension : parsed.dimensions)
        if (!store::is_statistics_dimension(dimension))
            return "parameter \"by\": " + quote_back(dimension) + " is not a dimension";
    if (parsed.dimensions.size() == 2 && parsed.dimensions[0] == parsed.dimensions[1])
        return "parameter \"by\": " + quote_back(parsed.dimensions[0]) + " is given twice";
    return parsed;
}

} // namespace neuvo::net
