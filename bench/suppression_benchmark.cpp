// How long publishing a statistics table takes (primary and secondary suppression), for the
// shapes the statistics API serves: a month of one point by language (small), a year by country
// and month (wide), and points by home municipality (square). Counts are drawn like register
// data: many small cells and zeros among a few large ones. Build in Release and run
// bench/suppression_benchmark.

#include "neuvo/stats/tables.hpp"

#include <benchmark/benchmark.h>

#include <random>
#include <string>

namespace {

neuvo::stats::CountTable register_like_table(int rows, int columns, unsigned seed) {
    std::mt19937 random(seed);
    // Mostly zeros and small counts, now and then a large one: the shape that makes secondary
    // suppression work hardest.
    std::discrete_distribution<int> kind({35, 35, 20, 10});
    neuvo::stats::CountTable table;
    for (int row = 0; row < rows; ++row) {
        table.row_codes.push_back("r" + std::to_string(row));
    }
    for (int column = 0; column < columns; ++column) {
        table.column_codes.push_back("c" + std::to_string(column));
    }
    table.cells.assign(static_cast<std::size_t>(rows),
                       std::vector<std::int64_t>(static_cast<std::size_t>(columns), 0));
    for (auto& line : table.cells) {
        for (auto& cell : line) {
            switch (kind(random)) {
            case 0:
                cell = 0;
                break;
            case 1:
                cell = std::uniform_int_distribution<std::int64_t>(1, 4)(random);
                break;
            case 2:
                cell = std::uniform_int_distribution<std::int64_t>(5, 40)(random);
                break;
            default:
                cell = std::uniform_int_distribution<std::int64_t>(40, 900)(random);
                break;
            }
        }
    }
    return table;
}

void publish_table(benchmark::State& state) {
    const auto table =
        register_like_table(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)), 7);
    for (auto _ : state) {
        benchmark::DoNotOptimize(neuvo::stats::publish(table));
    }
    state.counters["cells"] = static_cast<double>(state.range(0) * state.range(1));
}

} // namespace

// Rows x columns: language by point, country by month, home by point, a large cross table.
BENCHMARK(publish_table)
    ->Args({30, 9})
    ->Args({60, 12})
    ->Args({13, 9})
    ->Args({120, 17})
    ->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
