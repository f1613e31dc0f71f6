#include "test_database.hpp"

#include <catch2/catch.hpp>

using namespace neuvo::store;
using namespace neuvo::store::testing;

namespace {

void require_refused(Database& database, const NewAdvisor& advisor, const std::string& message) {
    try {
        database.add_advisor(advisor);
        FAIL("accepted login \"" + advisor.login + "\"");
    } catch (const StoreError& error) {
        CHECK(std::string(error.what()) == message);
    }
}

} // namespace

TEST_CASE("advisors are added, listed and found", "[store][advisors]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());

    NewAdvisor aino = sample_advisor("aino.k");
    NewAdvisor bashir = sample_advisor("bashir_2-x");
    bashir.display_name = "Bashir";
    bashir.point_id = "091-virka";
    bashir.languages = {"ar", "prs", "fa", "fi"};
    bashir.role = "supervisor";
    const auto aino_id = database.add_advisor(aino);
    const auto bashir_id = database.add_advisor(bashir);
    CHECK(aino_id != bashir_id);

    const auto advisors = database.list_advisors();
    REQUIRE(advisors.size() == 2);
    CHECK(advisors[0].id == aino_id);
    CHECK(advisors[0].login == "aino.k");
    CHECK(advisors[1].id == bashir_id);
    CHECK(advisors[1].login == "bashir_2-x");
    CHECK(advisors[1].display_name == "Bashir");
    CHECK(advisors[1].point_id == "091-virka");
    CHECK(advisors[1].languages == std::vector<std::string>{"ar", "prs", "fa", "fi"});
    CHECK(advisors[1].role == "supervisor");
    CHECK_FALSE(advisors[1].disabled);

    const auto found = database.find_advisor("aino.k");
    REQUIRE(found.has_value());
    CHECK(found->languages == std::vector<std::string>{"fi", "sv", "ru"});
    CHECK(found->display_name == "Aino");
    CHECK_FALSE(database.find_advisor("nobody").has_value());
}

TEST_CASE("the stored hash is argon2id and the password is nowhere in clear", "[store][advisors]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    NewAdvisor advisor = sample_advisor("aino");
    advisor.password = "unmistakable-secret-42";
    database.add_advisor(advisor);

    const auto hash = database.password_hash("aino");
    REQUIRE(hash.has_value());
    CHECK_THAT(*hash, Catch::StartsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
    CHECK(verify_password(*hash, "unmistakable-secret-42"));
    CHECK_FALSE(verify_password(*hash, "unmistakable-secret-43"));

    const std::string bytes = database_bytes(scratch.database_path());
    CHECK(bytes.find(*hash) != std::string::npos); // the search does see the table's contents
    CHECK(bytes.find("unmistakable-secret-42") == std::string::npos);
}

TEST_CASE("advisors are disabled and enabled again", "[store][advisors]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    database.add_advisor(sample_advisor("aino"));

    CHECK(database.set_advisor_disabled("aino", true));
    CHECK(database.find_advisor("aino")->disabled);
    CHECK(database.list_advisors().at(0).disabled);
    CHECK_FALSE(database.password_hash("aino").has_value());

    CHECK(database.set_advisor_disabled("aino", false));
    CHECK_FALSE(database.find_advisor("aino")->disabled);
    CHECK(database.password_hash("aino").has_value());

    CHECK_FALSE(database.set_advisor_disabled("nobody", true));
}

TEST_CASE("a duplicate login is refused by name and changes nothing", "[store][advisors]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    database.add_advisor(sample_advisor("aino"));

    NewAdvisor again = sample_advisor("aino");
    again.display_name = "Someone Else";
    require_refused(database, again, "an advisor with login \"aino\" already exists");

    const auto advisors = database.list_advisors();
    REQUIRE(advisors.size() == 1);
    CHECK(advisors[0].display_name == "Aino");
}

TEST_CASE("an unknown role is refused and changes nothing", "[store][advisors]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    NewAdvisor advisor = sample_advisor("aino");
    advisor.role = "superuser";
    require_refused(database, advisor,
                    "unknown role \"superuser\": expected advisor, supervisor, clerk, "
                    "statistician or admin");
    CHECK(database.list_advisors().empty());

    // Every listed role is accepted.
    for (const std::string role : {"advisor", "supervisor", "clerk", "statistician", "admin"}) {
        advisor.login = role + "1";
        advisor.role = role;
        advisor.organisation = role == "clerk" ? "Kela, Itäkeskus" : "";
        CHECK_NOTHROW(database.add_advisor(advisor));
    }
    CHECK(database.list_advisors().size() == 5);
}

TEST_CASE("malformed logins are refused", "[store][advisors]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    for (const std::string& login : std::vector<std::string>{"", "Aino", "aino k", "aino;drop",
                                                             "äino", std::string(65, 'a')}) {
        NewAdvisor advisor = sample_advisor(login);
        require_refused(database, advisor,
                        "login \"" + login +
                            "\" must be 1-64 characters of a-z, 0-9, '.', '_' and '-'");
    }
    CHECK(database.list_advisors().empty());
}

