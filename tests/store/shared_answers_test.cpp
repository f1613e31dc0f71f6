#include "neuvo/store/store.hpp"

#include "test_database.hpp"

#include <catch2/catch.hpp>

#include <future>

using namespace neuvo;
using namespace neuvo::store;
using namespace neuvo::store::testing;
using namespace std::chrono_literals;

namespace {

const core::TimePoint noon = std::chrono::sys_days{std::chrono::year{2026} / 11 / 25} + 12h;

SharedAnswerText permit_answer() {
    return {"ar", "تصريح الإقامة", "قدّم طلب تصريح الإقامة عبر خدمة Enter Finland.",
            "https://migri.fi/ar/residence-permit"};
}

void require_refused(Database& database, const SharedAnswerText& text, const std::string& message) {
    INFO("expected: " << message);
    try {
        database.add_shared_answer(text, "sanna", noon);
        FAIL("stored an answer that should have been refused");
    } catch (const StoreError& error) {
        CHECK(std::string(error.what()) == message);
    }
}

SharedAnswerChange wait_for(std::function<void(std::function<void(SharedAnswerChange)>)> start) {
    std::promise<SharedAnswerChange> result;
    start([&result](SharedAnswerChange change) { result.set_value(std::move(change)); });
    return result.get_future().get();
}

} // namespace

TEST_CASE("shared answers are added, listed by language, updated and deleted", "[store][answers]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());

    const auto permit = database.add_shared_answer(permit_answer(), "sanna", noon);
    CHECK(permit.id > 0);
    CHECK(permit.updated_at == 1795608000); // 2026-11-25T12:00Z
    CHECK(permit.updated_by == "sanna");
    const auto kela = database.add_shared_answer(
        {"fi", "Kela-kortti", "Kela-kortin saat Kelan toimistosta.", ""}, "sanna", noon + 1s);
    const auto address = database.add_shared_answer(
        {"ar", "إشعار تغيير العنوان", "أبلغ عن عنوانك الجديد لدى Posti.", ""}, "aino", noon);

    const auto arabic = database.list_shared_answers("ar");
    REQUIRE(arabic.size() == 2);
    CHECK(arabic[0].id == address.id); // by title: إشعار before تصريح
    CHECK(arabic[1].id == permit.id);
    CHECK(arabic[1].title == "تصريح الإقامة");
    CHECK(arabic[1].body == permit_answer().body);
    CHECK(arabic[1].url == "https://migri.fi/ar/residence-permit");
    REQUIRE(database.list_shared_answers("fi").size() == 1);
    CHECK(database.list_shared_answers("fi")[0].url.empty());
    CHECK(database.list_shared_answers("so").empty());
    CHECK(database.list_shared_answers().size() == 3);

    auto changed = permit_answer();
    changed.title = "Oleskelulupa";
    changed.language = "fi";
    changed.url.clear();
    const auto updated = database.update_shared_answer(permit.id, changed, "bashir", noon + 1h);
    REQUIRE(updated.has_value());
    CHECK(updated->updated_by == "bashir");
    const auto found = database.find_shared_answer(permit.id);
    REQUIRE(found.has_value());
    CHECK(found->title == "Oleskelulupa");
    CHECK(found->language == "fi");
    CHECK(found->url.empty());
    CHECK(found->updated_at == permit.updated_at + 3600);
    CHECK(database.list_shared_answers("ar").size() == 1);

    CHECK_FALSE(database.update_shared_answer(9999, changed, "bashir", noon).has_value());
    CHECK(database.delete_shared_answer(kela.id));
    CHECK_FALSE(database.delete_shared_answer(kela.id));
    CHECK_FALSE(database.find_shared_answer(kela.id).has_value());
    CHECK(database.list_shared_answers().size() == 2);

    // No link is stored as NULL, not as an empty string.
    RawConnection raw(scratch.database_path());
    CHECK(raw.value("SELECT url FROM shared_answers WHERE id = " + std::to_string(permit.id)) ==
          "<null>");
}

