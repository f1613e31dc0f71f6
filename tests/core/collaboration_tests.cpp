// Advisors working together: the directory, private consult threads, invitations, transfers to a
// colleague or a queue, and stepping out. Every rule is driven through the switchboard's events.
#include "switchboard_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace neuvo::core;
using namespace neuvo::core::testing;
using namespace std::chrono_literals;

namespace {

// Aino (session 10, Virka Info, Helsinki) talks with a Helsinki client (session 1) in c-1;
// Hanna (session 12, Mainio, Tampere) is signed in and away; Elias (11, Espoo) too, for a third.
struct TeamFixture : SwitchboardFixture {
    TeamFixture() {
        available_advisor(10, aino(), 2);
        client(1, "fi", "091");
        auto_accept = false;
        board.advisor_connected(12, hanna());
        board.advisor_connected(11, elias());
    }

    // Every line addressed to `session`.
    static Lines to(SessionId session, const Lines& lines) {
        Lines mine;
        const std::string prefix = "to " + std::to_string(session) + ": ";
        for (const std::string& line : lines) {
            if (line.starts_with(prefix)) {
                mine.push_back(line);
            }
        }
        return mine;
    }

    // Hanna joins c-1 by invitation.
    void hanna_invited() {
        board.invite(10, "c-1", hanna().id, "", "i-1");
        board.accept_offer(12, "c-1", "a-1");
    }
};

bool mentions(const Lines& lines, const std::string& text) {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& line) {
        return line.find(text) != std::string::npos;
    });
}

} // namespace

TEST_CASE("the directory lists every other signed-in advisor with presence and load",
          "[core][colleagues]") {
    TeamFixture f;
    CHECK(text(f.board.directory(12, "d-1")) ==
          Lines{"to 12: directory ref=d-1: Elias@049-inespoo(away 0/3) Aino@091-virka(available "
                "1/2)"});
    CHECK(text(f.board.directory(12, "d-2", "ar")) ==
          Lines{"to 12: directory ref=d-2: Aino@091-virka(available 1/2)"});
    CHECK(text(f.board.directory(12, "d-3", "", "049-inespoo")) ==
          Lines{"to 12: directory ref=d-3: Elias@049-inespoo(away 0/3)"});
    CHECK(text(f.board.directory(1, "d-4")) == Lines{"to 1: error not_allowed ref=d-4"});
}

TEST_CASE("a consult thread reaches only its two advisors and leaves nothing behind",
          "[core][consult]") {
    TeamFixture f;
    CHECK(text(f.board.open_consult(10, "q-1", hanna().id, "c-1")) ==
          Lines{"to 10: consult c-q1 opened ref=q-1 with=Hanna about=c-1 fi home=091",
                "to 12: consult c-q1 opened ref= with=Aino about=c-1 fi home=091"});
    f.clock.advance(3s);
    CHECK(text(f.board.post_consult_message(10, "c-q1", "qm-1", "Kela vai TE-palvelut?")) ==
          Lines{"to 12: consult c-q1 message seq=1 id=qm-1 author=Aino text=Kela vai TE-palvelut?",
                "to 10: accepted qm-1 consult c-q1 seq=1"});
    CHECK(text(f.board.post_consult_message(10, "c-q1", "qm-1", "Kela vai TE-palvelut?")) ==
          Lines{"to 10: accepted qm-1 consult c-q1 seq=1 duplicate"});
    CHECK(text(f.board.post_consult_message(12, "c-q1", "qm-1", "Kela.")) ==
          Lines{"to 10: consult c-q1 message seq=2 id=qm-1 author=Hanna text=Kela.",
                "to 12: accepted qm-1 consult c-q1 seq=2"});

    SECTION("outsiders and the client can neither write to it nor close it") {
        CHECK(text(f.board.post_consult_message(11, "c-q1", "x", "hei")) ==
              Lines{"to 11: error not_in_consult ref=x"});
        CHECK(text(f.board.close_consult(11, "c-q1", "x")) ==
              Lines{"to 11: error not_in_consult ref=x"});
        CHECK(text(f.board.post_consult_message(1, "c-q1", "x", "hei")) ==
              Lines{"to 1: error not_allowed ref=x"});
        CHECK(text(f.board.post_consult_message(10, "c-q1", "qm-2", "  ")) ==
              Lines{"to 10: error empty_message ref=qm-2"});
    }
    SECTION("either advisor closes it") {
        CHECK(text(f.board.close_consult(12, "c-q1", "qc-1")) ==
              Lines{"to 12: consult c-q1 closed reason=closed",
                    "to 10: consult c-q1 closed reason=closed"});
        CHECK(text(f.board.post_consult_message(10, "c-q1", "qm-3", "vielä")) ==
              Lines{"to 10: error not_in_consult ref=qm-3"});
    }
    SECTION("it closes when one of them signs out") {
        CHECK(text(f.board.signed_out(12)) ==
              Lines{"to 10: consult c-q1 closed reason=colleague_left"});
    }
    SECTION("the client's conversation ends without a word of it") {
        Lines ended = text(f.board.end_conversation(1, "c-1", "e-1"));
        CHECK_FALSE(mentions(ended, "consult"));
        CHECK_FALSE(mentions(ended, "Kela"));
    }
}

