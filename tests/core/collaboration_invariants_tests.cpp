// Seeded random runs of advisors working together: invitations, transfers, leaving, consults,
// dropped and returning advisors, clients coming and going, time passing. After every event the
// effects are checked against what each socket may be told: only conversations it is in, consult
// threads never to a client, every conversation's events in order, wrap-ups owed only by the lead
// of an ended conversation, and exactly one register row per conversation, with its wrap-up or
// without, whether the store's writes succeed or fail.
#include "switchboard_fixture.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <set>
#include <vector>

using namespace neuvo::core;
using namespace neuvo::core::testing;
using namespace std::chrono_literals;

namespace {

struct Run {
    SwitchboardFixture f;
    std::mt19937 random;
    std::vector<AdvisorProfile> team{aino(), veera(), elias(), hanna()};
    std::map<AdvisorId, SessionId> session_of; // advisors' current sockets; absent when gone
    std::set<SessionId> clients;
    SessionId next_session = 100;
    // What each socket has been told it is in, and the last seq it saw per conversation.
    std::map<SessionId, std::set<std::string>> in;
    std::map<std::pair<SessionId, std::string>, std::uint64_t> last_seq;
    std::map<SessionId, std::set<std::string>> offers; // conversation ids offered to a socket
    std::map<SessionId, std::set<std::string>> consults;
    std::set<std::string> started, ended;
    std::size_t served_rows = 0;        // register rows of conversations
    std::map<std::string, int> rows_of; // by conversation id
    std::map<AdvisorId, std::set<std::string>> wrapups_due;
    std::vector<std::string> being_written; // saved wrap-ups the "store" has not answered yet
    // How much of the ground a run covered, so that a run of mere refusals cannot pass.
    std::map<std::string, int> seen;
    std::string event; // the last event, for the failure message

    explicit Run(unsigned seed) : random(seed) { f.auto_accept = false; }

    std::size_t pick(std::size_t n) {
        return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
    }
    template <class T> const T& any(const std::vector<T>& items) {
        return items[pick(items.size())];
    }

    void check_seq(SessionId to, const std::string& conversation, std::uint64_t seq) {
        INFO("seq " << seq << " of " << conversation << " to " << to);
        REQUIRE(in[to].contains(conversation));
        auto& last = last_seq[{to, conversation}];
        REQUIRE(seq > last);
        last = seq;
    }

    void apply(const Effects& effects) {
        for (const Effect& effect : effects) {
            INFO(event << " -> " << effect_text(effect));
            if (const auto* visit = std::get_if<RecordVisit>(&effect)) {
                if (visit->record.outcome != "served") {
                    continue;
                }
                ++served_rows;
                REQUIRE(started.contains(visit->record.conversation));
                REQUIRE(++rows_of[visit->record.conversation] == 1);
                if (visit->record.wrapup_state == "saved") {
                    being_written.push_back(visit->record.conversation);
                }
                continue;
            }
            const auto* deliver = std::get_if<Deliver>(&effect);
            if (deliver == nullptr) {
                continue;
            }
            const SessionId to = deliver->to;
            const bool to_client = clients.contains(to);
            bool to_advisor = false;
            for (const auto& [id, session] : session_of) {
                to_advisor = to_advisor || session == to;
            }
            REQUIRE((to_client || to_advisor));
            std::visit(
                [&](const auto& m) {
                    using T = std::decay_t<decltype(m)>;
                    if constexpr (std::is_same_v<T, AdvisorJoined>) {
                        ++seen["joined via " + m.via];
                    } else if constexpr (std::is_same_v<T, ConsultMessage>) {
                        ++seen["consult message"];
                    }
                    if constexpr (std::is_same_v<T, ConversationStarted>) {
                        in[to].insert(m.conversation);
                        started.insert(m.conversation);
                    } else if constexpr (std::is_same_v<T, ChatMessage> ||
                                         std::is_same_v<T, AdvisorJoined> ||
                                         std::is_same_v<T, AdvisorLeft>) {
                        check_seq(to, m.conversation, m.seq);
                    } else if constexpr (std::is_same_v<T, ConversationEnded>) {
                        check_seq(to, m.conversation, m.seq);
                        in[to].erase(m.conversation);
                        if (to_client) {
                            ended.insert(m.conversation);
                        }
                    } else if constexpr (std::is_same_v<T, WrapupDue>) {
                        // Owed for a conversation that is over for this advisor.
                        REQUIRE(to_advisor);
                        REQUIRE(started.contains(m.conversation));
                        REQUIRE_FALSE(in[to].contains(m.conversation));
                        wrapups_due[advisor_on(to)].insert(m.conversation);
                        ++seen["wrapup due"];
                    } else if constexpr (std::is_same_v<T, WrapupDone>) {
                        REQUIRE(to_advisor);
                        REQUIRE(wrapups_due[advisor_on(to)].erase(m.conversation) == 1);
                        ++seen["wrapup " + m.status];
                    } else if constexpr (std::is_same_v<T, ConversationLeft>) {
                        REQUIRE(to_advisor);
                        REQUIRE(in[to].erase(m.conversation) == 1);
                    } else if constexpr (std::is_same_v<T, Offer>) {
                        REQUIRE(to_advisor);
                        offers[to].insert(m.conversation);
                    } else if constexpr (std::is_same_v<T, OfferWithdrawn>) {
                        offers[to].erase(m.conversation);
                    } else if constexpr (std::is_same_v<T, ConsultOpened> ||
                                         std::is_same_v<T, ConsultMessage> ||
                                         std::is_same_v<T, ConsultClosed> ||
                                         std::is_same_v<T, Handover> ||
                                         std::is_same_v<T, Directory>) {
                        // Never anything of the advisors' own business to a client.
                        REQUIRE(to_advisor);
                        if constexpr (std::is_same_v<T, ConsultOpened>) {
                            consults[to].insert(m.consult);
                        } else if constexpr (std::is_same_v<T, ConsultClosed>) {
                            consults[to].erase(m.consult);
                        }
                    }
                },
                deliver->message);
        }
    }

