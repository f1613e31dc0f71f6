#include "neuvo/stats/tables.hpp"

#include <algorithm>
#include <cstddef>
#include <functional>
#include <optional>
#include <stdexcept>
#include <utility>

// The table with its totals is an (R+1) x (C+1) grid: inner cells, the row totals in the last
// column, the column totals in the last row and the grand total in the corner. Every line of the
// grid (each row and each column) says "the parts sum to the whole". Seen as a graph whose nodes
// are the grid's lines and whose edges are the withheld non-zero entries (each entry lies on one
// row and one column), a withheld entry can be solved for exactly when its edge is a bridge: the
// cycles through an edge are exactly the ways to shift counts around without changing any sum.
// So secondary suppression first breaks every bridge, then audits what the bounds of the
// withheld counts (not zero, a small one below the floor) let anyone conclude.
//
// A one-dimension table is the R x 1 grid whose row totals are its cells again ("twins": always
// withheld together) and whose column total is the grand total.

namespace neuvo::stats {
namespace {

struct Entry {
    std::int64_t value = 0;
    CellState state = CellState::shown;
    // A small count that had to be withheld as `hidden` because even "<floor" gave it away:
    // it keeps its real lower bound of 1 in the bound checks.
    bool converted = false;
};

struct Position {
    int row = 0;
    int column = 0;
    auto operator<=>(const Position&) const = default;
};

// What one way of breaking a bridge or freeing a pinned count costs: totals lost first (inner cells
// are the cheaper loss), then the counts withheld, then how many; the positions make ties
// deterministic.
struct Cost {
    int totals = 0;
    std::int64_t withheld = 0;
    std::size_t entries = 0;
    std::vector<Position> positions;
    auto operator<=>(const Cost&) const = default;
};

class Grid {
public:
    Grid(const CountTable& table, std::int64_t floor) : floor_(floor) {
        // Two dimensions where the second found no codes: rows of no cells, only row totals.
        const bool no_columns =
            table.column_codes.empty() && !table.cells.empty() && table.cells.front().empty();
        one_dimension_ = table.column_codes.empty() && !no_columns;
        rows_ = static_cast<int>(table.row_codes.size());
        columns_ = one_dimension_ ? 1 : static_cast<int>(table.column_codes.size());
        if (static_cast<int>(table.cells.size()) != rows_) {
            throw std::invalid_argument("count table: " + std::to_string(table.cells.size()) +
                                        " rows of cells for " + std::to_string(rows_) +
                                        " row codes");
        }
        entries_.assign(static_cast<std::size_t>((rows_ + 1) * (columns_ + 1)), Entry{});
        for (int row = 0; row < rows_; ++row) {
            const auto& cells = table.cells[static_cast<std::size_t>(row)];
            if (static_cast<int>(cells.size()) != columns_) {
                throw std::invalid_argument("count table: row " + std::to_string(row) + " has " +
                                            std::to_string(cells.size()) + " cells, not " +
                                            std::to_string(columns_));
            }
            for (int column = 0; column < columns_; ++column) {
                const std::int64_t value = cells[static_cast<std::size_t>(column)];
                if (value < 0) {
                    throw std::invalid_argument("count table: a negative count");
                }
                at({row, column}).value = value;
                at({row, columns_}).value += value;
                at({rows_, column}).value += value;
                at({rows_, columns_}).value += value;
            }
        }
        for (Entry& entry : entries_) {
            if (entry.value >= 1 && entry.value < floor_) {
                entry.state = CellState::small;
            }
        }
    }

    void suppress_until_safe() {
        // Every step withholds one more entry (or loosens one small's bound), so this ends. With
        // every non-zero entry withheld and no upper bound left, nothing is pinned: each entry
        // lies on the 4-cycle through its row total, column total and grand total, and all four
        // can rise together.
        for (;;) {
            if (const auto bridge = first_bridge()) {
                break_bridge(*bridge);
                continue;
            }
            if (const auto pinned = first_pinned()) {
                loosen(*pinned);
                continue;
            }
            return;
        }
    }

    PublishedTable publish(const CountTable& table) const {
        PublishedTable published;
        published.row_codes = table.row_codes;
        published.column_codes = table.column_codes;
        for (int row = 0; row < rows_; ++row) {
            std::vector<PublishedCell> cells;
            for (int column = 0; column < columns_; ++column) {
                cells.push_back(published_cell({row, column}));
            }
            published.cells.push_back(std::move(cells));
            published.row_totals.push_back(published_cell({row, columns_}));
        }
        for (int column = 0; column < columns_; ++column) {
            published.column_totals.push_back(published_cell({rows_, column}));
        }
        published.total = published_cell({rows_, columns_});
        return published;
    }

private:
    // ---- The grid ----

