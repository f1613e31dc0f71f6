#pragma once

#include "neuvo/core/service_network.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace neuvo::net {

// The languages of the staff interface, which the statistics' CSV files are labelled in.
inline const std::vector<std::string> label_languages = {"fi", "sv", "en"};

// The labels of the visit register's fields and codes, read once at start from the web client's
// catalogues (<document_root>/i18n/register/<lang>.json), the same the pages use. Keys are
// "field.<name>", "<field>.<code>", "dimension.<name>", "channel.<code>", "value.unknown"...
class RegisterLabels {
public:
    RegisterLabels() = default;
    // A missing or unreadable catalogue leaves that language without labels (codes are shown);
    // the problem is logged, since a server without labels still serves every number.
    static RegisterLabels load(const std::filesystem::path& document_root);

    // The label, or empty when the catalogue has none.
    std::string find(std::string_view language, std::string_view key) const;

    // The label of a statistics dimension's name, e.g. "Kieli" for "language" in Finnish.
    std::string dimension(std::string_view language, std::string_view dimension) const;
    // The label of one code of a dimension: catalogue labels for register codes, channels and
    // outcomes; point, municipality and language names from the network; else the code.
    std::string code(std::string_view language, std::string_view dimension, std::string_view code,
                     const core::ServiceNetwork& network) const;

    void set(std::string language, std::map<std::string, std::string, std::less<>> labels) {
        catalogues_[std::move(language)] = std::move(labels);
    }

private:
    std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> catalogues_;
};

// The wrap-up field behind a statistics dimension ("topics" for "topic"), or the name itself.
std::string_view field_of_dimension(std::string_view dimension);

} // namespace neuvo::net
