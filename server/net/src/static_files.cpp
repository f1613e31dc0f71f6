#include "static_files.hpp"

#include <algorithm>
#include <string>

namespace neuvo::net {
namespace {

bool hex_digit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    return (c | 0x20) - 'a' + 10;
}

// Percent-decodes a path; refuses encodings of '/', '\' and NUL so that nothing can hide a
// separator or a terminator from the checks below.
std::optional<std::string> decode_path(std::string_view path) {
    std::string decoded;
    for (std::size_t i = 0; i < path.size(); ++i) {
        char c = path[i];
        if (c == '%') {
            if (i + 2 >= path.size() || !hex_digit(path[i + 1]) || !hex_digit(path[i + 2]))
                return std::nullopt;
            c = static_cast<char>(hex_value(path[i + 1]) * 16 + hex_value(path[i + 2]));
            if (c == '/' || c == '\\' || c == '\0')
                return std::nullopt;
            i += 2;
        }
        decoded += c;
    }
    return decoded;
}

} // namespace

std::optional<std::filesystem::path> resolve_static_path(const std::filesystem::path& root,
                                                         std::string_view target) {
    auto query = target.find_first_of("?#");
    auto path = target.substr(0, query);
    if (path.empty() || path.front() != '/')
        return std::nullopt;
    auto decoded = decode_path(path);
    if (!decoded || decoded->find('\\') != std::string::npos ||
        decoded->find('\0') != std::string::npos)
        return std::nullopt;

    // Every segment must be an ordinary name: no "..", no ".", no hidden files.
    std::filesystem::path relative;
    std::size_t start = 1;
    while (start <= decoded->size()) {
        auto end = decoded->find('/', start);
        if (end == std::string::npos)
            end = decoded->size();
        auto segment = decoded->substr(start, end - start);
        if (!segment.empty()) {
            if (segment.front() == '.')
                return std::nullopt;
            relative /= segment;
        }
        start = end + 1;
    }

    std::error_code error;
    auto canonical_root = std::filesystem::canonical(root, error);
    if (error)
        return std::nullopt;
    auto candidate = canonical_root / relative;
    if (std::filesystem::is_directory(candidate, error))
        candidate /= "index.html";
    auto resolved = std::filesystem::canonical(candidate, error);
    if (error || !std::filesystem::is_regular_file(resolved, error))
        return std::nullopt;
    // A symlink inside the root must not lead outside it.
    auto [root_end, ignored] = std::mismatch(canonical_root.begin(), canonical_root.end(),
                                             resolved.begin(), resolved.end());
    if (root_end != canonical_root.end())
        return std::nullopt;
    return resolved;
}

std::string_view content_type_for(const std::filesystem::path& file) {
    static const std::pair<std::string_view, std::string_view> types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".txt", "text/plain; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".ico", "image/x-icon"},
        {".webp", "image/webp"},
        {".woff2", "font/woff2"},
        {".ogg", "audio/ogg"},
        {".mp3", "audio/mpeg"},
        {".wav", "audio/wav"},
        {".webmanifest", "application/manifest+json"},
    };
    auto extension = file.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const auto& [ext, type] : types)
        if (extension == ext)
            return type;
    return "application/octet-stream";
}

} // namespace neuvo::net