TEST_CASE("a consult needs a signed-in colleague and a conversation of the sender's own",
          "[core][consult]") {
    TeamFixture f;
    CHECK(text(f.board.open_consult(10, "q-1", aino().id)) ==
          Lines{"to 10: error invalid_field ref=q-1"});
    CHECK(text(f.board.open_consult(10, "q-2", 99)) ==
          Lines{"to 10: error unknown_colleague ref=q-2"});
    CHECK(text(f.board.open_consult(12, "q-3", aino().id, "c-1")) ==
          Lines{"to 12: error not_in_conversation ref=q-3"});
    CHECK(text(f.board.open_consult(1, "q-4", aino().id)) ==
          Lines{"to 1: error not_allowed ref=q-4"});
    CHECK(text(f.board.open_consult(12, "q-5", aino().id)) ==
          Lines{"to 12: consult c-q1 opened ref=q-5 with=Aino",
                "to 10: consult c-q1 opened ref= with=Hanna"});
}

TEST_CASE("an invited colleague joins the conversation and everyone hears everyone",
          "[core][invite]") {
    TeamFixture f;
    CHECK(text(f.board.invite(10, "c-1", hanna().id, "Kelan asumistuki", "i-1")) ==
          Lines{"to 12: offer c-1 fi home=091 tier=national expires=+60s kind=invitation "
                "from=Aino note=Kelan asumistuki",
                "to 10: handover c-1 invitation pending ref=i-1 colleague=Hanna"});
    CHECK(text(f.board.accept_offer(12, "c-1", "a-1")) ==
          Lines{"to 10: handover c-1 invitation accepted ref=i-1 colleague=Hanna",
                "to 1: joined c-1 seq=1 Hanna role=invited via=invitation",
                "to 10: joined c-1 seq=1 Hanna role=invited via=invitation",
                "to 12: started c-1 request= fi home=091 tier=own-point advisor=Hanna "
                "point=837-mainio (Mainio) joined_as=invited from=Aino note=Kelan asumistuki "
                "participants=Aino;"});
    // An invitation takes none of Hanna's capacity.
    CHECK(text(f.board.directory(10, "d"))[0].find("Hanna@837-mainio(away 0/3)") !=
          std::string::npos);

    CHECK(text(f.board.post_message(1, "c-1", "m-1", "Hei")) ==
          Lines{"to 10: message c-1 seq=2 id=m-1 from=client author= text=Hei at=+0s",
                "to 12: message c-1 seq=2 id=m-1 from=client author= text=Hei at=+0s",
                "to 1: accepted m-1 c-1 seq=2"});
    CHECK(text(f.board.post_message(12, "c-1", "m-1", "Moi")) ==
          Lines{"to 1: message c-1 seq=3 id=m-1 from=advisor author=Hanna text=Moi at=+0s",
                "to 10: message c-1 seq=3 id=m-1 from=advisor author=Hanna text=Moi at=+0s",
                "to 12: accepted m-1 c-1 seq=3"});

    SECTION("the invited advisor leaves; the conversation goes on") {
        CHECK(text(f.board.leave(12, "c-1", "l-1")) ==
              Lines{"to 12: you left c-1 reason=left", "to 1: left c-1 seq=4 Hanna reason=left",
                    "to 10: left c-1 seq=4 Hanna reason=left"});
        CHECK(text(f.board.leave(10, "c-1", "l-2")) == Lines{"to 10: error only_advisor ref=l-2"});
        CHECK(f.board.open_conversations() == 1);
    }
    SECTION("the lead leaves; the invited advisor takes the lead and the seat") {
        CHECK(text(f.board.leave(10, "c-1", "l-1")) ==
              Lines{"to 10: you left c-1 reason=left",
                    "to 10: presence available capacity=2 active=0",
                    "to 1: left c-1 seq=4 Aino reason=left",
                    "to 12: left c-1 seq=4 Aino reason=left",
                    "to 1: joined c-1 seq=5 Hanna role=lead via=reassignment",
                    "to 12: joined c-1 seq=5 Hanna role=lead via=reassignment",
                    "to 12: presence away capacity=3 active=1"});
        Lines ended = text(f.board.end_conversation(12, "c-1", "e-1"));
        CHECK(ended[0] == "to 1: ended c-1 seq=6 reason=advisor");
        // The new lead owes the wrap-up.
        CHECK(mentions(ended, "to 12: wrapup due c-1"));
        const std::string row = f.row_after_wrapup(12, "c-1");
        CHECK(row.starts_with("visit served point=837-mainio advisor_point=837-mainio"));
        CHECK(row.find("invited=1") != std::string::npos);
    }
    SECTION("an invited advisor cannot end the conversation for the others") {
        CHECK(text(f.board.end_conversation(12, "c-1", "e-1")) ==
              Lines{"to 12: error not_lead ref=e-1"});
    }
    SECTION("an invited advisor whose connection drops is out at once") {
        CHECK(text(f.board.disconnected(12)) ==
              Lines{"to 1: left c-1 seq=4 Hanna reason=disconnected",
                    "to 10: left c-1 seq=4 Hanna reason=disconnected"});
    }
}

