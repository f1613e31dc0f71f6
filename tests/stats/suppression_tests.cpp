#include "neuvo/stats/tables.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <optional>
#include <random>
#include <string>
#include <vector>

using namespace neuvo::stats;

namespace {

CountTable one_dimension(const std::vector<std::int64_t>& counts) {
    CountTable table;
    for (std::size_t row = 0; row < counts.size(); ++row) {
        table.row_codes.push_back("r" + std::to_string(row));
        table.cells.push_back({counts[row]});
    }
    return table;
}

CountTable two_dimensions(const std::vector<std::vector<std::int64_t>>& counts) {
    CountTable table;
    for (std::size_t row = 0; row < counts.size(); ++row) {
        table.row_codes.push_back("r" + std::to_string(row));
    }
    for (std::size_t column = 0; !counts.empty() && column < counts[0].size(); ++column) {
        table.column_codes.push_back("c" + std::to_string(column));
    }
    table.cells = counts;
    return table;
}

// A shown count as its number, a small one as "<", a hidden one as "#".
std::string text(const PublishedCell& cell) {
    switch (cell.state) {
    case CellState::shown:
        return cell.value ? std::to_string(*cell.value) : "shown without a value";
    case CellState::small:
        return cell.value ? "small with a value" : "<";
    case CellState::hidden:
        return cell.value ? "hidden with a value" : "#";
    }
    return "?";
}

// One line per row, "cells | row total", and last "column totals | total". A one-dimension
// table: one line per cell, then the total.
std::vector<std::string> render(const PublishedTable& table) {
    std::vector<std::string> lines;
    if (table.column_codes.empty()) {
        for (const auto& row : table.cells) {
            lines.push_back(text(row.at(0)));
        }
        lines.push_back(text(table.total));
        return lines;
    }
    for (std::size_t row = 0; row < table.cells.size(); ++row) {
        std::string line;
        for (const PublishedCell& cell : table.cells[row]) {
            line += text(cell) + " ";
        }
        lines.push_back(line + "| " + text(table.row_totals.at(row)));
    }
    std::string line;
    for (const PublishedCell& cell : table.column_totals) {
        line += text(cell) + " ";
    }
    lines.push_back(line + "| " + text(table.total));
    return lines;
}

using Lines = std::vector<std::string>;

} // namespace

TEST_CASE("cell states have the names the API uses", "[stats][suppression]") {
    CHECK(std::string(cell_state_name(CellState::shown)) == "shown");
    CHECK(std::string(cell_state_name(CellState::small)) == "small");
    CHECK(std::string(cell_state_name(CellState::hidden)) == "hidden");
}

TEST_CASE("a table without small counts is shown whole", "[stats][suppression]") {
    const PublishedTable published = publish(two_dimensions({{5, 6}, {7, 0}}));
    CHECK(render(published) == Lines{"5 6 | 11", "7 0 | 7", "12 6 | 18"});
    CHECK(published.row_codes == std::vector<std::string>{"r0", "r1"});
    CHECK(published.column_codes == std::vector<std::string>{"c0", "c1"});
}

TEST_CASE("one small cell of a list takes a second cell with it", "[stats][suppression]") {
    // Alone, the 3 would be the total minus the shown cells. The smallest other cell goes too.
    CHECK(render(publish(one_dimension({3, 9, 7}))) == Lines{"<", "9", "#", "19"});
    // The row totals of a list are its cells again, published the same way.
    const PublishedTable published = publish(one_dimension({3, 9, 7}));
    REQUIRE(published.row_totals.size() == 3);
    CHECK(published.row_totals[0].state == CellState::small);
    CHECK(published.row_totals[2].state == CellState::hidden);
    CHECK(published.row_totals[1].value == 9);
    REQUIRE(published.column_totals.size() == 1);
    CHECK(published.column_totals[0].value == 19);
}

TEST_CASE("one small cell of a 2x2 table hides the whole rectangle", "[stats][suppression]") {
    CHECK(render(publish(two_dimensions({{2, 10}, {10, 10}}))) ==
          Lines{"< # | 12", "# # | 20", "12 20 | 32"});
}

