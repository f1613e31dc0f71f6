#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

namespace neuvo::net {

// Maps a request target to a file inside the document root, or nothing when the target is not
// a plain path into it (traversal, encoded separators, NUL, symlinks leading out, directories
// without index.html).
std::optional<std::filesystem::path> resolve_static_path(const std::filesystem::path& root,
                                                         std::string_view target);

// Content-Type for a file name; text types carry charset=utf-8.
std::string_view content_type_for(const std::filesystem::path& file);

} // namespace neuvo::net