TEST_CASE("an invitation declined or not answered goes back to its sender", "[core][invite]") {
    TeamFixture f;
    f.board.invite(10, "c-1", hanna().id, "", "i-1");
    SECTION("declined") {
        CHECK(text(f.board.decline_offer(12, "c-1", "d-1")) ==
              Lines{"to 12: withdrawn c-1 reason=declined",
                    "to 10: handover c-1 invitation declined ref=i-1 colleague=Hanna"});
    }
    SECTION("timed out") {
        CHECK(f.board.next_deadline() == test_start + 60s);
        f.clock.advance(60s);
        CHECK(text(f.board.tick()) ==
              Lines{"to 12: withdrawn c-1 reason=timeout",
                    "to 10: handover c-1 invitation timeout ref=i-1 colleague=Hanna"});
    }
    SECTION("the receiver signs out first") {
        CHECK(text(f.board.signed_out(12)) ==
              Lines{"to 10: handover c-1 invitation withdrawn ref=i-1 colleague=Hanna"});
    }
    SECTION("the conversation ends first") {
        Lines ended = text(f.board.end_conversation(1, "c-1", "e-1"));
        CHECK(ended[0] == "to 12: withdrawn c-1 reason=conversation_ended");
        CHECK(ended[1] == "to 10: handover c-1 invitation withdrawn ref=i-1 colleague=Hanna");
        CHECK(text(f.board.accept_offer(12, "c-1", "a-1")) ==
              Lines{"to 12: error no_such_offer ref=a-1"});
    }
}

TEST_CASE("invitations and transfers are checked before anyone is asked", "[core][invite]") {
    TeamFixture f;
    CHECK(text(f.board.invite(1, "c-1", hanna().id, "", "i-1")) ==
          Lines{"to 1: error not_allowed ref=i-1"});
    CHECK(text(f.board.invite(12, "c-1", aino().id, "", "i-2")) ==
          Lines{"to 12: error not_in_conversation ref=i-2"});
    CHECK(text(f.board.invite(10, "c-1", 99, "", "i-3")) ==
          Lines{"to 10: error unknown_colleague ref=i-3"});
    CHECK(text(f.board.invite(10, "c-1", aino().id, "", "i-4")) ==
          Lines{"to 10: error invalid_field ref=i-4"});
    CHECK(text(f.board.invite(10, "c-1", hanna().id, std::string(501, 'x'), "i-5")) ==
          Lines{"to 10: error invalid_field ref=i-5"});
    CHECK(text(f.board.transfer_to_queue(10, "c-1", "xx", "", "t-1")) ==
          Lines{"to 10: error unknown_language ref=t-1"});

    f.hanna_invited();
    CHECK(text(f.board.invite(10, "c-1", hanna().id, "", "i-6")) ==
          Lines{"to 10: error already_in_conversation ref=i-6"});
    CHECK(text(f.board.transfer_to_colleague(12, "c-1", elias().id, "", "t-2")) ==
          Lines{"to 12: error not_lead ref=t-2"});
    f.board.invite(12, "c-1", elias().id, "", "i-7");
    CHECK(text(f.board.transfer_to_colleague(10, "c-1", elias().id, "", "t-3")) ==
          Lines{"to 10: error handover_pending ref=t-3"});
}