TEST_CASE("a small count alone in its row takes its row total's partner with it",
          "[stats][suppression]") {
    // The row total equals the 3, so both are small; the 6 and its row total, 14, go with them,
    // or the column and the totals column would give them away.
    CHECK(render(publish(two_dimensions({{3, 0}, {6, 8}}))) ==
          Lines{"< 0 | <", "# 8 | #", "9 8 | 17"});
}

TEST_CASE("a small grand total makes every non-zero count small", "[stats][suppression]") {
    CHECK(render(publish(two_dimensions({{1, 0}, {1, 1}}))) ==
          Lines{"< 0 | <", "< < | <", "< < | <"});
    CHECK(render(publish(one_dimension({2, 0, 2}))) == Lines{"<", "0", "<", "<"});
}

TEST_CASE("a small total over as many ones as it allows is hidden", "[stats][suppression]") {
    // Four non-zero cells under "<5" can only be 1 each: the total must not say "<5".
    CHECK(render(publish(one_dimension({1, 1, 1, 1}))) == Lines{"<", "<", "<", "<", "#"});
}

TEST_CASE("ones whose shown total gives them away take another cell", "[stats][suppression]") {
    // 1 + 1 + 8 + 9 = 19: hiding the two 1s alone would leave "two non-zero cells summing to 2".
    CHECK(render(publish(one_dimension({1, 1, 8, 9}))) == Lines{"<", "<", "#", "9", "19"});
}

TEST_CASE("an all-zero table is shown", "[stats][suppression]") {
    CHECK(render(publish(two_dimensions({{0, 0, 0}, {0, 0, 0}}))) ==
          Lines{"0 0 0 | 0", "0 0 0 | 0", "0 0 0 | 0"});
    CHECK(render(publish(one_dimension({0, 0}))) == Lines{"0", "0", "0"});
    CHECK(render(publish(one_dimension({}))) == Lines{"0"});
}

TEST_CASE("a 1x1 table", "[stats][suppression]") {
    CHECK(render(publish(two_dimensions({{3}}))) == Lines{"< | <", "< | <"});
    CHECK(render(publish(two_dimensions({{12}}))) == Lines{"12 | 12", "12 | 12"});
    CHECK(render(publish(one_dimension({3}))) == Lines{"<", "<"});
}

TEST_CASE("a two-dimension table whose second dimension found no codes", "[stats][suppression]") {
    CountTable table;
    table.row_codes = {"female", "male"};
    table.cells = {{}, {}};
    const PublishedTable published = publish(table);
    REQUIRE(published.cells.size() == 2);
    CHECK(published.cells[0].empty());
    REQUIRE(published.row_totals.size() == 2);
    CHECK(published.row_totals[1].value == 0);
    CHECK(published.column_totals.empty());
    CHECK(published.total.value == 0);
}

TEST_CASE("the floor can be set", "[stats][suppression]") {
    CHECK(render(publish(one_dimension({3, 9, 7}), 3)) == Lines{"3", "9", "7", "19"});
    CHECK(render(publish(one_dimension({2, 9, 7}), 3)) == Lines{"<", "9", "#", "18"});
}

TEST_CASE("a malformed table is refused", "[stats][suppression]") {
    CountTable ragged = two_dimensions({{1, 2}, {3, 4}});
    ragged.cells[1].pop_back();
    CHECK_THROWS_AS(publish(ragged), std::invalid_argument);
    CHECK_THROWS_AS(publish(one_dimension({-1})), std::invalid_argument);
}

namespace {

// ---- An independent audit: exact linear algebra and per-line bounds ----

struct Fraction {
    std::int64_t numerator = 0;
    std::int64_t denominator = 1;

