#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace neuvo::net {

// A CSV file as spreadsheets open it (RFC 4180): UTF-8 with a byte order mark so that Excel
// reads it as UTF-8, CRLF line ends, fields quoted when they hold the separator, a quote or a
// line break. Finnish and Swedish Excel expect ';' between fields, others ','.
class CsvWriter {
public:
    explicit CsvWriter(char separator = ',');

    void row(const std::vector<std::string>& fields);
    const std::string& text() const { return text_; }
    std::string take() { return std::move(text_); }

private:
    char separator_;
    std::string text_;
};

// One field as written: a field that a spreadsheet would take for a formula (starting with =, +,
// -, @, a tab or a carriage return) gets a leading apostrophe, then quoting as needed.
std::string csv_field(std::string_view value, char separator);

} // namespace neuvo::net
