#include "new_advisor_rules.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace neuvo::store {
namespace {

constexpr std::size_t max_login_length = 64;
constexpr std::size_t min_password_characters = 8;
constexpr std::array<std::string_view, 5> roles = {"advisor", "supervisor", "clerk", "statistician",
                                                   "admin"};

bool is_login_character(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

bool is_language_tag(std::string_view tag) {
    // BCP-47 letters, digits and hyphens; above all no spaces, which separate tags in storage.
    return !tag.empty() && tag.size() <= 35 && std::all_of(tag.begin(), tag.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-';
    });
}

// Characters as a person counts them: UTF-8 code points, not bytes, so "ääää" is four.
std::size_t count_characters(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

} // namespace

void check_new_advisor(const NewAdvisor& advisor) {
    const std::string& login = advisor.login;
    if (login.empty() || login.size() > max_login_length ||
        !std::all_of(login.begin(), login.end(), is_login_character)) {
        throw StoreError("login \"" + login +
                         "\" must be 1-64 characters of a-z, 0-9, '.', '_' and '-'");
    }
    if (std::find(roles.begin(), roles.end(), advisor.role) == roles.end()) {
        throw StoreError("unknown role \"" + advisor.role +
                         "\": expected advisor, supervisor, clerk, statistician or admin");
    }
    if (advisor.languages.empty()) {
        throw StoreError("advisor \"" + login + "\" needs at least one language");
    }
    for (const auto& language : advisor.languages) {
        if (!is_language_tag(language)) {
            throw StoreError("\"" + language + "\" is not a language tag");
        }
    }
    if (advisor.role == "clerk") {
        const std::size_t length = count_characters(advisor.organisation);
        if (length == 0 || length > 80) {
            throw StoreError("a clerk needs an organisation of 1-80 characters, e.g. \"Kela, "
                             "Itäkeskus\"");
        }
    } else if (!advisor.organisation.empty()) {
        throw StoreError("only clerks belong to an organisation; \"" + login + "\" is " +
                         advisor.role);
    }
    if (advisor.national && advisor.role != "supervisor") {
        throw StoreError("only supervisors can be national; \"" + login + "\" is " + advisor.role);
    }
    if (count_characters(advisor.password) < min_password_characters) {
        throw StoreError("password must be at least 8 characters");
    }
}

} // namespace neuvo::store
