// Fuzzes the statistics API's query parsing (neuvo::net::parse_statistics_query) with the demo
// network. The input is "<kind>?<query>", the part of the target after /api/statistics/.
//  - An accepted query is one the store can answer: a known kind, one or two distinct known
//    dimensions for counts (at most one for times), months "YYYY-MM" in order, a point of the
//    network, an outcome, label language and separator from their lists.
//  - A refusal's reason is what the 400 answer carries: it must become a JSON body (valid
//    UTF-8: the real error_response is called) and hold no markup.
//  - percent_decode undoes percent-encoding of any bytes.

#include "fuzz_network.hpp"
#include "http_support.hpp"
#include "statistics_parameters.hpp"

#include "neuvo/store/statistics_query.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace neuvo::fuzz {

bool is_month(const std::string& text) {
    return text.size() == 7 && text[4] == '-' && std::all_of(text.begin(), text.end(), [](char c) {
               return c == '-' || (c >= '0' && c <= '9');
           });
}

void check_accepted(const net::StatisticsQuery& query) {
    using net::StatisticKind;
    const auto& dims = query.dimensions;
    switch (query.kind) {
    case StatisticKind::counts:
        FUZZ_CHECK(dims.size() == 1 || dims.size() == 2, "counts have one or two dimensions");
        break;
    case StatisticKind::times:
        FUZZ_CHECK(dims.size() <= 1, "times have at most one dimension");
        break;
    case StatisticKind::unmet:
    case StatisticKind::reciprocity:
        FUZZ_CHECK(dims.size() == 2, "fixed tables have two dimensions");
        break;
    }
    for (const auto& dimension : dims)
        FUZZ_CHECK(store::is_statistics_dimension(dimension), "every dimension is known");
    FUZZ_CHECK(dims.size() < 2 || dims[0] != dims[1], "dimensions are distinct");
    const auto& filter = query.filter;
    FUZZ_CHECK(filter.from_month.empty() || is_month(filter.from_month), "from is a month");
    FUZZ_CHECK(filter.to_month.empty() || is_month(filter.to_month), "to is a month");
    FUZZ_CHECK(filter.from_month.empty() || filter.to_month.empty() ||
                   filter.from_month <= filter.to_month,
               "the period is in order");
    FUZZ_CHECK(filter.point_id.empty() || site().network.find_point(filter.point_id) != nullptr,
               "the point is the network's");
    FUZZ_CHECK(filter.outcome == "served" || filter.outcome == "unserved" ||
                   filter.outcome == "all",
               "the outcome is known");
    FUZZ_CHECK(query.language == "fi" || query.language == "sv" || query.language == "en",
               "the labels' language is known");
    FUZZ_CHECK(query.separator == ',' || query.separator == ';', "the separator is known");
}

void check_refused(const std::string& reason) {
    FUZZ_CHECK(!reason.empty(), "a refusal has a reason");
    FUZZ_CHECK(reason.find_first_of("<>\r\n") == std::string::npos,
               "a refusal holds no markup or line breaks");
    // Throws (and so crashes the fuzzer) on invalid UTF-8, as it would in the server.
    auto response =
        net::error_response(net::http::status::bad_request, "invalid_parameter", reason, 11, true);
    FUZZ_CHECK(!response.body().empty(), "the refusal has a body");
}

void check_percent_decode(std::string_view bytes) {
    static const char digits[] = "0123456789ABCDEF";
    std::string encoded;
    for (unsigned char c : bytes) {
        encoded += '%';
        encoded += digits[c >> 4];
        encoded += digits[c & 15];
    }
    auto decoded = net::percent_decode(encoded);
    FUZZ_CHECK(decoded && *decoded == bytes, "percent_decode undoes percent-encoding");
}

} // namespace neuvo::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto question = input.find('?');
    const auto kind = input.substr(0, question);
    const auto query =
        question == std::string_view::npos ? std::string_view() : input.substr(question + 1);
    auto parsed = neuvo::net::parse_statistics_query(kind, query, neuvo::fuzz::site().network);
    if (const auto* reason = std::get_if<std::string>(&parsed))
        neuvo::fuzz::check_refused(*reason);
    else
        neuvo::fuzz::check_accepted(std::get<neuvo::net::StatisticsQuery>(parsed));
    neuvo::fuzz::check_percent_decode(query);
    return 0;
}
