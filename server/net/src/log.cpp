#include "log.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace neuvo::net {
namespace {

std::atomic<LogLevel> minimum_level{LogLevel::info};
std::mutex output_mutex;

const char* level_name(LogLevel level) {
    switch (level) {
    case LogLevel::debug:
        return "debug";
    case LogLevel::info:
        return "info";
    case LogLevel::warning:
        return "warning";
    case LogLevel::error:
        return "error";
    }
    return "info";
}

std::string utc_now() {
    auto now = std::chrono::system_clock::now();
    std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer;
}

} // namespace

void set_log_level(LogLevel level) {
    minimum_level = level;
}

void log_event(LogLevel level, std::string_view event,
               std::initializer_list<std::pair<std::string_view, std::string>> fields) {
    if (level < minimum_level.load())
        return;
    nlohmann::json line = {{"time", utc_now()}, {"level", level_name(level)}, {"event", event}};
    for (const auto& [key, value] : fields)
        line[std::string(key)] = value;
    auto text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::lock_guard lock(output_mutex);
    std::fprintf(stderr, "%s\n", text.c_str());
}

} // namespace neuvo::net
