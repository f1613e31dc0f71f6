#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace neuvo::app {

// A mistake on the command line; main prints it with the usage text.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Splits arguments into words and "--name value" options; flags listed in `flags` take no value.
struct CommandLine {
    std::vector<std::string> words;
    std::map<std::string, std::string> options;

    static CommandLine parse(int argc, char** argv, const std::vector<std::string>& flags);

    bool has(const std::string& name) const { return options.count(name) != 0; }
    std::string required(const std::string& name) const;
    std::string value_or(const std::string& name, std::string fallback) const;
};

} // namespace neuvo::app
