#pragma once

#include "server_context.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/beast/http.hpp>

#include <functional>
#include <string_view>

namespace neuvo::net {

namespace http = boost::beast::http;

// /api/answers and /api/answers/{id}.
bool is_answers_path(std::string_view path);

// The shared answers over HTTP (PROTOCOL.md, "Shared answers"): any signed-in advisor,
// supervisor or admin reads them, supervisors and admins write them. The work goes to the store;
// `reply` is called exactly once, on `executor` (the connection's strand).
void serve_answers(ServerContext& context, const http::request<http::string_body>& request,
                   boost::asio::any_io_executor executor,
                   std::function<void(http::response<http::string_body>)> reply);

} // namespace neuvo::net
