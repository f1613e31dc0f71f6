#include "register_labels.hpp"

#include "log.hpp"

#include "neuvo/core/register_codes.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace neuvo::net {

RegisterLabels RegisterLabels::load(const std::filesystem::path& document_root) {
    RegisterLabels labels;
    for (const auto& language : label_languages) {
        const auto path = document_root / "i18n" / "register" / (language + ".json");
        std::ifstream in(path, std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        auto json = nlohmann::json::parse(text.str(), nullptr, false);
        if (!in || !json.is_object()) {
            log_event(LogLevel::warning, "register_labels_missing", {{"file", path.string()}});
            continue;
        }
        std::map<std::string, std::string, std::less<>> catalogue;
        for (auto it = json.begin(); it != json.end(); ++it)
            if (it->is_string())
                catalogue.emplace(it.key(), it->get<std::string>());
        labels.set(language, std::move(catalogue));
    }
    return labels;
}

std::string RegisterLabels::find(std::string_view language, std::string_view key) const {
    auto catalogue = catalogues_.find(language);
    if (catalogue == catalogues_.end())
        return {};
    auto label = catalogue->second.find(key);
    return label == catalogue->second.end() ? std::string() : label->second;
}

std::string_view field_of_dimension(std::string_view dimension) {
    if (dimension == "topic")
        return "topics";
    if (dimension == "referral")
        return "referrals";
    return dimension;
}

std::string RegisterLabels::dimension(std::string_view language, std::string_view dimension) const {
    auto label = find(language, "dimension." + std::string(dimension));
    if (label.empty())
        label = find(language, "field." + std::string(field_of_dimension(dimension)));
    return label.empty() ? std::string(dimension) : label;
}

std::string RegisterLabels::code(std::string_view language, std::string_view dimension,
                                 std::string_view code, const core::ServiceNetwork& network) const {
    const std::string value(code);
    std::string label;
    if (dimension == "point") {
        if (const auto* point = network.find_point(value))
            label = point->name;
    } else if (dimension == "home") {
        if (const auto* municipality = network.find_municipality(value))
            label = municipality->name;
        else
            label = find(language, "home." + value);
    } else if (dimension == "language") {
        if (const auto* tongue = network.find_language(value))
            label = tongue->autonym;
    } else if (dimension == "channel" || dimension == "outcome") {
        label = find(language, std::string(dimension) + "." + value);
    } else if (core::find_register_field(field_of_dimension(dimension))) {
        label = find(language, std::string(field_of_dimension(dimension)) + "." + value);
    }
    if (label.empty() && (code == "none" || code == "unknown"))
        label = find(language, "value." + value);
    return label.empty() ? value : label;
}

} // namespace neuvo::net
