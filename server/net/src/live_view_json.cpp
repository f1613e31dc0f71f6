#include "live_view_json.hpp"

namespace neuvo::net {

nlohmann::json live_view_json(const core::LiveView& view, const core::ServiceNetwork& network) {
    nlohmann::json languages = nlohmann::json::array();
    for (const auto& language : view.languages) {
        const auto* known = network.find_language(language.language);
        languages.push_back({{"language", language.language},
                             {"autonym", known ? known->autonym : language.language},
                             {"dir", known && known->right_to_left ? "rtl" : "ltr"},
                             {"waiting", language.waiting},
                             {"longest_wait_seconds", language.longest_wait_seconds},
                             {"advisors_signed_in", language.advisors_signed_in},
                             {"advisors_available", language.advisors_available},
                             {"unmet_requests", language.unmet_requests}});
    }
    nlohmann::json advisors = nlohmann::json::array();
    for (const auto& advisor : view.advisors) {
        const auto* point = network.find_point(advisor.point_id);
        advisors.push_back({{"name", advisor.name},
                            {"point", advisor.point_id},
                            {"point_name", point ? point->name : std::string()},
                            {"languages", advisor.languages},
                            {"status", core::presence_name(advisor.status)},
                            {"active", advisor.active},
                            {"capacity", advisor.capacity},
                            {"connected", advisor.connected}});
    }
    nlohmann::json conversations = nlohmann::json::array();
    for (const auto& talk : view.conversations) {
        const auto* point = network.find_point(talk.point_id);
        conversations.push_back({{"conversation", talk.conversation},
                                 {"language", talk.language},
                                 {"home", talk.home_municipality},
                                 {"channel", talk.channel},
                                 {"point", talk.point_id},
                                 {"point_name", point ? point->name : std::string()},
                                 {"advisors", talk.advisors},
                                 {"duration_seconds", talk.duration_seconds},
                                 {"waiting_for_advisor", talk.waiting_for_advisor}});
    }
    return {{"languages", std::move(languages)},
            {"advisors", std::move(advisors)},
            {"conversations", std::move(conversations)}};
}

} // namespace neuvo::net
