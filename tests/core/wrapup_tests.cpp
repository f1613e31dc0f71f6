#include "switchboard_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace neuvo::core;
using namespace neuvo::core::testing;

namespace {

// Aino (session 10) served client 1 in Arabic for ten minutes; the client ended it.
struct EndedConversation : SwitchboardFixture {
    EndedConversation() {
        available_advisor(10, aino(), 2);
        client(1, "ar", "049");
        clock.advance(10min);
        ended = text(board.end_conversation(1, "c-1", "e-1"));
    }
    Lines ended;
};

Wrapup filled_in() {
    Wrapup wrapup;
    wrapup.age_group = "25-34";
    wrapup.gender = "female";
    wrapup.residence = "1-3";
    wrapup.immigration_reason = "family";
    wrapup.citizenship = "third-country";
    wrapup.country = "IQ";
    wrapup.education = "upper-secondary";
    wrapup.labour_status = "home-with-children";
    wrapup.topics = {"residence-permits", "forms"};
    wrapup.referrals = {"migri", "kela"};
    wrapup.first_contact = "yes";
    wrapup.interpreter = "no";
    return wrapup;
}

const VisitRecord* visit_in(const Effects& effects) {
    for (const Effect& effect : effects) {
        if (const auto* visit = std::get_if<RecordVisit>(&effect)) {
            return &visit->record;
        }
    }
    return nullptr;
}

const std::string served_row = "visit served point=091-virka advisor_point=091-virka chat ar "
                               "home=049 tier=region hour=2026-11-25T14:00:00 wait=0 "
                               "duration=600 ended_by=client";

} // namespace

TEST_CASE("the register row of an ended conversation waits for the lead's wrap-up",
          "[core][wrapup]") {
    EndedConversation f;
    CHECK(f.ended == Lines{"to 1: ended c-1 seq=1 reason=client",
                           "to 10: ended c-1 seq=1 reason=client",
                           "to 10: wrapup due c-1 ar home=049 chat",
                           "to 10: presence available capacity=2 active=0"});

    const Effects saving = f.board.save_wrapup(10, "c-1", filled_in(), "w-1");
    // Nothing is told to the advisor before the store has committed the row.
    CHECK(text(saving) == Lines{served_row + " wrapup=saved"});
    const VisitRecord* row = visit_in(saving);
    REQUIRE(row != nullptr);
    CHECK(row->conversation == "c-1");
    CHECK(row->wrapup.country == "IQ");
    CHECK(row->wrapup.topics == std::vector<std::string>{"residence-permits", "forms"});
    CHECK(row->wrapup.referrals == std::vector<std::string>{"migri", "kela"});
    CHECK(row->wrapup.labour_status == "home-with-children");

    CHECK(text(f.board.visit_stored("c-1", true)) == Lines{"to 10: wrapup saved c-1 ref=w-1"});
    // Once only.
    CHECK(text(f.board.save_wrapup(10, "c-1", filled_in(), "w-2")) ==
          Lines{"to 10: error not_in_conversation ref=w-2"});
    CHECK(f.board.visit_stored("c-1", true).empty());
    CHECK_FALSE(f.board.next_deadline().has_value());
}

TEST_CASE("an all-unknown wrap-up is a valid one", "[core][wrapup]") {
    EndedConversation f;
    const Effects saving = f.board.save_wrapup(10, "c-1", Wrapup{}, "w-1");
    REQUIRE(visit_in(saving) != nullptr);
    CHECK(visit_in(saving)->wrapup_state == "saved");
    CHECK(visit_in(saving)->wrapup.gender == "unknown");
    CHECK(visit_in(saving)->wrapup.topics.empty());
}

