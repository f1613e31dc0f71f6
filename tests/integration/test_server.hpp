#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <sys/types.h>

namespace neuvo::testing {

struct AdvisorLogin {
    std::string login;
    std::string name;
    std::string point;
    std::string languages; // comma-separated
    std::string password = "correct horse 1";
    std::string role = "advisor";
    std::string organisation = {}; // clerks: given to them when empty
    bool national = false;         // supervisors of every point
};

// The real neuvo-server binary on an ephemeral loopback port, with its own temporary directory,
// certificate, configuration (the demo network) and SQLite file. Stopped with SIGTERM when it goes
// out of scope.
class TestServer {
public:
    // `adjust` may change the configuration (e.g. limits) before the server starts.
    explicit TestServer(const std::vector<AdvisorLogin>& advisors = {},
                        const std::function<void(nlohmann::json&)>& adjust = {});
    ~TestServer();
    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;

    unsigned short port() const { return port_; }
    const std::filesystem::path& directory() const { return directory_; }
    std::filesystem::path database() const { return directory_ / "neuvo.db"; }
    std::filesystem::path config_file() const { return directory_ / "config.json"; }
    std::filesystem::path certificate() const { return directory_ / "dev-cert.pem"; }

    // Sends SIGTERM and waits; returns the exit status (or -1 if it had to be killed).
    int stop();
    // Sends SIGKILL, as a crash or the kernel's OOM killer would, and reaps the process: nothing
    // runs after it, no shutdown code and no destructors.
    void kill();
    // Runs the binary again, after stop() or kill(), on the same configuration and database
    // (migrations and WAL recovery run as at any start) and waits until it listens, on a new
    // port. The log goes on in the same file.
    void restart();
    // Everything the server wrote to stderr (its structured log) so far.
    std::string log() const;

private:
    void start(bool new_log);

    std::filesystem::path directory_;
    pid_t pid_ = -1;
    unsigned short port_ = 0;
};

// Runs the server binary with arguments, feeding `input` on stdin; returns exit code and output.
struct CommandResult {
    int exit_code = -1;
    std::string output; // stdout and stderr together
};
CommandResult run_server_command(const std::vector<std::string>& arguments,
                                 const std::string& input = {});

std::filesystem::path source_dir();
std::filesystem::path server_binary();

} // namespace neuvo::testing