    std::vector<SessionId> advisor_sockets() const {
        std::vector<SessionId> sockets;
        for (const auto& [id, session] : session_of) {
            sockets.push_back(session);
        }
        return sockets;
    }

    AdvisorId advisor_on(SessionId session) const {
        for (const auto& [id, s] : session_of) {
            if (s == session) {
                return id;
            }
        }
        return 0;
    }

    void forget(SessionId session) {
        in.erase(session);
        offers.erase(session);
        consults.erase(session);
    }

    void step() {
        Switchboard& board = f.board;
        const std::vector<SessionId> sockets = advisor_sockets();
        const auto some_conversation = [&](SessionId s) -> std::string {
            if (in[s].empty()) {
                return "c-404";
            }
            auto it = in[s].begin();
            std::advance(it, static_cast<long>(pick(in[s].size())));
            return *it;
        };
        const AdvisorId colleague = any(team).id;
        const std::size_t kind = pick(18);
        event = "event kind " + std::to_string(kind);
        switch (kind) {
        case 0:
        case 1: {
            const SessionId client = ++next_session;
            clients.insert(client);
            board.client_connected(client);
            apply(board.client_request(client, "r", any(std::vector<std::string>{"fi", "ar"}),
                                       any(std::vector<std::string>{"091", "092", "049", ""})));
            break;
        }
        case 2: {
            const AdvisorProfile& who = any(team);
            const SessionId session = ++next_session;
            event +=
                " advisor " + std::to_string(who.id) + " connects on " + std::to_string(session);
            session_of[who.id] = session;
            apply(board.advisor_connected(session, who));
            apply(board.set_presence(session, Presence::available, 2, "p"));
            break;
        }
        case 3:
            if (!sockets.empty()) {
                const SessionId s = any(sockets);
                const bool on_purpose = pick(2) == 0;
                const AdvisorId id = advisor_on(s);
                event += " advisor " + std::to_string(id) + " on " + std::to_string(s) +
                         (on_purpose ? " signs out" : " drops");
                session_of.erase(id);
                apply(on_purpose ? board.signed_out(s) : board.disconnected(s));
                forget(s);
            }
            break;
        case 4:
        case 5:
            if (!sockets.empty()) {
                const SessionId s = any(sockets);
                if (!offers[s].empty()) {
                    const std::string offer = *offers[s].begin();
                    offers[s].erase(offer);
                    apply(pick(3) == 0 ? board.decline_offer(s, offer, "d")
                                       : board.accept_offer(s, offer, "a"));
                }
            }
            break;
        case 6:
            if (!sockets.empty()) {
                const SessionId s = any(sockets);
                apply(board.invite(s, some_conversation(s), colleague, "note", "i"));
            }
            break;
        case 7:
            if (!sockets.empty()) {
                const SessionId s = any(sockets);
                apply(pick(2) == 0
                          ? board.transfer_to_colleague(s, some_conversation(s), colleague, "", "t")
                          : board.transfer_to_queue(s, some_conversation(s),
                                                    any(std::vector<std::string>{"fi", "ar"}), "",
                                                    "t"));
            }
            break;
        case 8:
            if (!sockets.empty()) {
                const SessionId s = any(sockets);
                apply(board.leave(s, some_conversation(s), "l"));
            }
            break;
        case 9:
        case 10: {
            std::vector<SessionId> everyone = sockets;
            everyone.insert(everyone.end(), clients.begin(), clients.end());
            if (!everyone.empty()) {
                const SessionId s = any(everyone);
                apply(board.post_message(s, some_conversation(s), "m-" + std::to_string(pick(5)),
                                         "hei"));
            }
            break;
        }
        case 11: {
            std::vector<SessionId> everyone = sockets;
            everyone.insert(everyone.end(), clients.begin(), clients.end());
            if (!everyone.empty()) {
                const SessionId s = any(everyone);
                apply(board.end_conversation(s, some_conversation(s), "e"));
            }
            break;
        }
        case 12:
            if (!clients.empty()) {
                std::vector<SessionId> all(clients.begin(), clients.end());
                const SessionId client = any(all);
                clients.erase(client);
                apply(board.disconnected(client));
                forget(client);
            }
            break;
        case 13:
        case 14:
            if (!sockets.empty()) {
                const SessionId s = any(sockets);
                if (pick(2) == 0 || consults[s].empty()) {
                    apply(
                        board.open_consult(s, "q", colleague, pick(2) ? some_conversation(s) : ""));
                } else {
                    const std::string thread = *consults[s].begin();
                    apply(pick(4) == 0 ? board.close_consult(s, thread, "qc")
                                       : board.post_consult_message(s, thread, "qm", "kysymys"));
                }
            }
            break;
        case 15:
            // An advisor saves one of the wrap-ups owed, now and then with a bad code.
            if (!sockets.empty()) {
                const SessionId s = any(sockets);
                auto& due = wrapups_due[advisor_on(s)];
                Wrapup wrapup;
                wrapup.topics = {"forms"};
                if (pick(6) == 0) {
                    wrapup.gender = "nobody";
                }
                apply(board.save_wrapup(s, due.empty() ? "c-404" : *due.begin(), wrapup, "w"));
            }
            break;
        case 16:
            // The store answers the oldest write; one in five fails.
            if (!being_written.empty()) {
                const std::string conversation = being_written.front();
                being_written.erase(being_written.begin());
                const bool committed = pick(5) != 0;
                if (!committed) {
                    // The row never reached the disk: the conversation may have one again.
                    --rows_of[conversation];
                    --served_rows;
                }
                apply(board.visit_stored(conversation, committed));
            }
            break;
        default:
            f.clock.advance(std::chrono::seconds(pick(12)));
            apply(board.tick());
            break;
        }
    }
};

} // namespace

