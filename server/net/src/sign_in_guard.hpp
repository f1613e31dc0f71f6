#pragma once

#include "neuvo/config/server_config.hpp"
#include "neuvo/core/attempt_throttle.hpp"
#include "neuvo/core/clock.hpp"

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

namespace neuvo::net {

// Sign-in throttling for the HTTP sessions of every network thread: failures per login and per
// client address (the rule is core::AttemptThrottle's). An attempt counts as a failure from the
// moment it begins, because password checks queue on one thread: otherwise a burst of parallel
// guesses would all be checked before the first had failed.
class SignInGuard {
public:
    explicit SignInGuard(const config::Limits& limits);

    // Nothing: go ahead (the attempt is now counted). Otherwise how long until the login and the
    // address may try again; nothing is counted and the password must not be checked.
    std::optional<std::chrono::seconds> begin(const std::string& login, const std::string& address);
    void succeeded(const std::string& login, const std::string& address);

private:
    std::mutex mutex_;
    core::SystemClock clock_;
    core::AttemptThrottle by_login_;
    core::AttemptThrottle by_address_;
};

} // namespace neuvo::net
