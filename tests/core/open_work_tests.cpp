// Open work across a restart: what the switchboard asks the store to keep while conversations and
// requests are open, and how a fresh switchboard given that back continues them. The store here
// is a map that carries out the Keep/Forget effects, so that a test can restart the core by
// building a second switchboard from it (the SQLite side has its own tests in tests/store).

#include "switchboard_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

using namespace neuvo::core;
using namespace neuvo::core::testing;
using namespace std::chrono_literals;

namespace {

// What a store would hold after carrying out every open-work effect it was given, in order.
struct KeptWork {
    std::map<std::string, OpenClient> clients;
    std::map<std::pair<std::string, std::uint64_t>, OpenEvent> events;
    std::map<AdvisorId, OpenAdvisor> advisors;
    std::map<std::string, OpenVisit> visits;

    void take(const Effects& effects) {
        for (const Effect& effect : effects) {
            if (const auto* keep = std::get_if<KeepClient>(&effect)) {
                clients[keep->client.resume_token] = keep->client;
            } else if (const auto* forget = std::get_if<ForgetClient>(&effect)) {
                clients.erase(forget->resume_token);
            } else if (const auto* event = std::get_if<KeepEvent>(&effect)) {
                events.emplace(std::pair(event->event.conversation, event->event.seq),
                               event->event);
            } else if (const auto* gone = std::get_if<ForgetConversation>(&effect)) {
                std::erase_if(events, [&](const auto& kept) {
                    return kept.first.first == gone->conversation;
                });
            } else if (const auto* advisor = std::get_if<KeepAdvisor>(&effect)) {
                advisors[advisor->advisor.id] = advisor->advisor;
            } else if (const auto* left = std::get_if<ForgetAdvisor>(&effect)) {
                advisors.erase(left->advisor);
            } else if (const auto* visit = std::get_if<KeepVisit>(&effect)) {
                visits[visit->visit.record.conversation] = visit->visit;
            } else if (const auto* row = std::get_if<RecordVisit>(&effect)) {
                // The store drops the kept copy when it writes the conversation's row.
                visits.erase(row->record.conversation);
            }
        }
    }

    // As the shell hands it to the next run: new session numbers from `first_session` on, and
    // the advisors' profiles from their accounts.
    OpenWork for_restart(SessionId first_session,
                         const std::vector<AdvisorProfile>& accounts) const {
        OpenWork work;
        SessionId next = first_session;
        for (const auto& [token, client] : clients) {
            work.clients.emplace_back(next++, client);
        }
        for (const auto& [key, event] : events) {
            work.events.push_back(event);
        }
        for (const auto& [conversation, visit] : visits) {
            work.visits.push_back(visit);
        }
        for (const auto& [id, advisor] : advisors) {
            // A copy for the lambda: clang 14 cannot capture a structured binding.
            const auto wanted = id;
            auto account = std::find_if(accounts.begin(), accounts.end(),
                                        [&](const AdvisorProfile& p) { return p.id == wanted; });
            if (account != accounts.end()) {
                work.advisors.emplace_back(advisor, *account);
            }
        }
        return work;
    }
};

// A switchboard whose open-work effects all go to `kept`.
struct KeepingFixture : SwitchboardFixture {
    KeptWork kept;

    Effects track(Effects effects) {
        kept.take(effects);
        return effects;
    }
    Effects resumable_client(SessionId session, const std::string& language,
                             const std::string& home) {
        board.client_connected(session, {}, "token-" + std::to_string(session));
        return track(maybe_accepting(
            board.client_request(session, "r-" + std::to_string(session), language, home)));
    }
    Effects advisor(SessionId session, AdvisorProfile who, int capacity = 3) {
        track(board.advisor_connected(session, std::move(who)));
        return track(board.set_presence(session, Presence::available, capacity,
                                        "p-" + std::to_string(session)));
    }
};

// The next run: a second switchboard on the same clock, given what the first one kept.
struct Restarted {
    explicit Restarted(KeepingFixture& before)
        : clock(before.clock), board(demo_network(), Policy{}, clock, "d-") {}

    FakeClock& clock;
    Switchboard board;
};

} // namespace

