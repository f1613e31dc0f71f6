#include "neuvo/core/register_codes.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace neuvo::core {
namespace {

// Codes are stable identifiers: a code that has been recorded is never renamed or reused, since
// rows in the field carry it. Add new codes at the end of a list, before "other"/"unknown" only
// when the form should show them there.
constexpr std::array<std::string_view, 8> age_groups = {"0-17",  "18-24", "25-34",   "35-44",
                                                        "45-54", "55-64", "65-plus", "unknown"};
constexpr std::array<std::string_view, 4> genders = {"female", "male", "other", "unknown"};
constexpr std::array<std::string_view, 6> residences = {"not-resident", "under-1", "1-3",
                                                        "3-5",          "over-5",  "unknown"};
constexpr std::array<std::string_view, 7> immigration_reasons = {
    "family", "refugee", "work", "study", "return-migrant", "other", "unknown"};
constexpr std::array<std::string_view, 4> citizenships = {"finland", "eu-eea", "third-country",
                                                          "unknown"};
constexpr std::array<std::string_view, 5> educations = {"none", "basic", "upper-secondary",
                                                        "higher", "unknown"};
constexpr std::array<std::string_view, 8> labour_statuses = {
    "employed",           "unemployed", "training", "student",
    "home-with-children", "retired",    "other",    "unknown"};
constexpr std::array<std::string_view, 17> topics = {"decisions",
                                                     "forms",
                                                     "residence-permits",
                                                     "registration",
                                                     "citizenship",
                                                     "family-reunification",
                                                     "social-security",
                                                     "health",
                                                     "housing",
                                                     "work",
                                                     "education",
                                                     "language-courses",
                                                     "daycare-school",
                                                     "taxation",
                                                     "money",
                                                     "everyday-life",
                                                     "other"};
constexpr std::array<std::string_view, 13> referrals = {
    "kela",        "social-services", "te-office",
    "migri",       "police",          "dvv",
    "health-care", "tax-office",      "educational-institution",
    "ngo",         "legal-aid",       "advisory-point",
    "none"};
constexpr std::array<std::string_view, 3> yes_no = {"yes", "no", "unknown"};

constexpr std::array<RegisterField, 11> fields = {{
    {"age_group", age_groups, false},
    {"gender", genders, false},
    {"residence", residences, false},
    {"immigration_reason", immigration_reasons, false},
    {"citizenship", citizenships, false},
    {"education", educations, false},
    {"labour_status", labour_statuses, false},
    {"topics", topics, true},
    {"referrals", referrals, true},
    {"first_contact", yes_no, false},
    {"interpreter", yes_no, false},
}};

// ISO 3166-1 alpha-2, officially assigned codes, sorted.
constexpr std::array<std::string_view, 249> countries = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
};

bool has_code(const RegisterField& field, std::string_view code) {
    return std::find(field.codes.begin(), field.codes.end(), code) != field.codes.end();
}

std::string single_problem(std::string_view name, const std::string& value) {
    const RegisterField& field = *find_register_field(name);
    if (has_code(field, value)) {
        return {};
    }
    return "field \"" + std::string(name) + "\": \"" + value + "\" is not a code";
}

std::string list_problem(std::string_view name, const std::vector<std::string>& values) {
    const RegisterField& field = *find_register_field(name);
    std::set<std::string> seen;
    for (const std::string& value : values) {
        if (!has_code(field, value)) {
            return "field \"" + std::string(name) + "\": \"" + value + "\" is not a code";
        }
        if (!seen.insert(value).second) {
            return "field \"" + std::string(name) + "\": \"" + value + "\" is given twice";
        }
    }
    return {};
}

} // namespace

std::span<const RegisterField> register_fields() {
    return fields;
}

const RegisterField* find_register_field(std::string_view name) {
    for (const RegisterField& field : fields) {
        if (field.name == name) {
            return &field;
        }
    }
    return nullptr;
}

bool is_country_code(std::string_view code) {
    return std::binary_search(countries.begin(), countries.end(), code);
}

std::span<const std::string_view> country_codes() {
    return countries;
}

std::string wrapup_problem(const Wrapup& wrapup) {
    const std::pair<std::string_view, const std::string*> singles[] = {
        {"age_group", &wrapup.age_group},
        {"gender", &wrapup.gender},
        {"residence", &wrapup.residence},
        {"immigration_reason", &wrapup.immigration_reason},
        {"citizenship", &wrapup.citizenship},
        {"education", &wrapup.education},
        {"labour_status", &wrapup.labour_status},
        {"first_contact", &wrapup.first_contact},
        {"interpreter", &wrapup.interpreter},
    };
    for (const auto& [name, value] : singles) {
        if (std::string problem = single_problem(name, *value); !problem.empty()) {
            return problem;
        }
    }
    if (wrapup.country != "unknown" && !is_country_code(wrapup.country)) {
        return "field \"country\": \"" + wrapup.country +
               "\" is not an ISO 3166-1 alpha-2 code (upper case) or \"unknown\"";
    }
    if (std::string problem = list_problem("topics", wrapup.topics); !problem.empty()) {
        return problem;
    }
    if (std::string problem = list_problem("referrals", wrapup.referrals); !problem.empty()) {
        return problem;
    }
    if (wrapup.referrals.size() > 1 && std::find(wrapup.referrals.begin(), wrapup.referrals.end(),
                                                 "none") != wrapup.referrals.end()) {
        return "field \"referrals\": \"none\" cannot go with another referral";
    }
    return {};
}

} // namespace neuvo::core
