#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace neuvo::stats {

// Counts of register rows by one or two dimensions, before anything is hidden. A one-dimension
// table has a single column (column_codes empty, each cells row of size 1). Cells of a
// multi-valued dimension (topics, referrals) count mentions, so every total here is the sum of
// its cells: a published table stays additive, which is what suppression protects.
struct CountTable {
    std::vector<std::string> row_codes;
    std::vector<std::string> column_codes;        // empty for one dimension
    std::vector<std::vector<std::int64_t>> cells; // [row][column]
};

// How a published number is shown. `small`: a count of 1-4, published as "<5". `hidden`: a
// count of any size withheld so that a small one cannot be worked out from the totals (secondary
// suppression), or, rarely, a small count whose "<5" would itself give counts away (four
// non-zero cells under a total of "<5" are all 1). `shown`: the value. A zero is always shown: it
// identifies nobody.
enum class CellState { shown, small, hidden };
const char* cell_state_name(CellState state); // "shown", "small", "hidden"

struct PublishedCell {
    CellState state = CellState::shown;
    std::optional<std::int64_t> value; // only when shown: a hidden number is not kept at all
};

struct PublishedTable {
    std::vector<std::string> row_codes;
    std::vector<std::string> column_codes;
    std::vector<std::vector<PublishedCell>> cells; // [row][column]
    std::vector<PublishedCell> row_totals;         // one per row
    std::vector<PublishedCell> column_totals;      // one per column (one for a 1-D table)
    PublishedCell total;
};

// The smallest count published as a number (DOMAIN: 5; Statistics Finland's floor is 3).
inline constexpr std::int64_t publication_floor = 5;

// Primary suppression of every count (cells and totals) from 1 to floor-1, then secondary
// suppression until no hidden count can be derived from the shown ones through the row, column
// and grand totals: exactly (linear algebra over the table's sums) or by bounds (every hidden
// count is at least 1, a small one at most floor-1). Deterministic: the same table always hides
// the same cells, so asking twice reveals nothing new.
PublishedTable publish(const CountTable& table, std::int64_t floor = publication_floor);

// Wait or duration seconds of one group of rows.
struct TimeSummary {
    std::int64_t rows = 0;
    // Nothing when rows < floor: the mean and median of a few contacts tell about persons.
    std::optional<double> mean_seconds;
    std::optional<double> median_seconds;
};
TimeSummary summarise_times(std::vector<std::int64_t> seconds,
                            std::int64_t floor = publication_floor);

} // namespace neuvo::stats