    Fraction(std::int64_t n = 0, std::int64_t d = 1) : numerator(n), denominator(d) {
        if (denominator < 0) {
            numerator = -numerator;
            denominator = -denominator;
        }
        const std::int64_t divisor = std::gcd(numerator, denominator);
        if (divisor > 1) {
            numerator /= divisor;
            denominator /= divisor;
        }
    }
    bool zero() const { return numerator == 0; }
    Fraction operator-(const Fraction& o) const {
        return {numerator * o.denominator - o.numerator * denominator, denominator * o.denominator};
    }
    Fraction operator*(const Fraction& o) const {
        return {numerator * o.numerator, denominator * o.denominator};
    }
    Fraction operator/(const Fraction& o) const {
        return {numerator * o.denominator, denominator * o.numerator};
    }
};

// One published number of the grid, with the true count behind it.
struct AuditEntry {
    PublishedCell published;
    std::int64_t truth = 0;
};

// Each equation: entries (by index) with coefficients +1 (parts) or -1 (the whole).
using Equation = std::vector<std::pair<std::size_t, int>>;

struct Audit {
    std::vector<AuditEntry> entries;
    std::vector<Equation> equations;
};

Audit audit_of(const CountTable& table, const PublishedTable& published) {
    Audit audit;
    const std::size_t rows = table.cells.size();
    const std::size_t columns = table.column_codes.empty() ? 1 : table.column_codes.size();
    auto add = [&](const PublishedCell& cell, std::int64_t truth) {
        audit.entries.push_back({cell, truth});
        return audit.entries.size() - 1;
    };
    std::vector<std::vector<std::size_t>> cell(rows);
    std::vector<std::size_t> row_total, column_total;
    std::vector<std::int64_t> column_sums(columns, 0);
    std::int64_t grand = 0;
    for (std::size_t r = 0; r < rows; ++r) {
        std::int64_t sum = 0;
        for (std::size_t c = 0; c < columns; ++c) {
            cell[r].push_back(add(published.cells.at(r).at(c), table.cells[r][c]));
            sum += table.cells[r][c];
            column_sums[c] += table.cells[r][c];
        }
        row_total.push_back(add(published.row_totals.at(r), sum));
        grand += sum;
    }
    for (std::size_t c = 0; c < columns; ++c) {
        column_total.push_back(add(published.column_totals.at(c), column_sums[c]));
    }
    const std::size_t total = add(published.total, grand);

    for (std::size_t r = 0; r < rows; ++r) {
        Equation equation;
        for (std::size_t c = 0; c < columns; ++c) {
            equation.push_back({cell[r][c], 1});
        }
        equation.push_back({row_total[r], -1});
        audit.equations.push_back(equation);
    }
    for (std::size_t c = 0; c < columns; ++c) {
        Equation equation;
        for (std::size_t r = 0; r < rows; ++r) {
            equation.push_back({cell[r][c], 1});
        }
        equation.push_back({column_total[c], -1});
        audit.equations.push_back(equation);
    }
    Equation totals_row, totals_column;
    for (const std::size_t c : column_total) {
        totals_row.push_back({c, 1});
    }
    totals_row.push_back({total, -1});
    for (const std::size_t r : row_total) {
        totals_column.push_back({r, 1});
    }
    totals_column.push_back({total, -1});
    audit.equations.push_back(totals_row);
    audit.equations.push_back(totals_column);
    return audit;
}

bool withheld(const AuditEntry& entry) {
    return entry.published.state != CellState::shown;
}

// The withheld entries whose value the equations fix, whatever the others are: those whose unit
// vector lies in the row space of the equations restricted to the withheld entries. Gauss-Jordan
// over the rationals; a unit vector is in the row space iff a reduced row equals it.
std::vector<std::size_t> exactly_determined(const Audit& audit) {
    std::vector<std::size_t> unknowns;
    std::vector<int> column_of(audit.entries.size(), -1);
    for (std::size_t e = 0; e < audit.entries.size(); ++e) {
        if (withheld(audit.entries[e])) {
            column_of[e] = static_cast<int>(unknowns.size());
            unknowns.push_back(e);
        }
    }
    std::vector<std::vector<Fraction>> matrix;
    for (const Equation& equation : audit.equations) {
        std::vector<Fraction> row(unknowns.size());
        for (const auto& [entry, coefficient] : equation) {
            if (column_of[entry] >= 0) {
                row[static_cast<std::size_t>(column_of[entry])] = Fraction(coefficient);
            }
        }
        matrix.push_back(row);
    }
    std::size_t pivot_row = 0;
    for (std::size_t column = 0; column < unknowns.size() && pivot_row < matrix.size(); ++column) {
        std::size_t found = pivot_row;
        while (found < matrix.size() && matrix[found][column].zero()) {
            ++found;
        }
        if (found == matrix.size()) {
            continue;
        }
        std::swap(matrix[found], matrix[pivot_row]);
        const Fraction pivot = matrix[pivot_row][column];
        for (Fraction& value : matrix[pivot_row]) {
            value = value / pivot;
        }
        for (std::size_t other = 0; other < matrix.size(); ++other) {
            if (other == pivot_row || matrix[other][column].zero()) {
                continue;
            }
            const Fraction factor = matrix[other][column];
            for (std::size_t k = 0; k < unknowns.size(); ++k) {
                matrix[other][k] = matrix[other][k] - factor * matrix[pivot_row][k];
            }
        }
        ++pivot_row;
    }
    std::vector<std::size_t> determined;
    for (const auto& row : matrix) {
        std::size_t nonzero = 0, where = 0;
        for (std::size_t k = 0; k < row.size(); ++k) {
            if (!row[k].zero()) {
                ++nonzero;
                where = k;
            }
        }
        if (nonzero == 1) {
            determined.push_back(unknowns[where]);
        }
    }
    return determined;
}

// The withheld entries one equation alone pins to a single value, given what anyone knows: a
// withheld count is at least 1 (zeros are shown), a small one at most floor-1.
std::vector<std::size_t> pinned_by_one_line(const Audit& audit, std::int64_t floor) {
    constexpr double infinity = std::numeric_limits<double>::infinity();
    std::vector<std::size_t> pinned;
    for (const Equation& equation : audit.equations) {
        double known = 0;
        std::vector<std::pair<std::size_t, int>> unknown;
        for (const auto& [entry, coefficient] : equation) {
            if (withheld(audit.entries[entry])) {
                unknown.push_back({entry, coefficient});
            } else {
                known -= coefficient * static_cast<double>(*audit.entries[entry].published.value);
            }
        }
        auto low = [&](std::size_t) { return 1.0; };
        auto high = [&](std::size_t e) {
            return audit.entries[e].published.state == CellState::small
                       ? static_cast<double>(floor - 1)
                       : infinity;
        };
        for (const auto& [u, u_coefficient] : unknown) {
            // u_coefficient * x_u = known - sum of the others' coefficient * x.
            double others_min = 0, others_max = 0;
            for (const auto& [o, o_coefficient] : unknown) {
                if (o == u) {
                    continue;
                }
                others_min += o_coefficient > 0 ? low(o) : -high(o);
                others_max += o_coefficient > 0 ? high(o) : -low(o);
            }
            double from = (known - others_max) / u_coefficient;
            double to = (known - others_min) / u_coefficient;
            if (from > to) {
                std::swap(from, to);
            }
            from = std::max(from, low(u));
            to = std::min(to, high(u));
            INFO("entry " << u << " truth " << audit.entries[u].truth << " range " << from << ".."
                          << to);
            CHECK(from <= static_cast<double>(audit.entries[u].truth));
            CHECK(static_cast<double>(audit.entries[u].truth) <= to);
            if (from == to) {
                pinned.push_back(u);
            }
        }
    }
    return pinned;
}

// Whether some real solution of the equations, with every withheld entry inside its bounds,
// gives entry `fixed` the value `value`: phase 1 of a dense simplex (Bland's rule, so it ends).
// The table's equations are totally unimodular, so where a real solution exists an integer one
// does too, and a count's possible values are all the integers between its least and greatest.
bool feasible_with(const Audit& audit, std::int64_t floor, std::size_t fixed, std::int64_t value) {
    constexpr double epsilon = 1e-9;
    // y = x - lower bound >= 0, one column per withheld entry; a slack column per small one.
    std::vector<int> column_of(audit.entries.size(), -1);
    std::vector<std::size_t> withheld_entries;
    for (std::size_t e = 0; e < audit.entries.size(); ++e) {
        if (withheld(audit.entries[e])) {
            column_of[e] = static_cast<int>(withheld_entries.size());
            withheld_entries.push_back(e);
        }
    }
    std::vector<std::size_t> smalls;
    for (const std::size_t e : withheld_entries) {
        if (audit.entries[e].published.state == CellState::small) {
            smalls.push_back(e);
        }
    }
    const std::size_t variables = withheld_entries.size() + smalls.size();
    std::vector<std::vector<double>> rows; // coefficients, then the right-hand side
    for (const Equation& equation : audit.equations) {
        std::vector<double> row(variables + 1, 0.0);
        double rhs = 0;
        for (const auto& [entry, coefficient] : equation) {
            if (column_of[entry] >= 0) {
                row[static_cast<std::size_t>(column_of[entry])] = coefficient;
                rhs -= coefficient * 1.0; // x = y + 1
            } else {
                rhs -= coefficient * static_cast<double>(*audit.entries[entry].published.value);
            }
        }
        row[variables] = rhs;
        rows.push_back(row);
    }
    for (std::size_t k = 0; k < smalls.size(); ++k) {
        std::vector<double> row(variables + 1, 0.0);
        row[static_cast<std::size_t>(column_of[smalls[k]])] = 1;
        row[withheld_entries.size() + k] = 1;
        row[variables] = static_cast<double>(floor - 2); // y + slack = (floor-1) - 1
        rows.push_back(row);
    }
    std::vector<double> pin(variables + 1, 0.0);
    pin[static_cast<std::size_t>(column_of[fixed])] = 1;
    pin[variables] = static_cast<double>(value - 1);
    rows.push_back(pin);

    // Artificial columns make the starting basis; phase 1 minimises their sum.
    const std::size_t m = rows.size();
    const std::size_t width = variables + m;
    std::vector<std::vector<double>> tableau(m, std::vector<double>(width + 1, 0.0));
    std::vector<std::size_t> basis(m);
    for (std::size_t i = 0; i < m; ++i) {
        const double sign = rows[i][variables] < 0 ? -1.0 : 1.0;
        for (std::size_t j = 0; j < variables; ++j) {
            tableau[i][j] = sign * rows[i][j];
        }
        tableau[i][variables + i] = 1;
        tableau[i][width] = sign * rows[i][variables];
        basis[i] = variables + i;
    }
    std::vector<double> reduced(width + 1, 0.0); // of the objective "sum of artificials"
    for (std::size_t i = 0; i < m; ++i) {
        for (std::size_t j = 0; j < variables; ++j) {
            reduced[j] -= tableau[i][j];
        }
        reduced[width] -= tableau[i][width];
    }
    for (;;) {
        std::size_t entering = width;
        for (std::size_t j = 0; j < width; ++j) {
            if (reduced[j] < -epsilon) {
                entering = j;
                break;
            }
        }
        if (entering == width) {
            break;
        }
        std::size_t leaving = m;
        double best_ratio = 0;
        for (std::size_t i = 0; i < m; ++i) {
            if (tableau[i][entering] > epsilon) {
                const double ratio = tableau[i][width] / tableau[i][entering];
                if (leaving == m || ratio < best_ratio - epsilon ||
                    (ratio < best_ratio + epsilon && basis[i] < basis[leaving])) {
                    leaving = i;
                    best_ratio = ratio;
                }
            }
        }
        if (leaving == m) {
            break; // unbounded below cannot happen for a sum of non-negative artificials
        }
        const double pivot = tableau[leaving][entering];
        for (double& cell : tableau[leaving]) {
            cell /= pivot;
        }
        for (std::size_t i = 0; i < m; ++i) {
            if (i != leaving && std::abs(tableau[i][entering]) > epsilon) {
                const double factor = tableau[i][entering];
                for (std::size_t j = 0; j <= width; ++j) {
                    tableau[i][j] -= factor * tableau[leaving][j];
                }
            }
        }
        const double factor = reduced[entering];
        for (std::size_t j = 0; j <= width; ++j) {
            reduced[j] -= factor * tableau[leaving][j];
        }
        basis[leaving] = entering;
    }
    return std::abs(reduced[width]) < 1e-6;
}

// The withheld entries whose bounds and the equations, over the whole table at once, leave one
// possible value.
std::vector<std::size_t> pinned_by_bounds(const Audit& audit, std::int64_t floor) {
    std::vector<std::size_t> pinned;
    for (std::size_t e = 0; e < audit.entries.size(); ++e) {
        if (!withheld(audit.entries[e])) {
            continue;
        }
        const std::int64_t truth = audit.entries[e].truth;
        const bool above = feasible_with(audit, floor, e, truth + 1);
        const bool below = truth > 1 && feasible_with(audit, floor, e, truth - 1);
        if (!above && !below) {
            pinned.push_back(e);
        }
    }
    return pinned;
}

} // namespace