TEST_CASE("a waiting client is kept with its request, and forgotten when it leaves the line",
          "[core][open-work]") {
    KeepingFixture f;
    CHECK(kept_text(f.resumable_client(1, "so", "092")) ==
          Lines{"keep client token-1 chat waiting r-1 so home=092 since=+0s"});
    // A client without a resume token ends with its socket: nothing of it is kept.
    f.board.client_connected(2);
    CHECK(kept_text(f.board.client_request(2, "r-2", "so", "")).empty());
    CHECK(kept_text(f.board.cancel_request(1, "r-1", "x-1")) == Lines{"forget client token-1"});
}

TEST_CASE("a conversation is kept with its lead, its events with their senders, and forgotten, "
          "content first, when it ends",
          "[core][open-work]") {
    KeepingFixture f;
    CHECK(kept_text(f.advisor(10, aino(), 2)) == Lines{"keep advisor 1 available capacity=2"});
    CHECK(kept_text(f.resumable_client(1, "fi", "091")) ==
          Lines{"keep client token-1 chat waiting r-1 fi home=091 since=+0s",
                "keep client token-1 chat in c-1 talk c-1 fi seats=1(lead),"});
    CHECK(kept_text(f.board.post_message(10, "c-1", "a-1", "Hei!")) ==
          Lines{"keep event c-1 seq=1 sender=1: message c-1 seq=1 id=a-1 from=advisor "
                "author=Aino text=Hei! at=+0s"});
    CHECK(kept_text(f.board.post_message(1, "c-1", "m-1", "Kirje")) ==
          Lines{"keep event c-1 seq=2 sender=0: message c-1 seq=2 id=m-1 from=client author= "
                "text=Kirje at=+0s"});
    // A resend is a duplicate: nothing more is kept.
    CHECK(kept_text(f.board.post_message(1, "c-1", "m-1", "Kirje")).empty());
    CHECK(kept_text(f.board.end_conversation(1, "c-1", "e-1")) ==
          Lines{"keep visit served point=091-virka advisor_point=091-virka chat fi home=091 "
                "tier=own-point hour=2026-11-25T14:00:00 wait=0 duration=0 ended_by=client for "
                "1 due=+900s",
                "forget conversation c-1", "forget client token-1"});
    // The advisor's presence stays kept while signed in, and goes with the sign-out.
    CHECK(kept_text(f.board.signed_out(10)) == Lines{"forget advisor 1"});
}

TEST_CASE("a row waiting for a wrap-up is kept, and after a restart its advisor still writes it",
          "[core][open-work]") {
    KeepingFixture f;
    f.advisor(10, aino(), 2);
    f.resumable_client(1, "fi", "091");
    f.clock.advance(3min);
    const Effects ended = f.track(f.board.end_conversation(1, "c-1", "e-1"));
    const Lines kept = kept_text(ended);
    REQUIRE(kept.size() == 3);
    CHECK(kept[0].starts_with("keep visit served point=091-virka"));
    CHECK(kept[0].ends_with(" for 1 due=+1080s"));
    CHECK(kept[1] == "forget conversation c-1");
    CHECK(kept[2] == "forget client token-1");
    // A rating before the wrap-up goes into the kept row too.
    f.track(f.board.rate(1, "c-1", 4, "f-1"));
    REQUIRE(f.kept.visits.size() == 1);
    CHECK(f.kept.visits.begin()->second.record.rating == 4);

    Restarted next(f);
    CHECK(text(next.board.restore(f.kept.for_restart(100, {aino()}))).empty());
    CHECK(next.board.wrapups_due() == 1);
    const Lines back = text(next.board.advisor_connected(300, aino()));
    CHECK(back.front() == "to 300: wrapup due c-1 fi home=091 chat");
    const Effects saved = next.board.save_wrapup(300, "c-1", Wrapup{}, "w-1");
    REQUIRE(saved.size() == 1);
    const auto& row = std::get<RecordVisit>(saved[0]).record;
    CHECK(row.wrapup_state == "saved");
    CHECK(row.rating == 4);
    CHECK(row.duration_seconds == 180);
}

