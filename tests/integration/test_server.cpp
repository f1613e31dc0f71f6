#include "test_server.hpp"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <random>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace neuvo::testing {
namespace {

std::filesystem::path make_temp_directory() {
    std::random_device device;
    auto path = std::filesystem::temp_directory_path() /
                ("neuvo-it-" + std::to_string(getpid()) + "-" + std::to_string(device()));
    std::filesystem::create_directories(path);
    return path;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// fork + exec with stdin from `input_fd` and stdout/stderr to the given descriptors.
pid_t spawn(const std::vector<std::string>& arguments, int input_fd, int output_fd, int error_fd) {
    pid_t pid = fork();
    if (pid < 0)
        throw std::runtime_error("fork failed");
    if (pid == 0) {
        dup2(input_fd, 0);
        dup2(output_fd, 1);
        dup2(error_fd, 2);
        std::vector<char*> argv;
        for (const auto& argument : arguments)
            argv.push_back(const_cast<char*>(argument.c_str()));
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    return pid;
}

} // namespace

std::filesystem::path source_dir() {
    return NEUVO_SOURCE_DIR;
}
std::filesystem::path server_binary() {
    return NEUVO_SERVER_BINARY;
}

CommandResult run_server_command(const std::vector<std::string>& arguments,
                                 const std::string& input) {
    auto directory = make_temp_directory();
    auto input_path = directory / "stdin";
    auto output_path = directory / "output";
    std::ofstream(input_path) << input;
    int in = open(input_path.c_str(), O_RDONLY);
    int out = open(output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<std::string> full{server_binary().string()};
    full.insert(full.end(), arguments.begin(), arguments.end());
    pid_t pid = spawn(full, in, out, out);
    close(in);
    close(out);
    int status = 0;
    waitpid(pid, &status, 0);
    CommandResult result{WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(output_path)};
    std::filesystem::remove_all(directory);
    return result;
}

TestServer::TestServer(const std::vector<AdvisorLogin>& advisors,
                       const std::function<void(nlohmann::json&)>& adjust)
    : directory_(make_temp_directory()) {
    auto certificate_result =
        std::system(("bash '" + (source_dir() / "scripts/dev-cert.sh").string() + "' '" +
                     directory_.string() + "' >/dev/null")
                        .c_str());
    if (certificate_result != 0)
        throw std::runtime_error("could not create a test certificate");

    auto config = nlohmann::json::parse(read_file(source_dir() / "config/demo.json"));
    config["listen"] = {{"address", "127.0.0.1"}, {"port", 0}};
    config["tls"] = {{"certificate", certificate().string()},
                     {"private_key", (directory_ / "dev-key.pem").string()}};
    config["database"] = database().string();
    config["document_root"] = (source_dir() / "client-web").string();
    config["threads"] = 2;
    // The demo's origins name its port 8443: on port 0 the default, the server's own origins on
    // the port it binds, is what the tests' clients send.
    config.erase("allowed_origins");
    if (adjust)
        adjust(config);
    std::ofstream(config_file()) << config.dump(2);

    for (const auto& advisor : advisors) {
        std::vector<std::string> command = {
            "--config", config_file().string(), "admin",           "add",
            "--login",  advisor.login,          "--name",          advisor.name,
            "--point",  advisor.point,          "--languages",     advisor.languages,
            "--role",   advisor.role,           "--password-stdin"};
        if (advisor.role == "clerk") {
            command.push_back("--organisation");
            command.push_back(advisor.organisation.empty() ? "Kela, Itäkeskus"
                                                           : advisor.organisation);
        }
        if (advisor.national)
            command.push_back("--national");
        auto result = run_server_command(command, advisor.password + "\n");
        if (result.exit_code != 0)
            throw std::runtime_error("admin add failed: " + result.output);
    }
    start(true);
}

void TestServer::start(bool new_log) {
    int output[2];
    if (pipe(output) != 0)
        throw std::runtime_error("pipe failed");
    int null_in = open("/dev/null", O_RDONLY);
    int log = open((directory_ / "server.log").c_str(),
                   O_WRONLY | O_CREAT | (new_log ? O_TRUNC : O_APPEND), 0600);
    pid_ = spawn({server_binary().string(), "--config", config_file().string()}, null_in, output[1],
                 log);
    close(null_in);
    close(log);
    close(output[1]);

    // Wait for "listening on https://127.0.0.1:PORT"; port 0 means only the server knows it.
    std::string seen;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    std::smatch match;
    static const std::regex listening("listening on https://127\\.0\\.0\\.1:(\\d+)");
    while (!std::regex_search(seen, match, listening)) {
        pollfd ready{output[0], POLLIN, 0};
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || poll(&ready, 1, static_cast<int>(left.count())) <= 0) {
            stop();
            throw std::runtime_error("the server did not start: " + this->log());
        }
        char buffer[256];
        auto n = read(output[0], buffer, sizeof buffer);
        if (n <= 0) {
            stop();
            throw std::runtime_error("the server exited at start: " + this->log());
        }
        seen.append(buffer, static_cast<std::size_t>(n));
    }
    port_ = static_cast<unsigned short>(std::stoi(match[1].str()));
    // Keep draining stdout in the background so the server never blocks on a full pipe.
    std::thread([fd = output[0]] {
        char buffer[256];
        while (read(fd, buffer, sizeof buffer) > 0) {
        }
        close(fd);
    }).detach();
}

int TestServer::stop() {
    if (pid_ <= 0)
        return -1;
    ::kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 150; ++i) {
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ::kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return -1;
}

void TestServer::kill() {
    if (pid_ <= 0)
        return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
}

void TestServer::restart() {
    if (pid_ > 0)
        throw std::logic_error("restart() of a server that still runs");
    port_ = 0;
    start(false);
}

std::string TestServer::log() const {
    return read_file(directory_ / "server.log");
}

TestServer::~TestServer() {
    stop();
    std::error_code ignored;
    if (!std::getenv("NEUVO_KEEP_TEST_FILES"))
        std::filesystem::remove_all(directory_, ignored);
}

} // namespace neuvo::testing
