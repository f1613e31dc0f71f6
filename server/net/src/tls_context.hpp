#pragma once

#include <boost/asio/ssl/context.hpp>

#include <filesystem>

namespace neuvo::net {

// A server TLS context following Mozilla's "intermediate" profile: TLS 1.2 and 1.3 only,
// ECDHE with AEAD ciphers, curves X25519, P-256 and P-384. Throws std::runtime_error with the
// file name when the certificate or key cannot be used.
boost::asio::ssl::context make_tls_context(const std::filesystem::path& certificate,
                                           const std::filesystem::path& private_key);

} // namespace neuvo::net
