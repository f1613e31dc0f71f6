// neuvo-server: the advisory chat server and its administration commands.

#include "admin_commands.hpp"
#include "command_line.hpp"
#include "demo_visits.hpp"

#include "neuvo/config/server_config.hpp"
#include "neuvo/net/server.hpp"
#include "neuvo/store/store.hpp"

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>

namespace {

constexpr const char* usage = R"(usage:
  neuvo-server --config FILE [--log-level debug|info|warning|error]
                                             start the server (the level overrides log_level)
  neuvo-server --config FILE --check-config  validate the configuration and exit
  neuvo-server --config FILE admin add --login L --name N --point P --languages fi,ar
                                       [--role advisor|supervisor|clerk|statistician|admin]
                                       [--organisation "Kela, Itäkeskus"]   (clerks)
                                       [--national]   (a supervisor of every point)
                                       --password-stdin
  neuvo-server --config FILE admin list
  neuvo-server --config FILE admin disable|enable --login L
  neuvo-server --config FILE demo-advisors   create demo advisors and print their sign-in
  neuvo-server --config FILE demo-answers    add a few shared answers to an empty list
  neuvo-server --config FILE demo-visits [--database FILE] [--count N] [--seed S] [--months M]
                                       [--if-empty]
                                             add N (3000) demo register rows over M (12) months
)";

// Schedules are written in the service's local time; the C library's TZ rules (with daylight
// saving) turn the clock into it.
void use_time_zone(const std::string& timezone) {
    setenv("TZ", timezone.c_str(), 1);
    tzset();
}

int serve(const neuvo::config::ServerConfig& config) {
    use_time_zone(config.timezone);
    std::filesystem::create_directories(config.database.parent_path());
    neuvo::store::Store store(config.database.string(), config.limits.session_lifetime,
                              config.limits.session_idle);
    neuvo::net::Server server(config, store);
    auto port = server.bind();
    if (auto metrics_port = server.metrics_port()) {
        const auto& host = config.metrics.listen.address; // an IPv6 address goes in brackets
        std::cout << "metrics on http://"
                  << (host.find(':') == std::string::npos ? host : "[" + host + "]") << ":"
                  << metrics_port << "/metrics" << std::endl;
    }
    // Tests and scripts wait for this line; with port 0 it is the only way to learn the port.
    std::cout << "listening on https://" << config.listen.address << ":" << port << std::endl;
    server.run();
    store.flush();
    std::cout << "stopped" << std::endl;
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    try {
        auto line = neuvo::app::CommandLine::parse(
            argc, argv, {"check-config", "password-stdin", "help", "national", "if-empty"});
        if (line.has("help")) {
            std::cout << usage;
            return 0;
        }
        auto config = neuvo::config::load_config(line.required("config"));
        if (line.has("log-level")) {
            auto level = neuvo::config::log_level_named(line.options.at("log-level"));
            if (!level)
                throw neuvo::app::UsageError("--log-level: expected debug, info, warning or "
                                             "error, got \"" +
                                             line.options.at("log-level") + "\"");
            config.log_level = *level;
        }
        if (line.has("check-config")) {
            std::cout << "configuration OK: " << config.network.points.size() << " points, "
                      << config.network.languages.size() << " languages, "
                      << config.network.municipalities.size() << " municipalities\n";
            return 0;
        }
        if (line.words.empty())
            return serve(config);
        if (line.words.front() == "admin") {
            std::filesystem::create_directories(config.database.parent_path());
            return neuvo::app::run_admin_command(line, config, std::cin, std::cout);
        }
        if (line.words.front() == "demo-advisors") {
            std::filesystem::create_directories(config.database.parent_path());
            return neuvo::app::create_demo_advisors(config, std::cout);
        }
        if (line.words.front() == "demo-answers") {
            std::filesystem::create_directories(config.database.parent_path());
            return neuvo::app::create_demo_answers(config, std::cout);
        }
        if (line.words.front() == "demo-visits") {
            std::filesystem::create_directories(config.database.parent_path());
            return neuvo::app::create_demo_visits(line, config, std::cout);
        }
        throw neuvo::app::UsageError("unknown command \"" + line.words.front() + "\"");
    } catch (const neuvo::app::UsageError& error) {
        std::cerr << "neuvo: " << error.what() << "\n" << usage;
        return 2;
    } catch (const neuvo::config::ConfigError& error) {
        std::cerr << "neuvo: configuration error: " << error.what() << "\n";
        return 2;
    } catch (const std::exception& error) {
        std::cerr << "neuvo: " << error.what() << "\n";
        return 1;
    }
}