namespace {

struct RandomRun {
    int withheld = 0;
    int hidden = 0;
};

// Publishes `rounds` random tables of 1 to `largest` rows and columns, many of their counts small
// or zero, and audits each with the methods above.
RandomRun audit_random_tables(std::uint64_t seed, int rounds, std::uint64_t largest) {
    std::mt19937_64 random(seed);
    auto below = [&](std::uint64_t n) { return static_cast<std::int64_t>(random() % n); };
    RandomRun run;
    for (int round = 0; round < rounds; ++round) {
        const auto rows = static_cast<std::size_t>(1 + below(largest));
        const auto columns = static_cast<std::size_t>(1 + below(largest));
        std::vector<std::vector<std::int64_t>> counts(rows, std::vector<std::int64_t>(columns));
        const std::int64_t zero_share = below(4); // 0..3 in 8: some tables sparse, some dense
        for (auto& row : counts) {
            for (auto& count : row) {
                const std::int64_t kind = below(8);
                count = kind < zero_share ? 0 : kind < 6 ? 1 + below(4) : 5 + below(20);
            }
        }
        const bool as_list = columns == 1 && below(2) == 0;
        CountTable table;
        if (as_list) {
            std::vector<std::int64_t> list;
            for (const auto& row : counts) {
                list.push_back(row[0]);
            }
            table = one_dimension(list);
        } else {
            table = two_dimensions(counts);
        }
        const PublishedTable published = publish(table);
        INFO("round " << round);
        for (const std::string& line : render(published)) {
            UNSCOPED_INFO(line);
        }

        // The same table always publishes the same way.
        REQUIRE(render(publish(table)) == render(published));

        const Audit audit = audit_of(table, published);
        for (const AuditEntry& entry : audit.entries) {
            if (entry.published.state == CellState::shown) {
                REQUIRE(entry.published.value == entry.truth);
                REQUIRE((entry.truth == 0 || entry.truth >= publication_floor));
            } else {
                ++run.withheld;
                run.hidden += entry.published.state == CellState::hidden ? 1 : 0;
                REQUIRE(!entry.published.value);
                REQUIRE(entry.truth > 0);
                if (entry.published.state == CellState::small) {
                    REQUIRE(entry.truth < publication_floor);
                }
            }
        }
        REQUIRE(exactly_determined(audit).empty());
        REQUIRE(pinned_by_one_line(audit, publication_floor).empty());
        REQUIRE(pinned_by_bounds(audit, publication_floor).empty());
    }
    return run;
}

} // namespace