TEST_CASE("a shared answer that cannot be stored is refused naming the field", "[store][answers]") {
    ScratchDirectory scratch;
    Database database(scratch.database_path());

    auto text = permit_answer();
    text.language = "";
    require_refused(database, text, "field \"language\" must be a language tag such as \"ar\"");
    text.language = "ar ar";
    require_refused(database, text, "field \"language\" must be a language tag such as \"ar\"");

    text = permit_answer();
    text.title = " \t";
    require_refused(database, text, "field \"title\" must not be blank");
    text.title = std::string(121, 'x');
    require_refused(database, text, "field \"title\" must be at most 120 bytes");
    text.title = std::string(60, 'x') + "ä"; // 62 bytes, fine; 61 two-byte letters are not
    CHECK_NOTHROW(database.add_shared_answer(text, "sanna", noon));
    text.title.clear();
    for (int i = 0; i < 61; ++i)
        text.title += "ä";
    require_refused(database, text, "field \"title\" must be at most 120 bytes");
    text.title = "two\nlines";
    require_refused(database, text, "field \"title\" must be one line without control characters");

    text = permit_answer();
    text.body = "\n\n";
    require_refused(database, text, "field \"body\" must not be blank");
    text.body = std::string(2001, 'x');
    require_refused(database, text, "field \"body\" must be at most 2000 bytes");
    text.body = std::string(2000, 'x');
    CHECK_NOTHROW(database.add_shared_answer(text, "sanna", noon));
    text.body = std::string("bell\a");
    require_refused(database, text,
                    "field \"body\" must not contain control characters other than line breaks");

    text = permit_answer();
    for (const auto* url : {"http://migri.fi", "javascript:alert(1)", "https://", "migri.fi"}) {
        text.url = url;
        require_refused(database, text, "field \"url\" must start with https:// when given");
    }
    text.url = "https://migri.fi/" + std::string(500, 'x');
    require_refused(database, text, "field \"url\" must be at most 500 bytes");
    text.url = "https://migri.fi/a b";
    require_refused(database, text, "field \"url\" must not contain spaces or control characters");

    // Refused updates leave the stored answer as it was.
    const auto stored = database.add_shared_answer(permit_answer(), "sanna", noon);
    text = permit_answer();
    text.title = "";
    CHECK_THROWS_AS(database.update_shared_answer(stored.id, text, "bashir", noon + 1h),
                    StoreError);
    const auto found = database.find_shared_answer(stored.id);
    REQUIRE(found.has_value());
    CHECK(found->title == permit_answer().title);
    CHECK(found->updated_by == "sanna");
    CHECK(database.list_shared_answers().size() == 3);
}

TEST_CASE("the schema itself refuses shared answers outside the limits", "[store][answers]") {
    ScratchDirectory scratch;
    { Database database(scratch.database_path()); }
    RawConnection raw(scratch.database_path());
    const std::string insert =
        "INSERT INTO shared_answers (language, title, body, url, updated_at, updated_by) VALUES ";
    CHECK_THROWS(raw.execute(insert + "('ar', '', 'body', NULL, 0, 'sanna')"));
    CHECK_THROWS(raw.execute(insert + "('ar', 'title', '', NULL, 0, 'sanna')"));
    CHECK_THROWS(raw.execute(insert + "('a r', 'title', 'body', NULL, 0, 'sanna')"));
    CHECK_THROWS(raw.execute(insert + "('ar', 'title', 'body', 'http://x', 0, 'sanna')"));
    CHECK_THROWS(raw.execute(insert + "('ar', 'title', 'body', 'https://', 0, 'sanna')"));
    CHECK_THROWS(raw.execute(insert + "('ar', 'title', hex(randomblob(1001)), NULL, 0, 'sanna')"));
    CHECK_THROWS(raw.execute(insert + "('ar', 'title', 'body', NULL, 0, '')"));
    CHECK(raw.value("SELECT count(*) FROM shared_answers") == "0");
    raw.execute(insert + "('ar', 'title', hex(randomblob(1000)), 'https://migri.fi', 0, 'sanna')");
    CHECK(raw.value("SELECT count(*) FROM shared_answers") == "1");
}

TEST_CASE("the store changes shared answers on its writer thread and says how it went",
          "[store][answers]") {
    ScratchDirectory scratch;
    Store store(scratch.database_path());

    auto added =
        wait_for([&](auto done) { store.add_shared_answer(permit_answer(), "sanna", done); });
    REQUIRE(added.outcome == SharedAnswerChange::Outcome::done);
    REQUIRE(added.answer.has_value());
    const auto id = added.answer->id;
    CHECK(added.answer->updated_by == "sanna");

    auto blank = permit_answer();
    blank.body = " ";
    auto invalid = wait_for([&](auto done) { store.add_shared_answer(blank, "sanna", done); });
    CHECK(invalid.outcome == SharedAnswerChange::Outcome::invalid);
    CHECK(invalid.reason == "field \"body\" must not be blank");
    CHECK_FALSE(invalid.answer.has_value());

    auto changed = permit_answer();
    changed.title = "Oleskelulupa";
    auto updated =
        wait_for([&](auto done) { store.update_shared_answer(id, changed, "bashir", done); });
    CHECK(updated.outcome == SharedAnswerChange::Outcome::done);
    REQUIRE(updated.answer.has_value());
    CHECK(updated.answer->title == "Oleskelulupa");
    auto invalid_update =
        wait_for([&](auto done) { store.update_shared_answer(id, blank, "bashir", done); });
    CHECK(invalid_update.outcome == SharedAnswerChange::Outcome::invalid);
    auto missing =
        wait_for([&](auto done) { store.update_shared_answer(id + 1, changed, "bashir", done); });
    CHECK(missing.outcome == SharedAnswerChange::Outcome::not_found);

    std::promise<std::optional<std::vector<SharedAnswer>>> listed;
    store.list_shared_answers("ar", [&listed](auto answers) { listed.set_value(answers); });
    const auto arabic = listed.get_future().get();
    REQUIRE(arabic.has_value());
    REQUIRE(arabic->size() == 1);
    CHECK(arabic->front().title == "Oleskelulupa");

    CHECK(wait_for([&](auto done) { store.delete_shared_answer(id, done); }).outcome ==
          SharedAnswerChange::Outcome::done);
    CHECK(wait_for([&](auto done) { store.delete_shared_answer(id, done); }).outcome ==
          SharedAnswerChange::Outcome::not_found);
    store.flush();
    CHECK(RawConnection(scratch.database_path()).value("SELECT count(*) FROM shared_answers") ==
          "0");
}
