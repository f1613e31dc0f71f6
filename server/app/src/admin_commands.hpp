#pragma once

#include "command_line.hpp"

#include "neuvo/config/server_config.hpp"

#include <iosfwd>

namespace neuvo::app {

// `admin add|list|disable|enable` and `demo-advisors`: short-lived commands that open the
// database directly. Return the process exit code.
int run_admin_command(const CommandLine& line, const config::ServerConfig& config, std::istream& in,
                      std::ostream& out);
int create_demo_advisors(const config::ServerConfig& config, std::ostream& out);
// `demo-answers`: a few shared answers, unless there are some already.
int create_demo_answers(const config::ServerConfig& config, std::ostream& out);

} // namespace neuvo::app