TEST_CASE("after a restart a row whose advisor is gone is written at once without the wrap-up",
          "[core][open-work]") {
    KeepingFixture f;
    f.advisor(10, aino(), 2);
    f.resumable_client(1, "fi", "091");
    f.track(f.board.end_conversation(1, "c-1", "e-1"));
    Restarted next(f);
    // Aino's account was disabled between the runs.
    const Lines rows = text(next.board.restore(f.kept.for_restart(100, {})));
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].starts_with("visit served point=091-virka"));
    CHECK(rows[0].ends_with("ended_by=client wrapup=missing"));
    CHECK(next.board.wrapups_due() == 0);
}

TEST_CASE("after a restart the client resumes with its token and gets exactly what it missed; "
          "the advisor comes back to the same conversation, numbered on",
          "[core][open-work]") {
    KeepingFixture f;
    f.advisor(10, aino(), 2);
    f.resumable_client(1, "fi", "091");
    f.track(f.board.post_message(10, "c-1", "a-1", "Hei!"));
    f.track(f.board.post_message(1, "c-1", "m-1", "Minulla on kirje."));
    f.track(f.board.post_message(10, "c-1", "a-2", "Näytä se."));
    f.board.acknowledge(1, "c-1", 1);

    f.clock.advance(5s);
    Restarted next(f);
    CHECK(text(next.board.restore(f.kept.for_restart(100, {aino()}))).empty());
    CHECK(next.board.open_conversations() == 1);
    CHECK(next.board.advisors_signed_in() == 1);

    // The client's page had seq 1 and its own seq 2; the advisor's a-2 (seq 3) comes again.
    next.board.client_connected(200, {}, "token-200");
    const Lines resumed = text(next.board.resume_client(200, "token-1", 2, "s-1"));
    CHECK(resumed ==
          Lines{"socket 200 is now 100", "to 100: resumed conversation c-1 ref=s-1",
                "to 100: started c-1 request=r-1 fi home=091 tier=own-point advisor=Aino "
                "point=091-virka (Virka Info)",
                "to 100: advisor c-1 reconnecting",
                "to 100: message c-1 seq=3 id=a-2 from=advisor author=Aino text=Näytä se. at=+0s"});

    // The advisor's cookie brings them back within their grace period, as available as before,
    // with the conversation's events again (their confirmations were not kept: the page passes
    // over what it has by seq).
    const Lines back = text(next.board.advisor_connected(300, aino()));
    CHECK(back ==
          Lines{"to 300: started c-1 request= fi home=091 tier=own-point advisor=Aino "
                "point=091-virka (Virka Info) joined_as=lead from=none note= participants=",
                "to 300: message c-1 seq=1 id=a-1 from=advisor author=Aino text=Hei! at=+0s",
                "to 300: message c-1 seq=2 id=m-1 from=client author= text=Minulla on kirje. "
                "at=+0s",
                "to 300: message c-1 seq=3 id=a-2 from=advisor author=Aino text=Näytä se. at=+0s",
                "to 100: advisor c-1 back", "to 300: presence available capacity=2 active=1"});
    // Numbering goes on, and a message the client resends after the restart is known.
    CHECK(text(next.board.post_message(100, "c-1", "m-1", "Minulla on kirje.")) ==
          Lines{"to 100: accepted m-1 c-1 seq=2 duplicate"});
    CHECK(text(next.board.post_message(300, "c-1", "a-3", "Kiitos.")) ==
          Lines{"to 100: message c-1 seq=4 id=a-3 from=advisor author=Aino text=Kiitos. at=+5s",
                "to 300: accepted a-3 c-1 seq=4"});
}