    Entry& at(Position p) { return entries_[index(p)]; }
    const Entry& at(Position p) const { return entries_[index(p)]; }
    std::size_t index(Position p) const {
        return static_cast<std::size_t>(p.row * (columns_ + 1) + p.column);
    }

    bool withheld(Position p) const { return at(p).state != CellState::shown; }
    bool withholdable(Position p) const { return at(p).value > 0 && !withheld(p); }

    // In a one-dimension table the last column repeats the first; the repeat costs nothing extra.
    bool is_twin_column(int column) const { return one_dimension_ && column == columns_; }
    bool is_total(Position p) const {
        return !is_twin_column(p.column) && (p.row == rows_ || p.column == columns_);
    }
    std::int64_t weight(Position p) const { return is_twin_column(p.column) ? 0 : at(p).value; }

    std::vector<Position> with_twin(Position p) const {
        if (!one_dimension_) {
            return {p};
        }
        return {p, {p.row, 1 - p.column}};
    }

    void withhold(Position p) {
        for (const Position q : with_twin(p)) {
            if (!withheld(q)) {
                at(q).state = CellState::hidden;
            }
        }
    }

    void convert_small(Position p) {
        for (const Position q : with_twin(p)) {
            at(q).state = CellState::hidden;
            at(q).converted = true;
        }
    }

    PublishedCell published_cell(Position p) const {
        PublishedCell cell;
        cell.state = at(p).state;
        if (cell.state == CellState::shown) {
            cell.value = at(p).value;
        }
        return cell;
    }

    // What anyone can tell about a withheld count: it is not zero (zeros are shown), a small one
    // is below the floor, and one withheld in secondary suppression was shown before, so at least
    // the floor. Nothing above: an upper bound of nullopt.
    std::int64_t lower_bound(Position p) const {
        const Entry& entry = at(p);
        if (entry.state == CellState::hidden && !entry.converted) {
            return std::max<std::int64_t>(1, floor_);
        }
        return 1;
    }
    std::optional<std::int64_t> upper_bound(Position p) const {
        if (at(p).state == CellState::small) {
            return floor_ - 1;
        }
        return std::nullopt;
    }

    // ---- Bridges ----

    // Graph nodes: rows 0..R, then columns 0..C as R+1..R+C+1.
    int node_count() const { return rows_ + columns_ + 2; }
    int row_node(int row) const { return row; }
    int column_node(int column) const { return rows_ + 1 + column; }

    std::vector<std::vector<std::pair<int, Position>>>
    adjacency(std::optional<Position> without = std::nullopt) const {
        std::vector<std::vector<std::pair<int, Position>>> neighbours(
            static_cast<std::size_t>(node_count()));
        for (int row = 0; row <= rows_; ++row) {
            for (int column = 0; column <= columns_; ++column) {
                const Position p{row, column};
                if (!withheld(p) || (without && *without == p)) {
                    continue;
                }
                neighbours[static_cast<std::size_t>(row_node(row))].push_back(
                    {column_node(column), p});
                neighbours[static_cast<std::size_t>(column_node(column))].push_back(
                    {row_node(row), p});
            }
        }
        return neighbours;
    }

    std::optional<Position> first_bridge() const {
        const auto neighbours = adjacency();
        std::vector<int> discovered(static_cast<std::size_t>(node_count()), -1);
        std::vector<int> low(static_cast<std::size_t>(node_count()), 0);
        std::vector<bool> bridge(entries_.size(), false);
        int clock = 0;
        // Tarjan's bridge search. The graph is simple (one edge per grid entry), so skipping the
        // edge we came by is enough; depth is at most the number of lines.
        std::function<void(int, std::optional<Position>)> visit = [&](int node,
                                                                      std::optional<Position> via) {
            discovered[static_cast<std::size_t>(node)] = low[static_cast<std::size_t>(node)] =
                clock++;
            for (const auto& [next, edge] : neighbours[static_cast<std::size_t>(node)]) {
                if (via && *via == edge) {
                    continue;
                }
                auto& next_discovered = discovered[static_cast<std::size_t>(next)];
                if (next_discovered >= 0) {
                    low[static_cast<std::size_t>(node)] =
                        std::min(low[static_cast<std::size_t>(node)], next_discovered);
                    continue;
                }
                visit(next, edge);
                low[static_cast<std::size_t>(node)] = std::min(low[static_cast<std::size_t>(node)],
                                                               low[static_cast<std::size_t>(next)]);
                if (low[static_cast<std::size_t>(next)] >
                    discovered[static_cast<std::size_t>(node)]) {
                    bridge[index(edge)] = true;
                }
            }
        };
        for (int node = 0; node < node_count(); ++node) {
            if (discovered[static_cast<std::size_t>(node)] < 0) {
                visit(node, std::nullopt);
            }
        }
        for (int row = 0; row <= rows_; ++row) {
            for (int column = 0; column <= columns_; ++column) {
                if (bridge[index({row, column})]) {
                    return Position{row, column};
                }
            }
        }
        return std::nullopt;
    }

