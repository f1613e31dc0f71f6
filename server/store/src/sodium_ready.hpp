#pragma once

namespace neuvo::store {

// Initialises libsodium on first use from any thread; later calls cost one check. Throws
// StoreError if the library cannot start (no source of randomness).
void make_sodium_ready();

} // namespace neuvo::store
