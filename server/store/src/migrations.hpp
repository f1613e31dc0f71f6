#pragma once

#include "neuvo/store/database.hpp" // latest_schema_version()

struct sqlite3;

namespace neuvo::store {

// Brings the database up to latest_schema_version() in one transaction, so a failure leaves it
// as it was. Throws StoreError when the database was written by a newer program.
void migrate(sqlite3* db);

} // namespace neuvo::store
