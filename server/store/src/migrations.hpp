#pragma once

struct sqlite3;

namespace neuvo::store {

// The schema version this program creates and understands: the number of migrations it knows.
int latest_schema_version();

// Brings the database up to latest_schema_version() in one transaction, so a failure leaves it
// as it was. Throws StoreError when the database was written by a newer program.
void migrate(sqlite3* db);

} // namespace neuvo::store
