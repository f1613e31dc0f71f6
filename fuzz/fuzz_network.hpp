#pragma once

// The demo network (config/demo.json, read by the real loader) and a document root with the
// traps a static file request may try: a hidden file, a directory without index.html, a symlink
// to a file inside and one to a file outside the root.

#include "fuzz_check.hpp"

#include "neuvo/config/server_config.hpp"
#include "neuvo/core/service_network.hpp"

#include <filesystem>

namespace neuvo::fuzz {

struct Site {
    std::filesystem::path root;   // canonical
    std::filesystem::path secret; // outside the root; must never be served
    core::ServiceNetwork network;
};

inline const Site& site() {
    static const Site built = [] {
        auto scratch = scratch_directory("site");
        Site site;
        write_file(scratch / "certs/dev-cert.pem", "not a certificate\n");
        write_file(scratch / "certs/dev-key.pem", "not a key\n");
        write_file(scratch / "secret.txt", "outside the document root\n");
        auto root = scratch / "client-web";
        write_file(root / "index.html", "<!doctype html>\n");
        write_file(root / "advisor.html", "<!doctype html>\n");
        write_file(root / "js/app.js", "'use strict';\n");
        write_file(root / "i18n/fi.json", "{}\n");
        write_file(root / "sub/index.html", "<!doctype html>\n");
        write_file(root / "sub/.hidden", "hidden\n");
        write_file(root / ".env", "hidden\n");
        std::filesystem::create_directories(root / "empty");
        std::filesystem::create_symlink("../secret.txt", root / "out.txt");
        std::filesystem::create_symlink("js/app.js", root / "in.js");
        std::filesystem::create_directory_symlink("..", root / "up");
        site.root = std::filesystem::canonical(root);
        site.secret = std::filesystem::canonical(scratch / "secret.txt");
        auto demo = std::filesystem::path(NEUVO_SOURCE_DIR) / "config/demo.json";
        site.network = config::parse_config(read_file(demo), scratch / "config").network;
        return site;
    }();
    return built;
}

} // namespace neuvo::fuzz
