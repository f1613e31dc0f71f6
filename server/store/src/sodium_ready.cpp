#include "sodium_ready.hpp"

#include "neuvo/store/database.hpp"

#include <sodium.h>

namespace neuvo::store {

void make_sodium_ready() {
    // A function-local static is initialised exactly once even when threads race to it.
    static const bool ready = sodium_init() >= 0;
    if (!ready) {
        throw StoreError("libsodium could not be initialised");
    }
}

} // namespace neuvo::store
