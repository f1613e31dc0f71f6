#include "tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <stdexcept>

namespace neuvo::net {
namespace {

namespace ssl = boost::asio::ssl;

// TLS 1.2 suites of the intermediate profile; TLS 1.3 suites are OpenSSL's defaults (all AEAD).
constexpr const char* tls12_ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                                      "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                                      "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

std::string openssl_reason() {
    unsigned long code = ERR_get_error();
    if (code == 0)
        return "unknown error";
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    return buffer;
}

} // namespace

ssl::context make_tls_context(const std::filesystem::path& certificate,
                              const std::filesystem::path& private_key) {
    ssl::context context(ssl::context::tls_server);
    context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                        ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                        ssl::context::single_dh_use);
    SSL_CTX* native = context.native_handle();
    SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
    if (SSL_CTX_set_cipher_list(native, tls12_ciphers) != 1 ||
        SSL_CTX_set1_groups_list(native, "X25519:P-256:P-384") != 1)
        throw std::runtime_error("TLS setup failed: " + openssl_reason());
    // The server's order (AES-GCM first: fast wherever the CPU has AES instructions), except that
    // a client listing ChaCha20 first, as phones without those instructions do, gets ChaCha20.
    // That keeps what leaving the choice to the client (Mozilla's intermediate profile) is for,
    // and a server without an order of its own is what testssl.sh reports as a finding.
    SSL_CTX_set_options(native, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_PRIORITIZE_CHACHA |
                                    SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);

    boost::system::error_code error;
    context.use_certificate_chain_file(certificate.string(), error);
    if (error)
        throw std::runtime_error("cannot use TLS certificate " + certificate.string() + ": " +
                                 error.message());
    context.use_private_key_file(private_key.string(), ssl::context::pem, error);
    if (error)
        throw std::runtime_error("cannot use TLS private key " + private_key.string() + ": " +
                                 error.message());
    if (SSL_CTX_check_private_key(native) != 1)
        throw std::runtime_error("the TLS private key " + private_key.string() +
                                 " does not match the certificate " + certificate.string());
    return context;
}

} // namespace neuvo::net
