#pragma once

#include <optional>
#include <string>
#include <vector>

namespace neuvo::core {

// The static facts the router works from: which languages exist, which municipalities and advisory
// points there are, which points serve whose residents. Loaded once from configuration.

struct Language {
    std::string tag;     // BCP-47, e.g. "ar"
    std::string autonym; // the language's name in itself, e.g. "العربية"
    bool right_to_left = false;
};

struct Municipality {
    std::string code;   // Statistics Finland code, e.g. "049"
    std::string name;   // e.g. "Espoo"
    std::string region; // region group, e.g. "capital-region"; empty when none
};

// A weekly slot in which a point offers a language, in local minutes since midnight. A slot
// whose end is not after its start runs past midnight into the next day (22:00-02:00).
struct ScheduleSlot {
    int weekday = 1; // ISO: 1 = Monday ... 7 = Sunday; the day the slot starts
    int from_minute = 0;
    int to_minute = 0;
};

struct LanguageOffer {
    std::string language;
    std::vector<ScheduleSlot> schedule; // empty: offered whenever an advisor is signed in
};

struct Point {
    std::string id;           // e.g. "049-inespoo"
    std::string municipality; // municipality code of the point's home
    std::string name;         // e.g. "In Espoo"
    std::vector<LanguageOffer> languages;
    std::vector<std::string> serves_municipalities; // agreements: residents this point also serves
    bool national_pool = false;                     // serves clients from anywhere as the last tier
};

// How close the serving point is to the client's home; lower is preferred.
enum class Tier { own_point, region, partner, national };

const char* tier_name(Tier tier);

struct ServiceNetwork {
    std::vector<Language> languages;
    std::vector<Municipality> municipalities;
    std::vector<Point> points;

    const Language* find_language(const std::string& tag) const;
    const Municipality* find_municipality(const std::string& code) const;
    const Point* find_point(const std::string& id) const;

    // The tier at which an advisor of `serving` may serve a resident of `home` (empty or unknown
    // home: national pool only), or nothing when that point does not serve them at all.
    std::optional<Tier> tier_for(const Point& serving, const std::string& home) const;
};

} // namespace neuvo::core