TEST_CASE("a wrap-up with a value that is not a code is refused and can be corrected",
          "[core][wrapup]") {
    EndedConversation f;
    auto refused = [&](auto change) {
        Wrapup wrapup = filled_in();
        change(wrapup);
        return text(f.board.save_wrapup(10, "c-1", wrapup, "w-bad"));
    };
    const Lines invalid = {"to 10: error invalid_field ref=w-bad"};
    CHECK(refused([](Wrapup& w) { w.gender = "Female"; }) == invalid);
    CHECK(refused([](Wrapup& w) { w.age_group = "65+"; }) == invalid);
    CHECK(refused([](Wrapup& w) { w.country = "iq"; }) == invalid);
    CHECK(refused([](Wrapup& w) { w.country = "XX"; }) == invalid);
    CHECK(refused([](Wrapup& w) { w.country = ""; }) == invalid);
    CHECK(refused([](Wrapup& w) { w.topics = {"forms", "forms"}; }) == invalid);
    CHECK(refused([](Wrapup& w) { w.topics = {"Matti Meikäläinen, 040 123 4567"}; }) == invalid);
    CHECK(refused([](Wrapup& w) { w.referrals = {"none", "kela"}; }) == invalid);
    CHECK(refused([](Wrapup& w) { w.first_contact = "maybe"; }) == invalid);
    CHECK(refused([](Wrapup& w) { w.interpreter = ""; }) == invalid);

    // The reason names the field, so the form can point at it.
    Wrapup wrong = filled_in();
    wrong.education = "phd";
    const Effects refusal = f.board.save_wrapup(10, "c-1", wrong, "w-bad");
    REQUIRE(refusal.size() == 1);
    const auto& error = std::get<ErrorReply>(std::get<Deliver>(refusal[0]).message);
    CHECK(error.reason.find("education") != std::string::npos);

    // Nothing was recorded by the refusals; the good one goes through.
    CHECK(text(f.board.save_wrapup(10, "c-1", filled_in(), "w-1")) ==
          Lines{served_row + " wrapup=saved"});
}

TEST_CASE("only the lead who ended with the conversation writes its wrap-up", "[core][wrapup]") {
    EndedConversation f;
    f.available_advisor(11, veera());
    CHECK(text(f.board.save_wrapup(11, "c-1", Wrapup{}, "w-1")) ==
          Lines{"to 11: error not_in_conversation ref=w-1"});
    CHECK(text(f.board.save_wrapup(1, "c-1", Wrapup{}, "w-2")) ==
          Lines{"to 1: error not_allowed ref=w-2"});
    CHECK(text(f.board.save_wrapup(10, "c-9", Wrapup{}, "w-3")) ==
          Lines{"to 10: error not_in_conversation ref=w-3"});
    // The lead's wrap-up is still due.
    CHECK(text(f.board.save_wrapup(10, "c-1", Wrapup{}, "w-4")).size() == 1);
}

TEST_CASE("a wrap-up the store could not write is still due", "[core][wrapup]") {
    EndedConversation f;
    f.board.save_wrapup(10, "c-1", filled_in(), "w-1");
    CHECK(text(f.board.save_wrapup(10, "c-1", filled_in(), "w-1b")) ==
          Lines{"to 10: error wrapup_saving ref=w-1b"});
    // While it is being saved, time does not run out on it.
    CHECK_FALSE(f.board.next_deadline().has_value());
    CHECK(text(f.board.visit_stored("c-1", false)) == Lines{"to 10: error not_saved ref=w-1"});
    CHECK(f.board.next_deadline().has_value());
    CHECK(text(f.board.save_wrapup(10, "c-1", filled_in(), "w-2")) ==
          Lines{served_row + " wrapup=saved"});
    CHECK(text(f.board.visit_stored("c-1", true)) == Lines{"to 10: wrapup saved c-1 ref=w-2"});
}