    std::vector<bool>
    reachable(int from,
              const std::vector<std::vector<std::pair<int, Position>>>& neighbours) const {
        std::vector<bool> seen(static_cast<std::size_t>(node_count()), false);
        std::vector<int> stack = {from};
        seen[static_cast<std::size_t>(from)] = true;
        while (!stack.empty()) {
            const int node = stack.back();
            stack.pop_back();
            for (const auto& [next, edge] : neighbours[static_cast<std::size_t>(node)]) {
                if (!seen[static_cast<std::size_t>(next)]) {
                    seen[static_cast<std::size_t>(next)] = true;
                    stack.push_back(next);
                }
            }
        }
        return seen;
    }

    Cost cost_of(std::vector<Position> positions) const {
        Cost cost;
        std::vector<Position> withheld_too;
        for (const Position p : positions) {
            for (const Position q : with_twin(p)) {
                withheld_too.push_back(q);
            }
        }
        std::sort(withheld_too.begin(), withheld_too.end());
        withheld_too.erase(std::unique(withheld_too.begin(), withheld_too.end()),
                           withheld_too.end());
        for (const Position p : withheld_too) {
            if (withheld(p)) {
                continue;
            }
            cost.totals += is_total(p) ? 1 : 0;
            cost.withheld += weight(p);
            cost.entries += is_twin_column(p.column) ? 0 : 1;
            cost.positions.push_back(p);
        }
        return cost;
    }

    // Puts the bridge on a cycle of withheld entries: either one more entry joining the two sides
    // the bridge separates, or the rectangle through it (its other three corners non-zero), which
    // always exists since a row total, a column total and the grand total are never zero where
    // a count is not. The cheapest choice wins.
    void break_bridge(Position bridge) {
        const auto neighbours = adjacency(bridge);
        const auto row_side = reachable(row_node(bridge.row), neighbours);

        std::optional<Cost> best;
        auto consider = [&](const std::vector<Position>& positions) {
            for (const Position p : positions) {
                if (at(p).value == 0) {
                    return;
                }
            }
            Cost cost = cost_of(positions);
            if (cost.positions.empty()) {
                return;
            }
            if (!best || cost < *best) {
                best = std::move(cost);
            }
        };
        const auto column_side = reachable(column_node(bridge.column), neighbours);
        for (int row = 0; row <= rows_; ++row) {
            for (int column = 0; column <= columns_; ++column) {
                const bool rows_side = row_side[static_cast<std::size_t>(row_node(row))];
                const bool columns_side = column_side[static_cast<std::size_t>(row_node(row))];
                const bool joins =
                    (rows_side && column_side[static_cast<std::size_t>(column_node(column))]) ||
                    (columns_side && row_side[static_cast<std::size_t>(column_node(column))]);
                if (joins && withholdable({row, column})) {
                    consider({{row, column}});
                }
            }
        }
        for (int row = 0; row <= rows_; ++row) {
            for (int column = 0; column <= columns_; ++column) {
                if (row != bridge.row && column != bridge.column) {
                    consider({{bridge.row, column}, {row, bridge.column}, {row, column}});
                }
            }
        }
        if (!best) {
            throw std::logic_error("suppression: no way to break a bridge");
        }
        for (const Position p : best->positions) {
            withhold(p);
        }
    }

    // ---- Bounds ----

    // The grid's sums make it a circulation: row total i flows from the totals column into row
    // i, a cell from its row to its column, a column total from its column into the totals row,
    // and the grand total from the totals row back to the totals column. Every line's sum is then
    // "what flows in flows out". Changing withheld counts without changing any shown number is
    // pushing flow around a cycle of withheld entries, each staying inside its bounds. So a
    // withheld count can take another value exactly when the residual graph of the true counts
    // has a cycle through it: an exact audit of bound attacks over the whole table, not line by
    // line (and a bridge, with no cycle at all, fails it too).
    std::pair<int, int> arc(Position p) const {
        const bool row_to_column = (p.row < rows_) == (p.column < columns_);
        if (row_to_column) {
            return {row_node(p.row), column_node(p.column)};
        }
        return {column_node(p.column), row_node(p.row)};
    }

