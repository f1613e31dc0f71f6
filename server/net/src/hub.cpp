#include "hub.hpp"

#include "log.hpp"

#include "neuvo/protocol/codec.hpp"
#include "neuvo/store/token_digest.hpp"

#include <boost/asio/post.hpp>

#include <openssl/rand.h>

#include <algorithm>

#include <random>
#include <stdexcept>

namespace neuvo::net {
namespace {

namespace websocket = boost::beast::websocket;

// Conversation ids must not repeat across restarts of the server: prefix them with a random tag.
std::string random_prefix() {
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
    std::random_device device;
    std::string prefix;
    for (int i = 0; i < 6; ++i)
        prefix += alphabet[device() % (sizeof alphabet - 1)];
    return prefix + "-";
}

// A code a customer types on a kiosk: 8 characters of an alphabet without look-alikes (no 0/O,
// 1/I/L), 40 bits from OpenSSL's generator, so that guessing one in its few minutes is hopeless.
std::string customer_code() {
    static const char alphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    unsigned char bytes[8];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        throw std::runtime_error("no random bytes for a customer code");
    std::string code;
    for (unsigned char byte : bytes)
        code += alphabet[byte % (sizeof alphabet - 1)];
    return code;
}

// A client's resume token: 128 bits from OpenSSL's generator, as hex. It is the only thing that
// lets a connection take a conversation over, so it must be unguessable; it is never logged.
std::string resume_token() {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        throw std::runtime_error("no random bytes for a resume token");
    static const char digits[] = "0123456789abcdef";
    std::string token;
    for (unsigned char byte : bytes) {
        token += digits[byte >> 4];
        token += digits[byte & 0x0f];
    }
    return token;
}

} // namespace

Hub::Hub(boost::asio::io_context& io, core::ServiceNetwork network, core::Policy policy,
         store::Store& store, Metrics& metrics)
    : strand_(boost::asio::make_strand(io)), timer_(strand_), network_(network),
      board_(std::move(network), policy, clock_, random_prefix()), store_(store),
      metrics_(metrics) {
    restore_open_work();
}

// Before the first connection, so nothing else runs on the strand yet: what the last run left
// open comes back, its clients and advisors free to reconnect within their grace periods.
void Hub::restore_open_work() {
    store::Store::OpenWorkAtStart kept = store_.open_work();
    core::OpenWork work;
    for (core::OpenClient& client : kept.work.clients)
        work.clients.emplace_back(next_session_id(), std::move(client));
    work.events = std::move(kept.work.events);
    for (const core::OpenAdvisor& advisor : kept.work.advisors) {
        auto account =
            std::find_if(kept.accounts.begin(), kept.accounts.end(),
                         [&](const store::AdvisorAccount& a) { return a.id == advisor.id; });
        if (account == kept.accounts.end())
            continue; // disabled since: the conversations it led wait for another advisor
        work.advisors.emplace_back(advisor,
                                   core::AdvisorProfile{account->id, account->display_name,
                                                        account->point_id, account->languages});
    }
    const std::size_t clients = work.clients.size();
    apply(board_.restore(std::move(work)));
    if (clients > 0)
        log_event(LogLevel::info, "open_work_restored",
                  {{"clients", std::to_string(clients)},
                   {"conversations", std::to_string(board_.open_conversations())}});
}

Hub::~Hub() {
    store_.flush();
}

std::string Hub::welcome(core::Role role, const core::AdvisorProfile* profile,
                         const core::Requester* clerk, const std::string& resume_token) const {
    protocol::Welcome message;
    message.role = role;
    message.resume_token = resume_token;
    message.resume_window_seconds = board_.policy().client_grace.count();
    if (clerk != nullptr && clerk->channel == "language-support")
        message.clerk_organisation = clerk->organisation;
    message.languages = network_.languages;
    message.municipalities = network_.municipalities;
    message.max_text_bytes = board_.policy().max_text_bytes;
    if (profile) {
        const auto* point = network_.find_point(profile->point_id);
        message.advisor =
            protocol::WelcomeAdvisor{profile->display_name, profile->point_id,
                                     point ? point->name : std::string(), profile->languages};
    }
    return protocol::encode(message);
}

void Hub::join_client(core::SessionId id, std::shared_ptr<Peer> peer, core::Requester requester) {
    boost::asio::post(
        strand_, [this, id, peer = std::move(peer), requester = std::move(requester)]() mutable {
            if (shutting_down_) {
                peer->close(websocket::close_code::going_away, "the server is shutting down");
                return;
            }
            std::string token = resume_token();
            peer->send(std::make_shared<const std::string>(
                welcome(core::Role::client, nullptr, &requester, token)));
            peers_.emplace(id, std::move(peer));
            board_.client_connected(id, std::move(requester), store::token_digest(token));
        });
}

void Hub::join_advisor(core::SessionId id, std::shared_ptr<Peer> peer,
                       core::AdvisorProfile profile) {
    boost::asio::post(
        strand_, [this, id, peer = std::move(peer), profile = std::move(profile)]() mutable {
            if (shutting_down_) {
                peer->close(websocket::close_code::going_away, "the server is shutting down");
                return;
            }
            peer->send(std::make_shared<const std::string>(welcome(core::Role::advisor, &profile)));
            peers_.emplace(id, std::move(peer));
            log_event(LogLevel::info, "advisor_connected",
                      {{"session", std::to_string(id)}, {"point", profile.point_id}});
            apply(board_.advisor_connected(id, std::move(profile)));
        });
}

void Hub::receive(core::SessionId id, protocol::Inbound message) {
    boost::asio::post(strand_, [this, socket = id, message = std::move(message)] {
        if (!peers_.count(socket))
            return;
        const core::SessionId id = session_of(socket);
        apply(std::visit(
            [&](const auto& m) -> core::Effects {
                using T = std::decay_t<decltype(m)>;
                if constexpr (std::is_same_v<T, protocol::RequestAdvisor>)
                    return board_.client_request(id, m.id, m.language, m.home, m.also_speaks);
                else if constexpr (std::is_same_v<T, protocol::CancelRequest>)
                    return board_.cancel_request(id, m.request, m.id);
                else if constexpr (std::is_same_v<T, protocol::AnswerOffer>)
                    return m.accept ? board_.accept_offer(id, m.conversation, m.id)
                                    : board_.decline_offer(id, m.conversation, m.id);
                else if constexpr (std::is_same_v<T, protocol::SendText>)
                    return board_.post_message(id, m.conversation, m.id, m.text);
                else if constexpr (std::is_same_v<T, protocol::Acknowledge>)
                    return board_.acknowledge(id, m.conversation, m.seq);
                else if constexpr (std::is_same_v<T, protocol::SignalTyping>)
                    return board_.typing(id, m.conversation);
                else if constexpr (std::is_same_v<T, protocol::EndConversation>)
                    return board_.end_conversation(id, m.conversation, m.id);
                else if constexpr (std::is_same_v<T, protocol::SetPresence>)
                    return board_.set_presence(id, m.status, m.capacity, m.id, m.follow_schedule);
                else if constexpr (std::is_same_v<T, protocol::ListColleagues>)
                    return board_.directory(id, m.id, m.language, m.point);
                else if constexpr (std::is_same_v<T, protocol::OpenConsult>)
                    return board_.open_consult(id, m.id, m.colleague, m.about);
                else if constexpr (std::is_same_v<T, protocol::SendConsultText>)
                    return board_.post_consult_message(id, m.consult, m.id, m.text);
                else if constexpr (std::is_same_v<T, protocol::CloseConsult>)
                    return board_.close_consult(id, m.consult, m.id);
                else if constexpr (std::is_same_v<T, protocol::InviteColleague>)
                    return board_.invite(id, m.conversation, m.colleague, m.note, m.id);
                else if constexpr (std::is_same_v<T, protocol::TransferConversation>)
                    return m.colleague ? board_.transfer_to_colleague(id, m.conversation,
                                                                      *m.colleague, m.note, m.id)
                                       : board_.transfer_to_queue(id, m.conversation, m.language,
                                                                  m.note, m.id);
                else if constexpr (std::is_same_v<T, protocol::AskCustomerCode>)
                    return board_.issue_customer_code(id, m.conversation, customer_code(), m.id);
                else if constexpr (std::is_same_v<T, protocol::JoinWithCode>)
                    return board_.join_with_code(id, m.code, m.id);
                else if constexpr (std::is_same_v<T, protocol::SaveWrapup>)
                    return board_.save_wrapup(id, m.conversation, m.wrapup, m.id);
                else if constexpr (std::is_same_v<T, protocol::RateConversation>)
                    return board_.rate(id, m.conversation, m.rating, m.id);
                else if constexpr (std::is_same_v<T, protocol::ResumeSession>)
                    return board_.resume_client(id, store::token_digest(m.token), m.last_seq, m.id);
                else
                    return board_.leave(id, m.conversation, m.id);
            },
            message));
    });
}

void Hub::leave(core::SessionId id, bool on_purpose) {
    boost::asio::post(strand_, [this, socket = id, on_purpose] {
        if (peers_.erase(socket) == 0)
            return;
        const core::SessionId id = session_of(socket);
        if (socket != id) {
            session_of_socket_.erase(socket);
            socket_of_session_.erase(id);
        }
        apply(on_purpose ? board_.signed_out(id) : board_.disconnected(id));
    });
}

void Hub::shut_down() {
    boost::asio::post(strand_, [this] {
        shutting_down_ = true;
        // End every session in the core now rather than when each peer answers its close frame:
        // a peer that never answers must not keep its conversation, or its visit, open.
        timer_.cancel();
        auto closing = std::move(peers_);
        peers_.clear();
        session_of_socket_.clear();
        socket_of_session_.clear();
        for (auto& [id, peer] : closing)
            peer->close(websocket::close_code::going_away, "the server is shutting down");
        // Open conversations and the queue stay as the store has them, for the next start; the
        // rows still waiting for a wrap-up go to the store now, since nobody can write those.
        apply(board_.shut_down());
    });
}

void Hub::after_pending_work(std::function<void()> then) {
    boost::asio::post(strand_, std::move(then));
}

void Hub::send_to(core::SessionId id, const std::string& frame) {
    auto it = peers_.find(socket_of(id));
    if (it != peers_.end())
        it->second->send(std::make_shared<const std::string>(frame));
}

core::SessionId Hub::session_of(core::SessionId socket) const {
    auto it = session_of_socket_.find(socket);
    return it == session_of_socket_.end() ? socket : it->second;
}

core::SessionId Hub::socket_of(core::SessionId session) const {
    auto it = socket_of_session_.find(session);
    return it == socket_of_session_.end() ? session : it->second;
}

// The client's new socket takes its earlier session over. An older socket still open (the
// server had not yet noticed it was dead, or a second tab) is told and closed; its leave() then
// finds nothing.
void Hub::continue_on(core::SessionId socket, core::SessionId session) {
    const core::SessionId older = socket_of(session);
    if (auto it = peers_.find(older); it != peers_.end() && older != socket) {
        metrics_.error_sent("session_replaced");
        it->second->send(std::make_shared<const std::string>(protocol::encode_error(
            "session_replaced", "the conversation continues on another connection")));
        it->second->close(websocket::close_code::policy_error, "continued on another connection");
        peers_.erase(it);
    }
    session_of_socket_.erase(older);
    session_of_socket_[socket] = session;
    socket_of_session_[session] = socket;
}

void Hub::live_view(std::function<void(core::LiveView)> done) {
    boost::asio::post(strand_, [this, done = std::move(done)] { done(board_.live_view()); });
}

// From the supervisors' live view, of which only counts are taken: the advisors' names in it go
// no further than this function.
void Hub::metrics_snapshot(std::function<void(HubSnapshot)> done) {
    boost::asio::post(strand_, [this, done = std::move(done)] {
        const core::LiveView view = board_.live_view();
        HubSnapshot snapshot;
        for (const core::Language& language : network_.languages) {
            HubSnapshot::Language row;
            row.language = language.tag;
            for (const core::LanguageQueueView& seen : view.languages) {
                if (seen.language != language.tag)
                    continue;
                row.waiting = seen.waiting;
                row.oldest_wait_seconds = seen.longest_wait_seconds;
                row.advisors_signed_in = seen.advisors_signed_in;
                row.advisors_available = seen.advisors_available;
                row.unmet_requests = seen.unmet_requests;
            }
            snapshot.languages.push_back(std::move(row));
        }
        for (const core::AdvisorView& advisor : view.advisors) {
            if (!advisor.connected)
                ++snapshot.advisors_reconnecting;
            else if (advisor.status == core::Presence::available)
                ++snapshot.advisors_available;
            else
                ++snapshot.advisors_away;
        }
        snapshot.conversations_open = static_cast<std::int64_t>(board_.open_conversations());
        snapshot.wrapups_due = static_cast<std::int64_t>(board_.wrapups_due());
        snapshot.conversations_started = board_.conversations_begun();
        snapshot.conversations_ended = board_.conversations_closed();
        done(std::move(snapshot));
    });
}

// The core has no timers: it says when it next needs the time to move on, and the hub wakes it
// then. Re-armed after every event, since any event may add or remove a deadline.
void Hub::arm_timer() {
    auto deadline = board_.next_deadline();
    if (!deadline) {
        timer_.cancel();
        armed_for_.reset();
        return;
    }
    if (armed_for_ == deadline)
        return;
    armed_for_ = deadline;
    auto delay = std::max(*deadline - clock_.now(), core::TimePoint::duration::zero());
    timer_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(delay));
    timer_.async_wait([this](boost::system::error_code error) {
        if (error)
            return;
        armed_for_.reset();
        apply(board_.tick());
    });
}