TEST_CASE("a wrap-up not saved in time leaves the row without it", "[core][wrapup]") {
    EndedConversation f;
    REQUIRE(f.board.next_deadline() == f.clock.now() + Policy{}.wrapup_timeout);
    f.clock.advance(Policy{}.wrapup_timeout - 1s);
    CHECK(text(f.board.tick()).empty());
    f.clock.advance(1s);
    CHECK(text(f.board.tick()) ==
          Lines{served_row + " wrapup=missing", "to 10: wrapup expired c-1 ref="});
    CHECK(text(f.board.save_wrapup(10, "c-1", filled_in(), "w-late")) ==
          Lines{"to 10: error not_in_conversation ref=w-late"});
}

TEST_CASE("an advisor who signs out leaves the rows of unsaved wrap-ups without them",
          "[core][wrapup]") {
    EndedConversation f;
    const Effects out = f.board.signed_out(10);
    CHECK(std::count_if(out.begin(), out.end(), [](const Effect& effect) {
              return std::holds_alternative<RecordVisit>(effect);
          }) == 1);
    REQUIRE(visit_in(out) != nullptr);
    CHECK(visit_text(*visit_in(out)) == served_row + " wrapup=missing");
    CHECK(visit_in(out)->wrapup.age_group == "unknown");
    CHECK(f.board.advisors_signed_in() == 0);
    CHECK_FALSE(f.board.next_deadline().has_value());
}

TEST_CASE("a wrap-up survives the advisor's dropped connection within the grace period",
          "[core][wrapup]") {
    EndedConversation f;
    // Only a wrap-up is left, and still the advisor is kept for the grace period.
    CHECK(text(f.board.disconnected(10)).empty());
    CHECK(f.board.advisors_signed_in() == 1);
    f.clock.advance(30s);
    const Lines back = text(f.board.advisor_connected(12, aino()));
    CHECK(std::find(back.begin(), back.end(), "to 12: wrapup due c-1 ar home=049 chat") !=
          back.end());
    f.board.save_wrapup(12, "c-1", filled_in(), "w-1");
    CHECK(text(f.board.visit_stored("c-1", true)) == Lines{"to 12: wrapup saved c-1 ref=w-1"});
}

TEST_CASE("a wrap-up is left undone when the advisor does not come back", "[core][wrapup]") {
    EndedConversation f;
    f.board.disconnected(10);
    f.clock.advance(Policy{}.advisor_grace);
    CHECK(text(f.board.tick()) == Lines{served_row + " wrapup=missing"});
    CHECK(f.board.advisors_signed_in() == 0);
}

TEST_CASE("a conversation ended while its advisor reconnects waits for their wrap-up",
          "[core][wrapup]") {
    SwitchboardFixture f;
    f.available_advisor(10, aino());
    f.client(1, "ar", "049");
    f.board.disconnected(10);
    // The client gives up and leaves during the advisor's grace period.
    const Lines gone = text(f.board.disconnected(1));
    CHECK(std::none_of(gone.begin(), gone.end(),
                       [](const std::string& line) { return line.starts_with("visit"); }));
    const Lines back = text(f.board.advisor_connected(12, aino()));
    CHECK(std::find(back.begin(), back.end(), "to 12: wrapup due c-1 ar home=049 chat") !=
          back.end());
}

TEST_CASE("the client's rating goes into the row, before or after the wrap-up",
          "[core][wrapup][rating]") {
    SECTION("before: the row carries it") {
        EndedConversation f;
        CHECK(text(f.board.rate(1, "c-1", 4, "f-1")) == Lines{"to 1: rated c-1 ref=f-1"});
        CHECK(text(f.board.save_wrapup(10, "c-1", Wrapup{}, "w-1")) ==
              Lines{served_row + " wrapup=saved rating=4"});
    }
    SECTION("after: the store is told to add it") {
        EndedConversation f;
        f.board.save_wrapup(10, "c-1", Wrapup{}, "w-1");
        f.board.visit_stored("c-1", true);
        CHECK(text(f.board.rate(1, "c-1", 5, "f-1")) ==
              Lines{"rating c-1 5", "to 1: rated c-1 ref=f-1"});
    }
    SECTION("while the row is being written: the store adds it after the row") {
        EndedConversation f;
        f.board.save_wrapup(10, "c-1", Wrapup{}, "w-1");
        CHECK(text(f.board.rate(1, "c-1", 2, "f-1")) ==
              Lines{"rating c-1 2", "to 1: rated c-1 ref=f-1"});
    }
    SECTION("after the wrap-up expired") {
        EndedConversation f;
        f.clock.advance(Policy{}.wrapup_timeout);
        f.board.tick();
        CHECK(text(f.board.rate(1, "c-1", 3, "f-1")) ==
              Lines{"rating c-1 3", "to 1: rated c-1 ref=f-1"});
    }
}

