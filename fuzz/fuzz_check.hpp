#pragma once

// What the fuzz targets share: a check that stops the run (libFuzzer then saves the input as a
// crash), and a scratch directory for the targets that need files on disk.

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>

#define FUZZ_CHECK(condition, what)                                                                \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "%s:%d: invariant broken: %s (%s)\n", __FILE__, __LINE__, what,   \
                         #condition);                                                              \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)

namespace neuvo::fuzz {

// A fresh directory under $TMPDIR (or /tmp), removed when the process ends normally.
inline std::filesystem::path scratch_directory(std::string_view name) {
    const char* tmp = std::getenv("TMPDIR");
    auto base = std::filesystem::path(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp");
    auto dir = base / ("neuvo-fuzz-" + std::string(name) + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    static struct Remover {
        std::filesystem::path dir;
        ~Remover() {
            std::error_code ignored;
            std::filesystem::remove_all(dir, ignored);
        }
    } remover{dir};
    return dir;
}

inline void write_file(const std::filesystem::path& path, std::string_view text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

} // namespace neuvo::fuzz
