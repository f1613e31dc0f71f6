// Fuzzes the configuration loader (neuvo::config::parse_config, which load_config runs on the
// file's text). An operator's typo must end in a ConfigError that names the field, never in
// another exception or a crash; and a configuration it accepts must hang together: every point
// in a listed municipality, offering listed languages, serving listed municipalities.

#include "fuzz_check.hpp"

#include "neuvo/config/server_config.hpp"

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

namespace {

namespace config = neuvo::config;
namespace fuzz = neuvo::fuzz;

// The files the seeds name, relative to <scratch>/config: config/demo.json's ../certs/*.pem and
// ../client-web, and tests/app's dummy-*.pem and www.
std::filesystem::path base_directory() {
    static const std::filesystem::path base = [] {
        auto root = fuzz::scratch_directory("config");
        fuzz::write_file(root / "certs/dev-cert.pem", "not a certificate\n");
        fuzz::write_file(root / "certs/dev-key.pem", "not a key\n");
        std::filesystem::create_directories(root / "client-web");
        fuzz::write_file(root / "config/dummy-cert.pem", "not a certificate\n");
        fuzz::write_file(root / "config/dummy-key.pem", "not a key\n");
        std::filesystem::create_directories(root / "config/www");
        return root / "config";
    }();
    return base;
}

void check_accepted(const config::ServerConfig& loaded) {
    const auto& network = loaded.network;
    FUZZ_CHECK(!network.points.empty(), "an accepted configuration has points");
    std::set<std::string> ids;
    for (const auto& point : network.points) {
        FUZZ_CHECK(ids.insert(point.id).second, "point ids are unique");
        FUZZ_CHECK(network.find_municipality(point.municipality) != nullptr,
                   "a point's municipality is listed");
        FUZZ_CHECK(!point.languages.empty(), "a point offers a language");
        for (const auto& offer : point.languages) {
            FUZZ_CHECK(network.find_language(offer.language) != nullptr,
                       "a point's language is listed");
            for (const auto& slot : offer.schedule) {
                FUZZ_CHECK(slot.weekday >= 1 && slot.weekday <= 7, "a weekday is 1-7");
                FUZZ_CHECK(slot.from_minute >= 0 && slot.from_minute < 24 * 60,
                           "a slot starts within the day");
                FUZZ_CHECK(slot.to_minute >= 0 && slot.to_minute <= 24 * 60,
                           "a slot ends within the day");
                FUZZ_CHECK(slot.from_minute != slot.to_minute, "a slot is not empty");
            }
        }
        for (const auto& code : point.serves_municipalities)
            FUZZ_CHECK(network.find_municipality(code) != nullptr,
                       "a served municipality is listed");
    }
    std::set<std::string> tags;
    for (const auto& language : network.languages)
        FUZZ_CHECK(tags.insert(language.tag).second, "language tags are unique");
    FUZZ_CHECK(loaded.limits.max_frame_bytes > 0, "frames may have bytes");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        check_accepted(config::parse_config(text, base_directory()));
    } catch (const config::ConfigError& error) {
        FUZZ_CHECK(error.what()[0] != '\0', "a configuration error says what is wrong");
    }
    // Any other exception escapes, and libFuzzer reports it as a crash: the operator would see
    // "terminate called" instead of the field that is wrong.
    return 0;
}
