#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace neuvo::core {

// The advisor's part of a register row, filled in the wrap-up form at the end of a conversation.
// Every value is a stable code from register_fields() (labels live in the UI catalogues), and
// "unknown" is always valid: the form must be quick to complete, and a guess is worse than none.
// No free text, ever: nothing here can carry a name or a sentence.
struct Wrapup {
    std::string age_group = "unknown";
    std::string gender = "unknown";
    std::string residence = "unknown"; // length of residence in Finland
    std::string immigration_reason = "unknown";
    std::string citizenship = "unknown";
    std::string country = "unknown"; // of origin: ISO 3166-1 alpha-2, upper case, or "unknown"
    std::string education = "unknown";
    std::string labour_status = "unknown";
    std::vector<std::string> topics;       // several; none given means none recorded
    std::vector<std::string> referrals;    // several; "none" is a code of its own
    std::string first_contact = "unknown"; // first contact this year: "yes", "no", "unknown"
    std::string interpreter = "unknown";   // an interpreter was used: "yes", "no", "unknown"
};

// One field of the wrap-up form and its codes, in the order the form lists them. `country` has no
// list here (see is_country_code); `multiple` fields take several codes.
struct RegisterField {
    std::string_view name; // as in the protocol, the register's column and the statistics API
    std::span<const std::string_view> codes;
    bool multiple = false;
};

// Every coded wrap-up field, country excepted, in form order.
std::span<const RegisterField> register_fields();
const RegisterField* find_register_field(std::string_view name);

// An officially assigned ISO 3166-1 alpha-2 code ("IQ", "RU"...).
bool is_country_code(std::string_view code);
std::span<const std::string_view> country_codes();

// Why the wrap-up cannot be recorded (`field "gender": "x" is not a code`), or empty when it can.
// Duplicate topics or referrals are refused too, and "none" cannot go with another referral.
std::string wrapup_problem(const Wrapup& wrapup);

} // namespace neuvo::core
