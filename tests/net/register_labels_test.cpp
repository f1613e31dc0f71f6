// Every code the wrap-up form and the statistics use has a label in every staff language: the
// C++ list (register_codes.cpp) is the source of truth, the catalogues must follow it.

#include "register_labels.hpp"

#include "neuvo/core/register_codes.hpp"
#include "neuvo/store/statistics_query.hpp"

#include "core/demo_network.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using neuvo::net::label_languages;
using neuvo::net::RegisterLabels;

namespace {

const RegisterLabels& labels() {
    static const RegisterLabels loaded =
        RegisterLabels::load(std::filesystem::path(NEUVO_SOURCE_DIR) / "client-web");
    return loaded;
}

} // namespace

TEST_CASE("every wrap-up field and code has a label in fi, sv and en", "[labels]") {
    for (const auto& language : label_languages) {
        for (const auto& field : neuvo::core::register_fields()) {
            const std::string name(field.name);
            INFO(language << ".json, field " << name);
            CHECK_FALSE(labels().find(language, "field." + name).empty());
            for (auto code : field.codes) {
                INFO("code " << code);
                CHECK_FALSE(labels().find(language, name + "." + std::string(code)).empty());
            }
        }
        INFO(language << ".json");
        CHECK_FALSE(labels().find(language, "field.country").empty());
        CHECK_FALSE(labels().find(language, "value.unknown").empty());
        CHECK_FALSE(labels().find(language, "value.none").empty());
        CHECK_FALSE(labels().find(language, "value.total").empty());
        for (const char* key : {"channel.chat", "channel.kiosk", "channel.video",
                                "channel.language-support", "outcome.served", "outcome.unserved"})
            CHECK_FALSE(labels().find(language, key).empty());
    }
}

TEST_CASE("every statistics dimension has a label in fi, sv and en", "[labels]") {
    for (const auto& language : label_languages)
        for (const auto& dimension : neuvo::store::statistics_dimensions()) {
            INFO(language << ": " << dimension);
            CHECK(labels().dimension(language, dimension) != dimension);
        }
}

TEST_CASE("codes are labelled from the catalogues and the network, else shown as they are",
          "[labels]") {
    const auto network = neuvo::core::testing::demo_network();
    CHECK(labels().code("fi", "residence", "1-3", network) == "1–3 vuotta");
    CHECK(labels().code("sv", "referral", "te-office", network) == "TE-byrån");
    CHECK(labels().code("fi", "topic", "residence-permits", network) == "Oleskeluluvat");
    CHECK(labels().code("fi", "channel", "language-support", network) == "Kielituki");
    CHECK(labels().code("fi", "point", "091-virka", network) == "Virka Info");
    CHECK(labels().code("fi", "point", "none", network) == "Ei mitään");
    CHECK(labels().code("en", "home", "049", network) == "Espoo");
    CHECK(labels().code("en", "home", "unknown", network) == "Unknown");
    CHECK(labels().code("en", "language", "ar", network) == "العربية");
    CHECK(labels().code("fi", "country", "IQ", network) == "IQ");
    CHECK(labels().code("fi", "month", "2026-03", network) == "2026-03");
    CHECK(labels().code("fi", "age_group", "no-such-code", network) == "no-such-code");
    CHECK(labels().dimension("fi", "language") == "Kieli");
    CHECK(labels().dimension("sv", "residence") == "Vistelsetid i Finland");
}

TEST_CASE("without catalogues every label is the code", "[labels]") {
    const auto missing = RegisterLabels::load("/nonexistent");
    const auto network = neuvo::core::testing::demo_network();
    CHECK(missing.code("fi", "residence", "1-3", network) == "1-3");
    CHECK(missing.dimension("fi", "residence") == "residence");
}
