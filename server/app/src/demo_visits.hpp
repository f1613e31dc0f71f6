#pragma once

#include "command_line.hpp"

#include "neuvo/config/server_config.hpp"
#include "neuvo/core/messages.hpp"

#include <cstdint>
#include <iosfwd>
#include <vector>

namespace neuvo::app {

struct DemoVisitOptions {
    int count = 3000;
    std::uint64_t seed = 1;
    int months = 12; // rows spread over this many months before `now`
    core::TimePoint now;
};

// Register rows as the network's points might have written them, with wrap-ups drawn from the
// shares of the ALPO report (length of residence, age, reasons, countries, topics, referrals),
// some unserved requests, and small groups (a small point, rare languages) so that suppression
// shows. The same options give the same rows.
std::vector<core::VisitRecord> demo_visits(const core::ServiceNetwork& network,
                                           const DemoVisitOptions& options);

// `demo-visits [--database FILE] [--count N] [--seed S] [--months M] [--if-empty]`: writes
// demo_visits() in one transaction, to the configuration's database unless another file is
// named; with --if-empty, only into a register without rows.
int create_demo_visits(const CommandLine& line, const config::ServerConfig& config,
                       std::ostream& out);

} // namespace neuvo::app
