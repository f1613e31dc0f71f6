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
    return Requester{"language-support", "Kela, Itäkeskus", "091"};
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
    Lines ended = text(f.board.end_conversation(10, offer.conversation, "e-1"));
    CHECK(mentions(ended, "visit served point=092-vantaa advisor_point=092-vantaa "
                          "language-support so home=091 tier=region"));
    // The organisation is for the advisor's eyes only: the register has codes, never names.
    CHECK_FALSE(mentions(ended, "Kela"));
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