// The metrics of one message the core sends: a type check for most, nothing allocated.
void Hub::count(const core::Outbound& message) {
    if (const auto* accepted = std::get_if<core::MessageAccepted>(&message)) {
        if (!accepted->duplicate)
            (accepted->consult ? metrics_.consult_messages : metrics_.chat_messages).add();
    } else if (const auto* error = std::get_if<core::ErrorReply>(&message)) {
        metrics_.error_sent(error->code);
    }
}

void Hub::apply(core::Effects effects) {
    std::vector<core::Effect> open_work;
    for (const auto& effect : effects) {
        if (core::is_open_work(effect))
            open_work.push_back(effect);
    }
    // With something to keep, the sender of a message hears "accepted" only once the store has
    // it: a sender told so must not lose it to a crash, and resends it until told.
    std::vector<std::pair<core::SessionId, std::string>> after_commit;
    for (auto& effect : effects) {
        if (auto* deliver = std::get_if<core::Deliver>(&effect)) {
            count(deliver->message);
            if (!open_work.empty() &&
                std::holds_alternative<core::MessageAccepted>(deliver->message)) {
                after_commit.emplace_back(deliver->to, protocol::encode(deliver->message));
                continue;
            }
            send_to(deliver->to, protocol::encode(deliver->message));
        } else if (auto* visit = std::get_if<core::RecordVisit>(&effect)) {
            (visit->record.outcome == "served" ? metrics_.served_waits : metrics_.unserved_waits)
                .observe(visit->record.wait_seconds);
            // The core hears back only after the commit: an advisor told "saved" has the row.
            std::string conversation = visit->record.conversation;
            store_.record_visit(std::move(visit->record),
                                [this, conversation = std::move(conversation)](bool committed) {
                                    if (!committed)
                                        log_event(LogLevel::error, "register_write_failed");
                                    if (conversation.empty())
                                        return;
                                    boost::asio::post(strand_, [this, conversation, committed] {
                                        apply(board_.visit_stored(conversation, committed));
                                    });
                                });
        } else if (auto* rating = std::get_if<core::RecordRating>(&effect)) {
            store_.record_rating(rating->conversation, rating->rating, [](bool committed) {
                if (!committed)
                    log_event(LogLevel::error, "register_write_failed");
            });
        } else if (auto* resume = std::get_if<core::ResumeSession>(&effect)) {
            continue_on(resume->connection, resume->session);
        } else if (auto* close = std::get_if<core::CloseSession>(&effect)) {
            auto it = peers_.find(socket_of(close->session));
            if (it == peers_.end())
                continue;
            metrics_.error_sent("session_replaced");
            it->second->send(std::make_shared<const std::string>(
                protocol::encode_error("session_replaced", close->reason)));
            it->second->close(websocket::close_code::policy_error, close->reason);
            // The core already treated the session as gone; forget it so leave() is a no-op.
            peers_.erase(it);
        }
    }
    if (!open_work.empty()) {
        store_.keep_open_work(std::move(open_work), [this, after_commit = std::move(after_commit)](
                                                        bool committed) mutable {
            if (!committed)
                log_event(LogLevel::error, "open_work_write_failed");
            if (after_commit.empty())
                return;
            boost::asio::post(strand_, [this, after_commit = std::move(after_commit)] {
                for (const auto& [to, frame] : after_commit)
                    send_to(to, frame);
            });
        });
    }
    if (!shutting_down_)
        arm_timer();
}

} // namespace neuvo::net
