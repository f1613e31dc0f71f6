#include "command_line.hpp"

#include <algorithm>

namespace neuvo::app {

CommandLine CommandLine::parse(int argc, char** argv, const std::vector<std::string>& flags) {
    CommandLine line;
    for (int i = 1; i < argc; ++i) {
        std::string argument = argv[i];
        if (!argument.starts_with("--")) {
            line.words.push_back(argument);
            continue;
        }
        auto name = argument.substr(2);
        if (std::find(flags.begin(), flags.end(), name) != flags.end()) {
            line.options[name] = "";
            continue;
        }
        if (i + 1 >= argc)
            throw UsageError("option --" + name + " needs a value");
        line.options[name] = argv[++i];
    }
    return line;
}

std::string CommandLine::required(const std::string& name) const {
    auto it = options.find(name);
    if (it == options.end() || it->second.empty())
        throw UsageError("option --" + name + " is required");
    return it->second;
}

std::string CommandLine::value_or(const std::string& name, std::string fallback) const {
    auto it = options.find(name);
    return it == options.end() ? fallback : it->second;
}

} // namespace neuvo::app
