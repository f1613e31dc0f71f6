#include "sign_in_guard.hpp"

#include <algorithm>

namespace neuvo::net {
namespace {

// No account has a login this long (the store allows 64 bytes): a longer one is cut, so that
// made-up logins cannot fill the memory with long keys.
std::string login_key(const std::string& login) {
    return login.substr(0, 128);
}

} // namespace

SignInGuard::SignInGuard(const config::Limits& limits)
    : by_login_(limits.sign_in_per_account, clock_),
      by_address_(limits.sign_in_per_address, clock_) {}

std::optional<std::chrono::seconds> SignInGuard::begin(const std::string& login,
                                                       const std::string& address) {
    std::lock_guard lock(mutex_);
    auto login_wait = by_login_.refused(login_key(login));
    auto address_wait = by_address_.refused(address);
    if (login_wait || address_wait) {
        return std::max(login_wait.value_or(std::chrono::seconds::zero()),
                        address_wait.value_or(std::chrono::seconds::zero()));
    }
    by_login_.failed(login_key(login));
    by_address_.failed(address);
    return std::nullopt;
}

void SignInGuard::succeeded(const std::string& login, const std::string& address) {
    std::lock_guard lock(mutex_);
    by_login_.succeeded(login_key(login));
    by_address_.withdraw_failure(address);
}

} // namespace neuvo::net