TEST_CASE("a rating is given once, 1-5, by the conversation's client only",
          "[core][wrapup][rating]") {
    EndedConversation f;
    f.client(2, "fi", "091"); // served by Aino too, in c-2
    CHECK(text(f.board.rate(1, "c-1", 0, "f-0")) == Lines{"to 1: error invalid_field ref=f-0"});
    CHECK(text(f.board.rate(1, "c-1", 6, "f-6")) == Lines{"to 1: error invalid_field ref=f-6"});
    CHECK(text(f.board.rate(2, "c-1", 5, "f-x")) ==
          Lines{"to 2: error not_in_conversation ref=f-x"});
    CHECK(text(f.board.rate(2, "c-2", 5, "f-open")) ==
          Lines{"to 2: error not_in_conversation ref=f-open"});
    CHECK(text(f.board.rate(10, "c-1", 5, "f-a")) == Lines{"to 10: error not_allowed ref=f-a"});
    CHECK(text(f.board.rate(1, "c-1", 1, "f-1")) == Lines{"to 1: rated c-1 ref=f-1"});
    CHECK(text(f.board.rate(1, "c-1", 5, "f-2")) ==
          Lines{"to 1: error not_in_conversation ref=f-2"});
    // The refused ratings changed nothing: the row has the one that was taken.
    CHECK(text(f.board.save_wrapup(10, "c-1", Wrapup{}, "w-1")) ==
          Lines{served_row + " wrapup=saved rating=1"});
}

TEST_CASE("an unserved request is recorded at once, with no wrap-up", "[core][wrapup]") {
    SwitchboardFixture f;
    f.client(1, "so", "092");
    f.clock.advance(2min);
    const Effects left = f.board.cancel_request(1, "r-1", "x-1");
    REQUIRE(visit_in(left) != nullptr);
    CHECK(visit_in(left)->outcome == "unserved");
    CHECK(visit_in(left)->wrapup_state == "none");
    CHECK(visit_in(left)->conversation.empty());
}

TEST_CASE("stopping the server writes every row still waiting for a wrap-up", "[core][wrapup]") {
    EndedConversation f;
    f.client(2, "fi", "091");
    f.board.end_conversation(10, "c-2", "e-2");
    f.board.save_wrapup(10, "c-2", Wrapup{}, "w-2"); // in the store's hands already
    const Lines rows = text(f.board.shut_down());
    CHECK(rows == Lines{served_row + " wrapup=missing"});
    CHECK(f.board.shut_down().empty());
}

TEST_CASE("a conversation ended while waiting in a queue after a transfer has nobody to wrap it "
          "up",
          "[core][wrapup]") {
    SwitchboardFixture f;
    f.available_advisor(10, aino());
    f.client(1, "ar", "049");
    f.board.set_presence(10, Presence::away, std::nullopt, "p-away");
    f.board.transfer_to_queue(10, "c-1", "ar", "", "t-1");
    const Effects ended = f.board.end_conversation(1, "c-1", "e-1");
    REQUIRE(visit_in(ended) != nullptr);
    CHECK(visit_in(ended)->wrapup_state == "missing");
    const Lines lines = text(ended);
    CHECK(std::none_of(lines.begin(), lines.end(), [](const std::string& line) {
        return line.find("wrapup due") != line.npos;
    }));
}
