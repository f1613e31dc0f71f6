#include "test_database.hpp"

#include <sqlite3.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace neuvo::store::testing {

ScratchDirectory::ScratchDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "neuvo-store-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("cannot create a scratch directory from " + pattern);
    }
    path_ = pattern;
}

ScratchDirectory::~ScratchDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

RawConnection::RawConnection(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        const std::string reason = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        throw std::runtime_error("cannot open " + path + ": " + reason);
    }
    sqlite3_busy_timeout(db_, 5000);
}

RawConnection::~RawConnection() {
    sqlite3_close(db_);
}

std::vector<std::string> RawConnection::column(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
        throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
    }
    std::vector<std::string> values;
    int result = SQLITE_ROW;
    while ((result = sqlite3_step(statement)) == SQLITE_ROW) {
        const auto* text = sqlite3_column_text(statement, 0);
        values.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "<null>");
    }
    sqlite3_finalize(statement);
    if (result != SQLITE_DONE) {
        throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
    }
    return values;
}

std::string RawConnection::value(const std::string& sql) {
    const auto values = column(sql);
    if (values.empty()) {
        throw std::runtime_error(sql + ": no rows");
    }
    return values.front();
}

void RawConnection::execute(const std::string& sql) {
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
        throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
    }
}

std::string database_bytes(const std::string& database_path) {
    std::string bytes;
    for (const auto& path : {database_path, database_path + "-wal"}) {
        std::ifstream file(path, std::ios::binary);
        bytes.append(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    }
    return bytes;
}

NewAdvisor sample_advisor(const std::string& login) {
    NewAdvisor advisor;
    advisor.login = login;
    advisor.display_name = "Aino";
    advisor.point_id = "049-inespoo";
    advisor.languages = {"fi", "sv", "ru"};
    advisor.role = "advisor";
    advisor.password = "correct horse battery";
    return advisor;
}

} // namespace neuvo::store::testing
