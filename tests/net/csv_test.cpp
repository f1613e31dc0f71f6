#include "csv.hpp"

#include <catch2/catch.hpp>

using neuvo::net::csv_field;
using neuvo::net::CsvWriter;

TEST_CASE("a CSV file starts with a byte order mark and ends its lines with CRLF", "[csv]") {
    CsvWriter csv;
    csv.row({"language", "Kieli", "count"});
    csv.row({"ar", "العربية", "12"});
    CHECK(csv.text() == "\xEF\xBB\xBFlanguage,Kieli,count\r\nar,العربية,12\r\n");
}

TEST_CASE("CSV fields are quoted only when they must be (RFC 4180)", "[csv]") {
    CHECK(csv_field("Virka Info", ',') == "Virka Info");
    CHECK(csv_field("Kela, Itäkeskus", ',') == "\"Kela, Itäkeskus\"");
    CHECK(csv_field("Kela, Itäkeskus", ';') == "Kela, Itäkeskus");
    CHECK(csv_field("a;b", ';') == "\"a;b\"");
    CHECK(csv_field("say \"hi\"", ',') == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("two\nlines", ',') == "\"two\nlines\"");
    CHECK(csv_field("", ',').empty());
    CHECK(csv_field("<5", ';') == "<5");
}

TEST_CASE("a CSV field a spreadsheet would run as a formula gets an apostrophe", "[csv]") {
    CHECK(csv_field("=HYPERLINK(\"x\")", ';') == "\"'=HYPERLINK(\"\"x\"\")\"");
    CHECK(csv_field("=1+1", ',') == "'=1+1");
    CHECK(csv_field("+358", ',') == "'+358");
    CHECK(csv_field("-2", ',') == "'-2");
    CHECK(csv_field("@SUM(A1)", ',') == "'@SUM(A1)");
    CHECK(csv_field("\tx", ',') == "'\tx");
    CHECK(csv_field("=a,b", ',') == "\"'=a,b\"");
    CHECK(csv_field("0-17", ',') == "0-17");
    CHECK(csv_field("2026-01", ',') == "2026-01");
}

TEST_CASE("a semicolon CSV separates with semicolons", "[csv]") {
    CsvWriter csv(';');
    csv.row({"point", "Neuvontapiste", "count"});
    csv.row({"091-virka", "Virka Info", "<5"});
    csv.row({"total", "Yhteensä", ""});
    CHECK(csv.text() == "\xEF\xBB\xBFpoint;Neuvontapiste;count\r\n091-virka;Virka Info;<5\r\n"
                        "total;Yhteensä;\r\n");
}
