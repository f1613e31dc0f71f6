#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace neuvo::net {

enum class LogLevel { debug, info, warning, error };

void set_log_level(LogLevel level);

// One JSON object per line on stderr. Callers pass metadata only: never message content,
// passwords, cookies or tokens.
void log_event(LogLevel level, std::string_view event,
               std::initializer_list<std::pair<std::string_view, std::string>> fields = {});

} // namespace neuvo::net
