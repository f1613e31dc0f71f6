#include "neuvo/stats/tables.hpp"

namespace neuvo::stats {

const char* cell_state_name(CellState state) {
    switch (state) {
    case CellState::shown:
        return "shown";
    case CellState::small:
        return "small";
    case CellState::hidden:
        return "hidden";
    }
    return "hidden"; // unreachable; if it ever were, withholding is the safe answer
}

} // namespace neuvo::stats