TEST_CASE("an advisor needs at least one well-formed language", "[store][advisors]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    NewAdvisor advisor = sample_advisor("aino");
    advisor.languages = {};
    require_refused(database, advisor, "advisor \"aino\" needs at least one language");
    advisor.languages = {"fi", "sv en"};
    require_refused(database, advisor, "\"sv en\" is not a language tag");
    advisor.languages = {""};
    require_refused(database, advisor, "\"\" is not a language tag");
    CHECK(database.list_advisors().empty());
}

TEST_CASE("passwords shorter than 8 characters are refused without being echoed",
          "[store][advisors]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());
    NewAdvisor advisor = sample_advisor("aino");
    for (const std::string password : {"", "seven77", "äääääää"}) {
        advisor.password = password;
        require_refused(database, advisor, "password must be at least 8 characters");
    }
    CHECK(database.list_advisors().empty());

    // Characters, not bytes: eight letters of two bytes each are enough, and so are eight ASCII.
    advisor.password = "ääääääää";
    CHECK_NOTHROW(database.add_advisor(advisor));
    advisor.login = "bashir";
    advisor.password = "eight888";
    CHECK_NOTHROW(database.add_advisor(advisor));
    CHECK(database.list_advisors().size() == 2);
}

TEST_CASE("a clerk belongs to an organisation and a supervisor may oversee every point",
          "[store][advisors]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());

    NewAdvisor clerk = sample_advisor("kaisa");
    clerk.role = "clerk";
    clerk.organisation = "Kela, Itäkeskus";
    NewAdvisor national = sample_advisor("sanna");
    national.role = "supervisor";
    national.national = true;
    database.add_advisor(clerk);
    database.add_advisor(national);
    database.add_advisor(sample_advisor("aino"));

    const auto kaisa = database.find_advisor("kaisa");
    REQUIRE(kaisa.has_value());
    CHECK(kaisa->organisation == "Kela, Itäkeskus");
    CHECK_FALSE(kaisa->national);
    const auto sanna = database.find_advisor("sanna");
    REQUIRE(sanna.has_value());
    CHECK(sanna->national);
    CHECK(sanna->organisation.empty());
    CHECK_FALSE(database.find_advisor("aino")->national);

    // A session carries the same account.
    const auto token = database.create_session(
        kaisa->id, neuvo::core::TimePoint{} + std::chrono::hours(24 * 365 * 56),
        std::chrono::hours(1));
    const auto session =
        database.find_session(token, neuvo::core::TimePoint{} + std::chrono::hours(24 * 365 * 56));
    REQUIRE(session.has_value());
    CHECK(session->organisation == "Kela, Itäkeskus");
}

TEST_CASE("organisations are for clerks and national scope for supervisors", "[store][advisors]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());

    NewAdvisor clerk = sample_advisor("kaisa");
    clerk.role = "clerk";
    require_refused(database, clerk,
                    "a clerk needs an organisation of 1-80 characters, e.g. \"Kela, Itäkeskus\"");
    clerk.organisation = std::string(81, 'k');
    require_refused(database, clerk,
                    "a clerk needs an organisation of 1-80 characters, e.g. \"Kela, Itäkeskus\"");

    NewAdvisor advisor = sample_advisor("aino");
    advisor.organisation = "Kela";
    require_refused(database, advisor,
                    "only clerks belong to an organisation; \"aino\" is advisor");
    advisor.organisation.clear();
    advisor.national = true;
    require_refused(database, advisor, "only supervisors can be national; \"aino\" is advisor");
    // Nothing of the refused ones was stored.
    CHECK(database.list_advisors().empty());
}