    bool can_rise(Position p) const {
        const auto upper = upper_bound(p);
        return !upper || at(p).value < *upper;
    }
    bool can_fall(Position p) const { return at(p).value > lower_bound(p); }

    using Residual = std::vector<std::vector<std::pair<int, std::size_t>>>; // node -> (next, entry)

    Residual residual() const {
        Residual out(static_cast<std::size_t>(node_count()));
        for (int row = 0; row <= rows_; ++row) {
            for (int column = 0; column <= columns_; ++column) {
                const Position p{row, column};
                if (!withheld(p)) {
                    continue; // a shown count cannot move
                }
                const auto [from, to] = arc(p);
                if (can_rise(p)) {
                    out[static_cast<std::size_t>(from)].push_back({to, index(p)});
                }
                if (can_fall(p)) {
                    out[static_cast<std::size_t>(to)].push_back({from, index(p)});
                }
            }
        }
        return out;
    }

    static bool path(const Residual& out, int from, int to, std::size_t avoiding) {
        std::vector<bool> seen(out.size(), false);
        std::vector<int> stack = {from};
        seen[static_cast<std::size_t>(from)] = true;
        while (!stack.empty()) {
            const int node = stack.back();
            stack.pop_back();
            if (node == to) {
                return true;
            }
            for (const auto& [next, entry] : out[static_cast<std::size_t>(node)]) {
                if (entry != avoiding && !seen[static_cast<std::size_t>(next)]) {
                    seen[static_cast<std::size_t>(next)] = true;
                    stack.push_back(next);
                }
            }
        }
        return false;
    }

    std::optional<Position> first_pinned() const {
        const Residual out = residual();
        for (int row = 0; row <= rows_; ++row) {
            for (int column = 0; column <= columns_; ++column) {
                const Position p{row, column};
                if (!withheld(p)) {
                    continue;
                }
                const auto [from, to] = arc(p);
                // Rising takes flow back from its head to its tail another way; falling, on.
                const bool rises = can_rise(p) && path(out, to, from, index(p));
                const bool falls = can_fall(p) && path(out, from, to, index(p));
                if (!rises && !falls) {
                    return p;
                }
            }
        }
        return std::nullopt;
    }

    // One more withheld entry on the pinned count's row or column, the cheapest; failing that,
    // anywhere. When every non-zero entry is withheld already, a small one is withheld as hidden
    // instead, so that its "<floor" no longer bounds the others: the totals first, since they
    // bound every part at once, the grand total before all.
    void loosen(Position pinned) {
        std::vector<Position> near;
        for (int column = 0; column <= columns_; ++column) {
            near.push_back({pinned.row, column});
        }
        for (int row = 0; row <= rows_; ++row) {
            near.push_back({row, pinned.column});
        }
        if (withhold_cheapest(near)) {
            return;
        }
        std::vector<Position> everywhere;
        for (int row = 0; row <= rows_; ++row) {
            for (int column = 0; column <= columns_; ++column) {
                everywhere.push_back({row, column});
            }
        }
        if (withhold_cheapest(everywhere)) {
            return;
        }
        // The grand total bounds the most counts, then the pinned count's own totals.
        std::vector<Position> smalls_first_totals = {{rows_, columns_}};
        for (const auto& group : {near, everywhere}) {
            for (const Position p : group) {
                if (is_total(p)) {
                    smalls_first_totals.push_back(p);
                }
            }
            for (const Position p : group) {
                smalls_first_totals.push_back(p);
            }
        }
        for (const Position p : smalls_first_totals) {
            if (at(p).state == CellState::small) {
                convert_small(p);
                return;
            }
        }
        throw std::logic_error("suppression: a count is pinned with nothing left to withhold");
    }

    bool withhold_cheapest(const std::vector<Position>& candidates) {
        std::optional<Cost> best;
        for (const Position p : candidates) {
            if (withholdable(p)) {
                Cost cost = cost_of({p});
                if (!best || cost < *best) {
                    best = std::move(cost);
                }
            }
        }
        if (!best) {
            return false;
        }
        for (const Position p : best->positions) {
            withhold(p);
        }
        return true;
    }

    std::int64_t floor_;
    bool one_dimension_ = false;
    int rows_ = 0;
    int columns_ = 0;
    std::vector<Entry> entries_;
};

} // namespace

PublishedTable publish(const CountTable& table, std::int64_t floor) {
    Grid grid(table, floor);
    grid.suppress_until_safe();
    return grid.publish(table);
}

} // namespace neuvo::stats
