// A clerk at a public service asks for language support for a customer at the desk: the request
// is routed like a client's, the advisor learns who asks, and the register counts it apart.
#include "switchboard_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace neuvo::core;
using namespace neuvo::core::testing;
using namespace std::chrono_literals;

namespace {

Requester kela() {
    return Requester{
        .channel = "language-support", .organisation = "Kela, Itäkeskus", .default_home = "091"};
}

bool mentions(const Lines& lines, const std::string& text) {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& line) {
        return line.find(text) != std::string::npos;
    });
}

} // namespace

TEST_CASE("a clerk's request is routed like a client's and recorded as language support",
          "[core][language-support]") {
    SwitchboardFixture f;
    f.auto_accept = false;
    f.available_advisor(10, veera(), 2); // Vantaa, speaks Somali: the capital region's tier
    f.board.client_connected(1, kela());
    Effects asked = f.board.client_request(1, "r-1", "so", "");
    REQUIRE(asked.size() >= 1);
    const auto& offer = std::get<Offer>(std::get<Deliver>(asked[0]).message);
    CHECK(offer.channel == "language-support");
    CHECK(offer.organisation == "Kela, Itäkeskus");
    // No home given: the municipality of the clerk's point.
    CHECK(offer.home_municipality == "091");
    CHECK(offer.tier == Tier::region);

    Effects accepted = f.board.accept_offer(10, offer.conversation, "a-1");
    const auto& to_clerk = std::get<ConversationStarted>(std::get<Deliver>(accepted[0]).message);
    const auto& to_advisor = std::get<ConversationStarted>(std::get<Deliver>(accepted[1]).message);
    CHECK(std::get<Deliver>(accepted[0]).to == 1);
    CHECK(to_clerk.organisation.empty()); // the clerk knows who they are
    CHECK(to_advisor.channel == "language-support");
    CHECK(to_advisor.organisation == "Kela, Itäkeskus");

    LiveView view = f.board.live_view();
    REQUIRE(view.conversations.size() == 1);
    CHECK(view.conversations[0].channel == "language-support");
    CHECK(view.conversations[0].point_id == "092-vantaa");
    CHECK(view.conversations[0].advisors == std::vector<std::string>{"Veera"});

    f.clock.advance(90s);
    f.board.end_conversation(10, offer.conversation, "e-1");
    const std::string row = f.row_after_wrapup(10, offer.conversation);
    CHECK(row.starts_with("visit served point=092-vantaa advisor_point=092-vantaa "
                          "language-support so home=091 tier=region"));
    // The organisation is for the advisor's eyes only: the register has codes, never names.
    CHECK(row.find("Kela") == std::string::npos);
}

TEST_CASE("a clerk's request that nobody takes is unmet demand of language support",
          "[core][language-support]") {
    SwitchboardFixture f;
    f.board.client_connected(1, kela());
    f.board.client_request(1, "r-1", "th", "049");
    f.clock.advance(30s);
    Lines gone = text(f.board.disconnected(1));
    CHECK(mentions(gone, "visit unserved point= advisor_point= language-support th home=049"));
}

TEST_CASE("the live view lists open conversations with their advisors, never their content",
          "[core][live]") {
    SwitchboardFixture f;
    f.available_advisor(10, aino(), 2);
    f.client(1, "fi", "091");
    f.board.advisor_connected(12, hanna());
    f.board.invite(10, "c-1", hanna().id, "", "i-1");
    f.board.accept_offer(12, "c-1", "a-1");
    f.board.post_message(1, "c-1", "m-1", "SECRET CONTENT");
    f.clock.advance(42s);

    LiveView view = f.board.live_view();
    REQUIRE(view.conversations.size() == 1);
    const ConversationView& talk = view.conversations[0];
    CHECK(talk.conversation == "c-1");
    CHECK(talk.language == "fi");
    CHECK(talk.home_municipality == "091");
    CHECK(talk.channel == "chat");
    CHECK(talk.point_id == "091-virka");
    CHECK(talk.advisors == std::vector<std::string>{"Aino", "Hanna"});
    CHECK(talk.duration_seconds == 42);
    CHECK_FALSE(talk.waiting_for_advisor);

    f.board.disconnected(10);
    CHECK(f.board.live_view().conversations[0].waiting_for_advisor);
}

