#pragma once

#include "neuvo/core/service_network.hpp"
#include "neuvo/core/switchboard.hpp"

#include <string>
#include <vector>

namespace neuvo::core::testing {

inline LanguageOffer offer(std::string language) {
    return LanguageOffer{std::move(language), {}};
}

// A small network shaped like the demo configuration. Unlike the real one, Tampere's Mainio has
// an agreement to serve Espoo residents, so that one Espoo client can be reached at every tier:
// own point (Espoo), region (Helsinki, Vantaa), partner (Tampere), national pool (Turku).
// Oulu10 serves only Oulu residents.
inline ServiceNetwork demo_network() {
    ServiceNetwork network;
    network.languages = {
        {"fi", "Suomi", false},   {"sv", "Svenska", false}, {"en", "English", false},
        {"ru", "Русский", false}, {"ar", "العربية", true},  {"so", "Soomaali", false},
        {"zh", "中文", false},    {"th", "ไทย", false},
    };
    network.municipalities = {
        {"091", "Helsinki", "capital-region"},
        {"049", "Espoo", "capital-region"},
        {"092", "Vantaa", "capital-region"},
        {"235", "Kauniainen", "capital-region"},
        {"837", "Tampere", "pirkanmaa"},
        {"536", "Nokia", "pirkanmaa"},
        {"853", "Turku", ""},
        {"564", "Oulu", ""},
        {"205", "Kajaani", ""},
    };
    network.points = {
        {"091-virka",
         "091",
         "Virka Info",
         {offer("fi"), offer("sv"), offer("en"), offer("ru"), offer("ar"), offer("so"),
          offer("zh")},
         {},
         false},
        {"049-inespoo",
         "049",
         "In Espoo",
         {offer("fi"), offer("sv"), offer("en"), offer("ru")},
         {},
         false},
        {"092-vantaa",
         "092",
         "Vantaa advisory point",
         {offer("fi"), offer("sv"), offer("en"), offer("ru"), offer("ar"), offer("so")},
         {},
         false},
        {"837-mainio",
         "837",
         "Mainio",
         {offer("fi"), offer("en"), offer("ar"), offer("zh")},
         {"049", "205"},
         false},
        {"853-infotori",
         "853",
         "Infotori",
         {offer("fi"), offer("en"), offer("ar"), offer("so")},
         {},
         true},
        {"564-oulu10", "564", "Oulu10", {offer("zh"), offer("ar"), offer("th")}, {}, false},
    };
    return network;
}

inline AdvisorProfile profile(AdvisorId id, std::string name, std::string point,
                              std::vector<std::string> languages) {
    return AdvisorProfile{id, std::move(name), std::move(point), std::move(languages)};
}

// One advisor per point, all speaking Finnish and Arabic (and more where the point offers it).
inline AdvisorProfile aino() {
    return profile(1, "Aino", "091-virka", {"fi", "ar", "en"});
}
inline AdvisorProfile elias() {
    return profile(2, "Elias", "049-inespoo", {"fi", "en", "ru"});
}
inline AdvisorProfile hanna() {
    return profile(3, "Hanna", "837-mainio", {"fi", "ar"});
}
inline AdvisorProfile tuomas() {
    return profile(4, "Tuomas", "853-infotori", {"fi", "ar"});
}
inline AdvisorProfile oona() {
    return profile(5, "Oona", "564-oulu10", {"ar", "zh", "th"});
}
inline AdvisorProfile veera() {
    return profile(6, "Veera", "092-vantaa", {"fi", "ar", "so"});
}

} // namespace neuvo::core::testing
