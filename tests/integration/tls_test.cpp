// TLS as in Mozilla's intermediate profile, checked with OpenSSL client connections of our own
// choosing: TLS 1.2 and 1.3 only, TLS 1.2 only with ECDHE key exchange and AEAD ciphers, key
// exchange only on X25519, P-256 and P-384, and HSTS on every HTTPS response. Each refusal must
// be the server's: the client is set to security level 0, so that it offers what it is told to,
// and the failure must be an alert the server sent.

#include "raw_websocket.hpp"
#include "test_server.hpp"
#include "wss_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <catch2/catch.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

using namespace neuvo::testing;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// What the client offers; empty texts leave OpenSSL's defaults.
struct Offer {
    int min_version = TLS1_2_VERSION;
    int max_version = TLS1_3_VERSION;
    std::string tls12_ciphers = {};
    std::string tls13_suites = {};
    std::string groups = {};
};

struct Outcome {
    bool connected = false;
    std::string version;
    std::string cipher;
    int group = NID_undef;
    int alert_reason = 0; // the OpenSSL reason code of a failed handshake
    std::string error;
};

Outcome handshake(unsigned short port, const Offer& offer) {
    asio::io_context io;
    asio::ssl::context context(asio::ssl::context::tls_client);
    SSL_CTX* native = context.native_handle();
    REQUIRE(SSL_CTX_set_min_proto_version(native, offer.min_version) == 1);
    REQUIRE(SSL_CTX_set_max_proto_version(native, offer.max_version) == 1);
    // OpenSSL's client refuses old protocols and weak suites by itself at its default level.
    const auto ciphers =
        (offer.tls12_ciphers.empty() ? std::string("DEFAULT") : offer.tls12_ciphers) +
        ":@SECLEVEL=0";
    REQUIRE(SSL_CTX_set_cipher_list(native, ciphers.c_str()) == 1);
    if (!offer.tls13_suites.empty())
        REQUIRE(SSL_CTX_set_ciphersuites(native, offer.tls13_suites.c_str()) == 1);
    if (!offer.groups.empty())
        REQUIRE(SSL_CTX_set1_groups_list(native, offer.groups.c_str()) == 1);
    asio::ssl::stream<tcp::socket> stream(io, context);
    stream.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    boost::system::error_code error;
    stream.handshake(asio::ssl::stream_base::client, error);
    Outcome outcome;
    if (error) {
        outcome.error = error.message();
        if (error.category() == asio::error::get_ssl_category())
            outcome.alert_reason = ERR_GET_REASON(static_cast<unsigned long>(error.value()));
        return outcome;
    }
    SSL* ssl = stream.native_handle();
    outcome.connected = true;
    outcome.version = SSL_get_version(ssl);
    outcome.cipher = SSL_CIPHER_get_name(SSL_get_current_cipher(ssl));
    outcome.group = SSL_get_negotiated_group(ssl);
    boost::system::error_code ignored;
    stream.shutdown(ignored);
    return outcome;
}

void check_refused(unsigned short port, const Offer& offer, int expected_alert) {
    auto outcome = handshake(port, offer);
    INFO("connected with " << outcome.version << " " << outcome.cipher << ", or failed with \""
                           << outcome.error << "\"");
    CHECK_FALSE(outcome.connected);
    CHECK(outcome.alert_reason == expected_alert);
}

// The test server with an RSA certificate instead of the usual ECDSA (P-256) one, so that suites
// with RSA key exchange or RSA signatures could be chosen if the server allowed them. In TLS 1.2
// it also frees the choice of group: a client must list an ECDSA certificate's curve among its
// groups, so that with the usual certificate any list without P-256 fails whatever the server's
// groups are.
std::unique_ptr<TestServer> rsa_server() {
    return std::make_unique<TestServer>(std::vector<AdvisorLogin>{}, [](nlohmann::json& config) {
        // Beside the usual certificate, in the server's own directory (removed with it).
        const auto directory =
            std::filesystem::path(config["tls"]["certificate"].get<std::string>()).parent_path();
        const auto command = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 "
                             "-subj /CN=localhost -keyout '" +
                             (directory / "rsa-key.pem").string() + "' -out '" +
                             (directory / "rsa-cert.pem").string() + "' 2>/dev/null";
        REQUIRE(std::system(command.c_str()) == 0);
        config["tls"] = {{"certificate", (directory / "rsa-cert.pem").string()},
                         {"private_key", (directory / "rsa-key.pem").string()}};
    });
}

} // namespace

TEST_CASE("tls: only TLS 1.2 and 1.3", "[integration][tls]") {
    TestServer server;
    for (int version : {TLS1_VERSION, TLS1_1_VERSION}) {
        INFO("TLS version 0x" << std::hex << version);
        check_refused(server.port(), {.min_version = version, .max_version = version},
                      SSL_R_TLSV1_ALERT_PROTOCOL_VERSION);
    }
    auto tls13 = handshake(server.port(), {.min_version = TLS1_3_VERSION});
    CHECK(tls13.connected);
    CHECK(tls13.version == "TLSv1.3");
    // A client that can do both gets the newer.
    CHECK(handshake(server.port(), {}).version == "TLSv1.3");
    auto tls12 = handshake(server.port(), {.max_version = TLS1_2_VERSION});
    CHECK(tls12.connected);
    CHECK(tls12.version == "TLSv1.2");
}