TEST_CASE("random days of advisors working together keep every promise", "[core][invariants]") {
    // What the runs covered together: one seed may happen to miss a path the others take.
    std::map<std::string, int> covered;
    for (unsigned seed = 1; seed <= 8; ++seed) {
        INFO("seed " << seed);
        Run run(seed);
        for (int i = 0; i < 2500; ++i) {
            INFO("event " << i);
            run.step();
        }
        // Everyone goes home: every conversation ends, each told to its client once.
        for (SessionId client : std::set<SessionId>(run.clients)) {
            run.clients.erase(client);
            run.apply(run.f.board.disconnected(client));
            run.forget(client);
        }
        CHECK(run.f.board.open_conversations() == 0);
        // The store answers everything still on its way.
        while (!run.being_written.empty()) {
            const std::string conversation = run.being_written.front();
            run.being_written.erase(run.being_written.begin());
            run.apply(run.f.board.visit_stored(conversation, true));
        }
        for (SessionId socket : run.advisor_sockets()) {
            run.session_of.erase(run.advisor_on(socket));
            run.apply(run.f.board.signed_out(socket));
        }
        // Those who dropped are let go when their grace period ends.
        run.f.clock.advance(run.f.board.policy().advisor_grace);
        run.apply(run.f.board.tick());
        CHECK(run.f.board.advisors_signed_in() == 0);
        // Exactly one register row per conversation, however often it changed hands, whether
        // its wrap-up was saved, failed to save or never came.
        CHECK(run.served_rows == run.started.size());

        CHECK(run.f.board.next_deadline() == std::nullopt);
        CHECK(run.started.size() > 20);
        for (const auto& [what, times] : run.seen) {
            covered[what] += times;
        }
    }
    CHECK(covered["joined via invitation"] > 8);
    CHECK(covered["joined via transfer"] > 8);
    CHECK(covered["consult message"] > 8);
    CHECK(covered["wrapup saved"] > 8);
    CHECK(covered["wrapup due"] > covered["wrapup saved"]);
}
