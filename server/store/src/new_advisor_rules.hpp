#pragma once

#include "neuvo/store/database.hpp"

namespace neuvo::store {

// Throws StoreError naming the first rule `advisor` breaks: login shape, role, languages,
// password length. The messages never contain the password. Whether point_id exists in the
// configuration is for the caller to check; the store does not know the configuration.
void check_new_advisor(const NewAdvisor& advisor);

} // namespace neuvo::store