TEST_CASE("random tables: nothing withheld can be worked out from what is published",
          "[stats][suppression]") {
    const RandomRun run = audit_random_tables(20261201, 2000, 6);
    // The cases did exercise secondary suppression.
    CHECK(run.withheld > 10000);
    CHECK(run.hidden > 2000);
}

TEST_CASE("random larger tables: nothing withheld can be worked out either",
          "[stats][suppression]") {
    const RandomRun run = audit_random_tables(20261202, 60, 12);
    CHECK(run.withheld > 1000);
    CHECK(run.hidden > 100);
}

TEST_CASE("the whole-table audit finds a bound attack that no single line shows",
          "[stats][suppression]") {
    // Four ones, every number "<5": each row total is at least 2 (two non-zero cells), and the
    // grand total below 5 leaves exactly 2 for each, so every cell is 1. No line alone says so.
    const CountTable ones = two_dimensions({{1, 1}, {1, 1}});
    PublishedTable all_small;
    PublishedCell small;
    small.state = CellState::small;
    all_small.row_codes = ones.row_codes;
    all_small.column_codes = ones.column_codes;
    all_small.cells = {{small, small}, {small, small}};
    all_small.row_totals = {small, small};
    all_small.column_totals = {small, small};
    all_small.total = small;
    const Audit naive = audit_of(ones, all_small);
    CHECK(exactly_determined(naive).empty());
    CHECK(pinned_by_one_line(naive, publication_floor).empty());
    CHECK(pinned_by_bounds(naive, publication_floor).size() == 9);

    // publish() withholds the grand total as hidden: then the row totals are 2 to 4 each.
    const PublishedTable published = publish(ones);
    CHECK(render(published) == Lines{"< < | <", "< < | <", "< < | #"});
    CHECK(pinned_by_bounds(audit_of(ones, published), publication_floor).empty());
}
