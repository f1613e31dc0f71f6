// testssl.sh (Debian's package `testssl.sh`) against the running server on loopback: no finding of
// severity LOW or above. It takes minutes, so the test is hidden from the default run and
// scripts/tls-check.sh runs it; without the package it says so and checks nothing.
//
// The scan stays on this machine: an IP address is given (no DNS lookups), and nothing is fetched
// from elsewhere (no --phone-out: no CRL or OCSP downloads). The certificate is made as a public
// CA's would be, so that what remains are findings about the server's own TLS: it is issued by a
// CA of the test's own, which testssl.sh is told to trust, for a year, with a CRL address.

#include "test_server.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

using namespace neuvo::testing;
using nlohmann::json;

namespace {

void run_or_fail(const std::string& command) {
    INFO(command);
    REQUIRE(std::system(command.c_str()) == 0);
}

// A CA and a certificate for localhost and 127.0.0.1 issued by it, in `directory`.
void issue_certificate(const std::filesystem::path& directory) {
    const auto in = [&](const std::string& name) {
        return "'" + (directory / name).string() + "'";
    };
    run_or_fail("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
                "-days 3650 -subj '/CN=Neuvo test CA' "
                "-addext 'basicConstraints=critical,CA:TRUE' "
                "-addext 'keyUsage=critical,keyCertSign,cRLSign' -keyout " +
                in("ca-key.pem") + " -out " + in("ca-cert.pem") + " 2>/dev/null");
    run_or_fail("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
                "-subj /CN=localhost -keyout " +
                in("server-key.pem") + " -out " + in("server.csr") + " 2>/dev/null");
    std::ofstream(directory / "server.ext")
        << "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
           "basicConstraints=critical,CA:FALSE\n"
           "keyUsage=critical,digitalSignature\n"
           "extendedKeyUsage=serverAuth\n"
           "crlDistributionPoints=URI:http://ca.neuvo.invalid/test-ca.crl\n";
    run_or_fail("openssl x509 -req -days 365 -in " + in("server.csr") + " -CA " +
                in("ca-cert.pem") + " -CAkey " + in("ca-key.pem") + " -CAcreateserial -extfile " +
                in("server.ext") + " -out " + in("server-cert.pem") + " 2>/dev/null");
}

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

TEST_CASE("tls: testssl.sh reports nothing of severity LOW or above", "[.][tls][testssl]") {
    if (std::system("command -v testssl >/dev/null 2>&1") != 0) {
        WARN("testssl is not installed (Debian package testssl.sh): nothing checked");
        return;
    }
    const auto scratch =
        std::filesystem::temp_directory_path() / ("neuvo-testssl-" + std::to_string(::getpid()));
    std::filesystem::remove_all(scratch);
    std::filesystem::create_directories(scratch);
    issue_certificate(scratch);
    TestServer server({}, [&](json& config) {
        config["tls"] = {{"certificate", (scratch / "server-cert.pem").string()},
                         {"private_key", (scratch / "server-key.pem").string()}};
    });

    const auto report = scratch / "testssl.json";
    const auto output = scratch / "testssl.txt";
    const std::string command =
        "testssl --quiet --color 0 --warnings off --nodns none --ip 127.0.0.1 "
        "--connect-timeout 10 --openssl-timeout 10 --add-ca '" +
        (scratch / "ca-cert.pem").string() + "' --severity LOW --jsonfile '" + report.string() +
        "' https://localhost:" + std::to_string(server.port()) + " >'" + output.string() + "' 2>&1";
    // Its exit code counts findings of any severity; the report says which.
    std::system(command.c_str());
    const auto transcript = read_text(output);
    INFO("testssl's output:\n" << transcript);
    // The scan ran to its end (an early exit would leave a short report that finds nothing).
    REQUIRE(transcript.find("Done ") != std::string::npos);
    const auto findings = json::parse(read_text(report));
    REQUIRE(findings.is_array());

    const std::set<std::string> failing = {"LOW", "MEDIUM", "HIGH", "CRITICAL"};
    for (const auto& finding : findings) {
        const auto severity = finding.value("severity", "");
        const auto text = finding.value("id", "") + ": " + finding.value("finding", "");
        if (failing.contains(severity))
            FAIL_CHECK(severity << " " << text);
        else if (severity == "WARN" || severity == "FATAL")
            // A check that could not be made: said, not counted as a finding.
            WARN("testssl could not check " << text);
    }
    std::filesystem::remove_all(scratch);
}