TEST_CASE("after a restart the lines are rebuilt in the order the clients joined them",
          "[core][open-work]") {
    KeepingFixture f;
    f.resumable_client(3, "so", "092");
    f.clock.advance(1min);
    f.resumable_client(1, "so", "092");
    f.clock.advance(1min);
    f.resumable_client(2, "so", "092");

    Restarted next(f);
    // Session numbers follow the tokens' order, not the line's: 100 is token-1, 102 token-3.
    next.board.restore(f.kept.for_restart(100, {}));
    CHECK(next.board.queue_length("so") == 3);
    next.board.advisor_connected(10, veera());
    const Lines offered = text(next.board.set_presence(10, Presence::available, 1, "p"));
    REQUIRE(!offered.empty());
    CHECK(offered[1].starts_with("to 10: offer d-1 so home=092"));
    // The first to be offered is the one who joined first: token-3's session, 102.
    next.clock.advance(1s);
    const Lines accepted = text(next.board.accept_offer(10, "d-1", "a"));
    REQUIRE(!accepted.empty());
    CHECK(accepted[0].starts_with("to 102: started d-1 request=r-3 so"));
}

TEST_CASE("after a restart a conversation whose lead is gone waits in its language's queue, and "
          "a client that never comes back ends it",
          "[core][open-work]") {
    KeepingFixture f;
    f.advisor(10, aino(), 2);
    f.resumable_client(1, "fi", "091");
    f.track(f.board.post_message(10, "c-1", "a-1", "Hei!"));

    Restarted next(f);
    // Aino's account is gone (removed between the runs): nobody leads the conversation.
    const Effects restored = next.board.restore(f.kept.for_restart(100, {}));
    CHECK(next.board.open_conversations() == 1);
    CHECK(next.board.queue_length("fi") == 1);
    CHECK(kept_text(restored) == Lines{"keep client token-1 chat waiting r-1 fi home=091 since=+0s "
                                       "transfer_of=c-1 in c-1 talk c-1 fi seats="});

    // The resume window passes: the conversation ends as the client's (a served row), forgotten.
    next.clock.advance(Policy{}.client_grace + 1s);
    const Effects expired = next.board.tick();
    CHECK(next.board.open_conversations() == 0);
    CHECK(kept_text(expired) == Lines{"forget conversation c-1", "forget client token-1"});
    const Lines rows = text(expired);
    CHECK(std::count_if(rows.begin(), rows.end(), [](const std::string& line) {
              return line.starts_with("visit served") &&
                     line.find("ended_by=client_disconnected") != std::string::npos;
          }) == 1);
}

TEST_CASE("after a restart an advisor who does not come back within the grace period sends the "
          "client back to the head of the line",
          "[core][open-work]") {
    KeepingFixture f;
    f.advisor(10, aino(), 2);
    f.resumable_client(1, "fi", "091");
    Restarted next(f);
    next.board.restore(f.kept.for_restart(100, {aino()}));
    next.board.client_connected(200, {}, "token-200");
    next.board.resume_client(200, "token-1", 0, "s-1");
    next.clock.advance(Policy{}.advisor_grace + 1s);
    const Lines lines = text(next.board.tick());
    CHECK(std::find(lines.begin(), lines.end(),
                    "to 100: ended c-1 seq=1 reason=advisor_disconnected") != lines.end());
    CHECK(next.board.queue_length("fi") == 1);
    CHECK(next.board.advisors_signed_in() == 0);
}

TEST_CASE("restore forgets what cannot come back and leaves the rest intact", "[core][open-work]") {
    KeepingFixture f;
    f.advisor(10, aino(), 2);
    f.resumable_client(1, "fi", "091");
    OpenWork work = f.kept.for_restart(100, {aino()});
    // A second copy of the same token, and a client without one: both are refused.
    work.clients.emplace_back(101, work.clients.front().second);
    OpenClient anonymous = work.clients.front().second;
    anonymous.resume_token.clear();
    work.clients.emplace_back(102, anonymous);
    // An advisor kept for no conversation: signed out by the restart, as by any dropped socket.
    work.advisors.emplace_back(OpenAdvisor{2, Presence::available, 3, false}, elias());

    Restarted next(f);
    const Effects restored = next.board.restore(work);
    CHECK(kept_text(restored) == Lines{"forget advisor 2"});
    CHECK(next.board.open_conversations() == 1);
    CHECK(next.board.advisors_signed_in() == 1);
    next.board.client_connected(200, {}, "token-200");
    CHECK(text(next.board.resume_client(200, "token-1", 0, "s-1")).at(0) ==
          "socket 200 is now 100");
}