TEST_CASE("a clerk's customer joins from a kiosk with a one-time code and speaks for the client "
          "side",
          "[core][language-support]") {
    SwitchboardFixture f;
    f.available_advisor(10, veera(), 2);
    f.board.client_connected(1, kela());
    f.accepting(f.board.client_request(1, "r-1", "so", ""));
    REQUIRE(f.board.open_conversations() == 1);

    // Only the clerk, and only in a language-support conversation.
    CHECK(text(f.board.issue_customer_code(10, "c-1", "abcd2345", "cc-0")) ==
          Lines{"to 10: error not_allowed ref=cc-0"});
    f.board.client_connected(2);
    CHECK(text(f.board.issue_customer_code(2, "c-1", "abcd2345", "cc-0")) ==
          Lines{"to 2: error not_in_conversation ref=cc-0"});
    f.board.issue_customer_code(1, "c-1", "OLD22222", "cc-1");
    const Effects issued = f.board.issue_customer_code(1, "c-1", "abcd2345", "cc-2");
    const auto& code = std::get<CustomerCode>(std::get<Deliver>(issued.at(0)).message);
    CHECK(code.code == "ABCD2345");
    CHECK(code.expires_at == test_start + 600s);

    // The previous code is void; a wrong one is refused; the right one works in any case.
    CHECK(text(f.board.join_with_code(2, "OLD22222", "j-1")) ==
          Lines{"to 2: error unknown_code ref=j-1"});
    CHECK(text(f.board.join_with_code(2, "abcd2345", "j-2")) ==
          Lines{"to 1: joined customer c-1 seq=1", "to 10: joined customer c-1 seq=1",
                "to 2: started c-1 request= so home=091 tier=region advisor=Veera "
                "point=092-vantaa (Vantaa advisory point)"});
    // Once only.
    f.board.client_connected(3);
    CHECK(text(f.board.join_with_code(3, "ABCD2345", "j-3")) ==
          Lines{"to 3: error unknown_code ref=j-3"});

    CHECK(text(f.board.post_message(2, "c-1", "m-1", "Salaan")) ==
          Lines{"to 1: message c-1 seq=2 id=m-1 from=client author= text=Salaan at=+0s",
                "to 10: message c-1 seq=2 id=m-1 from=client author= text=Salaan at=+0s",
                "to 2: accepted m-1 c-1 seq=2"});
    // The clerk's own message with the same id is a different message.
    CHECK(text(f.board.post_message(1, "c-1", "m-1", "Hei"))[2] == "to 1: accepted m-1 c-1 seq=3");
    CHECK(text(f.board.post_message(10, "c-1", "m-9", "Haa"))[1] ==
          "to 2: message c-1 seq=4 id=m-9 from=advisor author=Veera text=Haa at=+0s");

    SECTION("the customer leaves; the clerk and the advisor carry on") {
        CHECK(text(f.board.disconnected(2)) ==
              Lines{"to 1: left customer c-1 seq=5", "to 10: left customer c-1 seq=5"});
        CHECK(f.board.open_conversations() == 1);
        CHECK(text(f.board.post_message(1, "c-1", "m-2", "Kiitos"))[0].starts_with("to 10:"));
    }
    SECTION("the customer ends their part") {
        CHECK(text(f.board.end_conversation(2, "c-1", "e-1")) ==
              Lines{"to 1: left customer c-1 seq=5", "to 10: left customer c-1 seq=5",
                    "to 2: ended c-1 seq=5 reason=client"});
        CHECK(f.board.open_conversations() == 1);
    }
    SECTION("the clerk ends it for everyone, with one register row") {
        Lines ended = text(f.board.end_conversation(1, "c-1", "e-1"));
        CHECK(ended[0] == "to 1: ended c-1 seq=5 reason=client");
        CHECK(ended[1] == "to 2: ended c-1 seq=5 reason=client");
        CHECK(std::count_if(ended.begin(), ended.end(), [](const std::string& line) {
                  return line.find("wrapup due") != std::string::npos;
              }) == 1);
        CHECK(f.row_after_wrapup(10, "c-1").starts_with("visit served"));
        // The customer may start afresh as an ordinary client.
        CHECK(text(f.board.client_request(2, "r-2", "so", "091"))[0].find("offer") !=
              std::string::npos);
    }
}

TEST_CASE("a customer code expires unused", "[core][language-support]") {
    SwitchboardFixture f;
    f.available_advisor(10, veera(), 2);
    f.board.client_connected(1, kela());
    f.accepting(f.board.client_request(1, "r-1", "so", ""));
    f.board.issue_customer_code(1, "c-1", "ABCD2345", "cc-1");
    CHECK(f.board.next_deadline() <= test_start + 600s);
    f.clock.advance(600s);
    f.board.tick();
    f.board.client_connected(2);
    CHECK(text(f.board.join_with_code(2, "ABCD2345", "j-1")) ==
          Lines{"to 2: error unknown_code ref=j-1"});
}
