#include "csv.hpp"

namespace neuvo::net {

CsvWriter::CsvWriter(char separator) : separator_(separator), text_("\xEF\xBB\xBF") {}

void CsvWriter::row(const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0)
            text_ += separator_;
        text_ += csv_field(fields[i], separator_);
    }
    text_ += "\r\n";
}

std::string csv_field(std::string_view value, char separator) {
    std::string field;
    if (!value.empty() && (value.front() == '=' || value.front() == '+' || value.front() == '-' ||
                           value.front() == '@' || value.front() == '\t' || value.front() == '\r'))
        field += '\'';
    field += value;
    if (field.find_first_of(std::string{separator, '"', '\r', '\n'}) == std::string::npos)
        return field;
    std::string quoted = "\"";
    for (char c : field) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

} // namespace neuvo::net