TEST_CASE("a transfer to a colleague hands over the lead, the seat and the note",
          "[core][transfer]") {
    TeamFixture f;
    CHECK(text(f.board.transfer_to_colleague(10, "c-1", hanna().id, "Haluaa arabiaksi", "t-1")) ==
          Lines{"to 12: offer c-1 fi home=091 tier=national expires=+60s kind=transfer from=Aino "
                "note=Haluaa arabiaksi",
                "to 10: handover c-1 transfer pending ref=t-1 colleague=Hanna"});
    f.clock.advance(5s);

    SECTION("accepted") {
        CHECK(text(f.board.accept_offer(12, "c-1", "a-1")) ==
              Lines{"to 10: handover c-1 transfer accepted ref=t-1 colleague=Hanna",
                    "to 1: joined c-1 seq=1 Hanna role=lead via=transfer",
                    "to 10: joined c-1 seq=1 Hanna role=lead via=transfer",
                    "to 12: started c-1 request= fi home=091 tier=own-point advisor=Hanna "
                    "point=837-mainio (Mainio) joined_as=lead from=Aino note=Haluaa arabiaksi "
                    "participants=",
                    "to 12: presence away capacity=3 active=1",
                    "to 10: you left c-1 reason=transferred",
                    "to 1: left c-1 seq=2 Aino reason=transferred",
                    "to 12: left c-1 seq=2 Aino reason=transferred",
                    "to 10: presence available capacity=2 active=0"});
        // The client goes on with Hanna; Aino hears nothing more of it.
        CHECK(text(f.board.post_message(1, "c-1", "m-1", "Kiitos")) ==
              Lines{"to 12: message c-1 seq=3 id=m-1 from=client author= text=Kiitos at=+5s",
                    "to 1: accepted m-1 c-1 seq=3"});
        CHECK(text(f.board.post_message(10, "c-1", "m-2", "Hei")) ==
              Lines{"to 10: error not_in_conversation ref=m-2"});
        f.board.end_conversation(12, "c-1", "e-1");
        CHECK(f.row_after_wrapup(12, "c-1") ==
              "visit served point=837-mainio advisor_point=837-mainio chat fi "
              "home=091 tier=own-point hour=2026-11-25T14:00:00 wait=0 "
              "duration=5 ended_by=advisor transfers=1 from=091-virka "
              "to=837-mainio wrapup=saved");
    }
    SECTION("declined: it stays with the sender") {
        CHECK(text(f.board.decline_offer(12, "c-1", "d-1")) ==
              Lines{"to 12: withdrawn c-1 reason=declined",
                    "to 10: handover c-1 transfer declined ref=t-1 colleague=Hanna"});
        CHECK(text(f.board.post_message(1, "c-1", "m-1", "Hei"))[0].starts_with("to 10: message"));
    }
    SECTION("the sender signs out meanwhile, then the colleague declines: to the queue's head") {
        f.board.client_connected(2);
        f.board.client_request(2, "r-2", "fi", "091");
        Lines gone = text(f.board.signed_out(10));
        CHECK(mentions(gone, "to 1: left c-1 seq=1 Aino reason=disconnected"));
        CHECK_FALSE(mentions(gone, "ended c-1"));
        CHECK(f.board.open_conversations() == 1);
        // Meanwhile nobody answers the client.
        CHECK(text(f.board.post_message(1, "c-1", "m-1", "Haloo?")) ==
              Lines{"to 1: error advisor_unavailable ref=m-1"});
        CHECK(text(f.board.decline_offer(12, "c-1", "d-1")) ==
              Lines{"to 12: withdrawn c-1 reason=declined",
                    "to 1: queued r-1 fi position=1 advisors=2 wait=600",
                    "to 2: queued r-2 fi position=2 advisors=2 wait=600"});
    }
}

