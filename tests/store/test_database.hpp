#pragma once

#include "neuvo/store/database.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace neuvo::store::testing {

// A fresh directory under the system's temporary directory, removed with everything in it at
// the end of the test. Every test gets a real file of its own: no :memory:, no sharing.
class ScratchDirectory {
public:
    ScratchDirectory();
    ~ScratchDirectory();
    ScratchDirectory(const ScratchDirectory&) = delete;
    ScratchDirectory& operator=(const ScratchDirectory&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::string database_path() const { return (path_ / "neuvo.db").string(); }

private:
    std::filesystem::path path_;
};

// Reads the database the way an outsider would, through a connection of its own.
class RawConnection {
public:
    explicit RawConnection(const std::string& path);
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    // The first column of every row of `sql`, as text; NULL reads as "<null>".
    std::vector<std::string> column(const std::string& sql);
    std::string value(const std::string& sql); // the first row's first column
    void execute(const std::string& sql);

private:
    sqlite3* db_ = nullptr;
};

// Every byte on disk that belongs to the database: the main file and its write-ahead log.
std::string database_bytes(const std::string& database_path);

// A valid account; hashing its password takes ~50-100 ms.
NewAdvisor sample_advisor(const std::string& login);

} // namespace neuvo::store::testing
