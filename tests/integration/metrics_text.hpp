#pragma once

// A strict reader of Prometheus' text exposition format 0.0.4, as far as the server writes it:
// every line a "# HELP", a "# TYPE" or a sample `name{label="value",...} value`; each family's
// HELP and TYPE once, before its samples; counters named _total, histograms with their _bucket,
// _sum and _count. What it finds wrong goes into `problems`, one line each.

#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace neuvo::testing {

struct Exposition {
    std::map<std::string, std::string> types; // family -> counter, gauge, histogram
    std::map<std::string, double> samples;    // `name{labels}` exactly as written -> value
    std::vector<std::string> problems;

    // The value of one series, e.g. value("neuvo_queue_length{language=\"ar\"}"); -1 if absent.
    double value(const std::string& series) const {
        auto it = samples.find(series);
        return it == samples.end() ? -1 : it->second;
    }
};

inline Exposition parse_exposition(const std::string& text) {
    Exposition result;
    static const std::regex help(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (\S.*))");
    static const std::regex type(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram))");
    static const std::regex sample(
        R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*")"
        R"((?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*")*\})? (-?[0-9]+(?:\.[0-9]+)?))");
    std::set<std::string> helped;
    std::istringstream lines(text);
    std::string line;
    int number = 0;
    auto problem = [&](const std::string& what) {
        result.problems.push_back("line " + std::to_string(number) + ": " + what + ": " + line);
    };
    if (!text.empty() && text.back() != '\n')
        result.problems.push_back("the text does not end with a line feed");
    while (std::getline(lines, line)) {
        ++number;
        std::smatch match;
        if (std::regex_match(line, match, help)) {
            if (!helped.insert(match[1]).second)
                problem("a second HELP");
        } else if (std::regex_match(line, match, type)) {
            const std::string family = match[1];
            if (!helped.count(family))
                problem("TYPE before HELP");
            if (!result.types.emplace(family, match[2]).second)
                problem("a second TYPE");
            if (match[2] == "counter" && !family.ends_with("_total"))
                problem("a counter not named _total");
        } else if (std::regex_match(line, match, sample)) {
            std::string name = match[1];
            std::string family = name;
            for (const char* suffix : {"_bucket", "_sum", "_count"}) {
                const std::string end = suffix;
                if (!result.types.count(family) && family.ends_with(end) &&
                    result.types.count(family.substr(0, family.size() - end.size())) &&
                    result.types.at(family.substr(0, family.size() - end.size())) == "histogram")
                    family = family.substr(0, family.size() - end.size());
            }
            if (!result.types.count(family))
                problem("a sample before its family's TYPE");
            const std::string series = name + match[2].str();
            if (!result.samples.emplace(series, std::stod(match[3])).second)
                problem("a series twice");
        } else {
            problem("neither HELP, TYPE nor a sample");
        }
    }
    return result;
}

} // namespace neuvo::testing