TEST_CASE("tls: TLS 1.2 only with ECDHE and AEAD ciphers (ECDSA certificate)",
          "[integration][tls]") {
    TestServer server;
    const Offer tls12 = {.max_version = TLS1_2_VERSION};
    for (const std::string suite :
         {"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
          "ECDHE-ECDSA-CHACHA20-POLY1305"}) {
        INFO(suite);
        auto offer = tls12;
        offer.tls12_ciphers = suite;
        auto outcome = handshake(server.port(), offer);
        CHECK(outcome.connected);
        CHECK(outcome.cipher == suite);
    }
    // CBC with HMAC (no AEAD), and the null and export-grade leftovers.
    for (const std::string suite :
         {"ECDHE-ECDSA-AES128-SHA256", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-ECDSA-AES128-SHA",
          "ECDHE-ECDSA-AES256-SHA", "ECDHE-ECDSA-NULL-SHA"}) {
        INFO(suite);
        auto offer = tls12;
        offer.tls12_ciphers = suite;
        check_refused(server.port(), offer, SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE);
    }
}

TEST_CASE("tls: TLS 1.2 only with ECDHE and AEAD ciphers (RSA certificate)", "[integration][tls]") {
    auto rsa = rsa_server();
    auto& server = *rsa;
    const Offer tls12 = {.max_version = TLS1_2_VERSION};
    for (const std::string suite : {"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384",
                                    "ECDHE-RSA-CHACHA20-POLY1305"}) {
        INFO(suite);
        auto offer = tls12;
        offer.tls12_ciphers = suite;
        auto outcome = handshake(server.port(), offer);
        CHECK(outcome.connected);
        CHECK(outcome.cipher == suite);
    }
    // With an RSA key each of these could be chosen: static RSA key exchange (no forward
    // secrecy), finite-field DHE (intermediate allows it, this server does not), and CBC.
    for (const std::string suite :
         {"AES128-GCM-SHA256", "AES256-GCM-SHA384", "AES128-SHA256", "AES128-SHA",
          "DHE-RSA-AES128-GCM-SHA256", "DHE-RSA-AES256-GCM-SHA384", "DHE-RSA-CHACHA20-POLY1305",
          "ECDHE-RSA-AES128-SHA256", "ECDHE-RSA-AES256-SHA", "NULL-SHA256"}) {
        INFO(suite);
        auto offer = tls12;
        offer.tls12_ciphers = suite;
        check_refused(server.port(), offer, SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE);
    }
    auto tls13 = handshake(server.port(), {.min_version = TLS1_3_VERSION});
    CHECK(tls13.version == "TLSv1.3");
}

TEST_CASE("tls: TLS 1.3 with each of its suites", "[integration][tls]") {
    TestServer server;
    for (const std::string suite :
         {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"}) {
        INFO(suite);
        auto outcome =
            handshake(server.port(), {.min_version = TLS1_3_VERSION, .tls13_suites = suite});
        CHECK(outcome.connected);
        CHECK(outcome.cipher == suite);
    }
}

TEST_CASE("tls: key exchange only on X25519, P-256 and P-384", "[integration][tls]") {
    // TLS 1.3 with the usual certificate, TLS 1.2 with an RSA one (see rsa_server).
    TestServer server;
    auto rsa = rsa_server();
    const std::vector<std::pair<int, unsigned short>> versions = {{TLS1_3_VERSION, server.port()},
                                                                  {TLS1_2_VERSION, rsa->port()}};
    const std::vector<std::pair<std::string, int>> accepted = {
        {"X25519", NID_X25519}, {"P-256", NID_X9_62_prime256v1}, {"P-384", NID_secp384r1}};
    for (const auto& [version, port] : versions) {
        for (const auto& [group, nid] : accepted) {
            INFO(group << " in TLS version 0x" << std::hex << version);
            auto outcome =
                handshake(port, {.min_version = version, .max_version = version, .groups = group});
            CHECK(outcome.connected);
            CHECK(outcome.group == nid);
        }
        for (const std::string group :
             {"P-521", "X448", "ffdhe2048", "ffdhe3072", "ffdhe2048:P-521"}) {
            INFO(group << " in TLS version 0x" << std::hex << version);
            check_refused(port, {.min_version = version, .max_version = version, .groups = group},
                          SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE);
        }
    }
}

TEST_CASE("tls: HSTS on every HTTPS response", "[integration][tls]") {
    TestServer server;
    const std::string hsts = "max-age=63072000";
    for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
             {"GET", "/"},
             {"GET", "/healthz"},
             {"GET", "/js/nothing-here.js"}, // 404
             {"GET", "/api/session"},        // 401
             {"POST", "/api/sign-in"},       // 400
             {"DELETE", "/index.html"},      // 405
             {"GET", "/ws/client"},          // an upgrade without its headers
             {"GET", "/api/statistics/counts"}}) {
        INFO(method << " " << target);
        auto response = https_request(server.port(), method, target);
        CHECK(response.headers["strict-transport-security"] == hsts);
    }
    // The WebSocket upgrade's 101 too.
    RawWebSocket socket(server.port());
    CHECK(socket.upgrade_response().find("Strict-Transport-Security: " + hsts + "\r\n") !=
          std::string::npos);
}