TEST_CASE("a transfer to a language's queue keeps the conversation until the next advisor joins",
          "[core][transfer]") {
    TeamFixture f;
    CHECK(text(f.board.transfer_to_queue(10, "c-1", "ar", "Puhuu arabiaa", "t-1")) ==
          Lines{"to 10: handover c-1 transfer queued ref=t-1 language=ar",
                "to 10: you left c-1 reason=transferred",
                "to 10: presence available capacity=2 active=0",
                "to 1: left c-1 seq=1 Aino reason=transferred",
                "to 10: offer c-1 ar home=091 tier=own-point expires=+20s transferred from=Aino "
                "note=Puhuu arabiaa",
                "to 10: presence available capacity=2 active=1",
                "to 1: queued r-1 ar position=1 advisors=2 wait=600"});
    // Aino, the sender, is offered it first only because she is the one available; she passes.
    CHECK(text(f.board.decline_offer(10, "c-1", "d-1")) ==
          Lines{"to 10: withdrawn c-1 reason=declined",
                "to 10: presence available capacity=2 active=0"});
    CHECK(text(f.board.post_message(1, "c-1", "m-1", "Hei")) ==
          Lines{"to 1: error advisor_unavailable ref=m-1"});

    // Veera of Vantaa, in the client's region, signs in: she is offered the same conversation.
    f.board.advisor_connected(13, veera());
    CHECK(mentions(text(f.board.set_presence(13, Presence::available, 2, "p")),
                   "to 13: offer c-1 ar home=091 tier=region expires=+20s transferred from=Aino "
                   "note=Puhuu arabiaa"));
    f.clock.advance(2s);
    CHECK(
        text(f.board.accept_offer(13, "c-1", "a-1")) ==
        Lines{
            "to 1: joined c-1 seq=2 Veera role=lead via=transfer",
            "to 13: started c-1 request= ar home=091 tier=own-point advisor=Veera "
            "point=092-vantaa (Vantaa advisory point) joined_as=lead from=Aino note=Puhuu arabiaa "
            "participants=",
            "to 13: presence available capacity=2 active=1"});
    CHECK(text(f.board.post_message(1, "c-1", "m-1", "مرحبا")) ==
          Lines{"to 13: message c-1 seq=3 id=m-1 from=client author= text=مرحبا at=+2s",
                "to 1: accepted m-1 c-1 seq=3"});
    f.board.end_conversation(1, "c-1", "e-1");
    const std::string row = f.row_after_wrapup(13, "c-1");
    CHECK(row.starts_with("visit served point=092-vantaa advisor_point=092-vantaa chat ar "
                          "home=091"));
    CHECK(row.find("transfers=1 from=091-virka to=092-vantaa") != std::string::npos);
    // Taken over from the queue, it is still the one conversation: begun once, closed once.
    CHECK(f.board.conversations_begun() == 1);
    CHECK(f.board.conversations_closed() == 1);
}

TEST_CASE("a lead who does not come back leaves the conversation to the invited advisor",
          "[core][invite]") {
    TeamFixture f;
    f.hanna_invited();
    CHECK(text(f.board.disconnected(10)) == Lines{"to 1: advisor c-1 reconnecting"});
    // The invited advisor still answers meanwhile.
    CHECK(text(f.board.post_message(1, "c-1", "m-1", "Hei")) ==
          Lines{"to 12: message c-1 seq=2 id=m-1 from=client author= text=Hei at=+0s",
                "to 1: accepted m-1 c-1 seq=2"});
    f.clock.advance(60s);
    CHECK(text(f.board.tick()) == Lines{"to 1: left c-1 seq=3 Aino reason=disconnected",
                                        "to 12: left c-1 seq=3 Aino reason=disconnected",
                                        "to 1: joined c-1 seq=4 Hanna role=lead via=reassignment",
                                        "to 12: joined c-1 seq=4 Hanna role=lead via=reassignment",
                                        "to 12: presence away capacity=3 active=1"});
    CHECK(f.board.open_conversations() == 1);
}
