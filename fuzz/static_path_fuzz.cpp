// Fuzzes the mapping of a request target to a file (neuvo::net::resolve_static_path) against a
// real document root with traps in it (fuzz_network.hpp). Whatever the target, a file it yields
// is a regular file inside the root, reached by no hidden segment, never the file outside the
// root that two symlinks point to, and has a Content-Type.

#include "fuzz_network.hpp"
#include "static_files.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace neuvo::fuzz {

void check_resolved(const std::filesystem::path& file) {
    const auto& root = site().root;
    FUZZ_CHECK(std::filesystem::is_regular_file(file), "a resolved path is a regular file");
    FUZZ_CHECK(file.is_absolute(), "a resolved path is absolute");
    FUZZ_CHECK(std::filesystem::canonical(file) == file, "a resolved path is canonical");
    auto [root_end, file_rest] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
    FUZZ_CHECK(root_end == root.end(), "a resolved path is inside the document root");
    FUZZ_CHECK(file != site().secret, "the file outside the root is never served");
    for (auto segment = file_rest; segment != file.end(); ++segment)
        FUZZ_CHECK(!segment->string().starts_with('.'), "no hidden file is served");
    FUZZ_CHECK(!net::content_type_for(file).empty(), "a served file has a Content-Type");
}

} // namespace neuvo::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view target(reinterpret_cast<const char*>(data), size);
    if (auto file = neuvo::net::resolve_static_path(neuvo::fuzz::site().root, target))
        neuvo::fuzz::check_resolved(*file);
    return 0;
}
