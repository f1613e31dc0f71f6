#pragma once

#include "neuvo/core/switchboard.hpp"

#include <nlohmann/json.hpp>

namespace neuvo::net {

// The body of GET /api/live (PROTOCOL.md): queues per language and advisors' loads.
nlohmann::json live_view_json(const core::LiveView& view, const core::ServiceNetwork& network);

} // namespace neuvo::net
