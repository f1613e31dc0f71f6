#pragma once

#include "coalescing_stream.hpp"
#include "http_support.hpp"
#include "log.hpp"
#include "peer.hpp"
#include "server_context.hpp"
#include "websocket_frame.hpp"

#include "neuvo/protocol/codec.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace neuvo::net {

namespace beast = boost::beast;
namespace websocket = beast::websocket;

// One WebSocket connection (TLS or plain): a read loop that decodes frames and hands them to the
// hub, and a bounded write queue. Every member runs on the connection's own strand.
template <class Stream>
class WebSocketSession : public Peer,
                         public std::enable_shared_from_this<WebSocketSession<Stream>> {
public:
    // An advisor's socket has a profile; any other is a requester: an anonymous client, or a
    // signed-in clerk asking for language support.
    // `session_token`: the sign-in cookie an advisor's or clerk's socket was opened with.
    WebSocketSession(Stream&& stream, ConnectionSlot slot, ServerContext& context,
                     std::optional<core::AdvisorProfile> advisor, core::Requester requester = {},
                     std::string session_token = {})
        : ws_(std::move(stream)), slot_(std::move(slot)), context_(context),
          advisor_(std::move(advisor)), requester_(std::move(requester)),
          session_token_(std::move(session_token)), id_(context.hub.next_session_id()) {
        // The handshake's session lookup was a use already.
        if (!session_token_.empty())
            last_refresh_ = std::chrono::steady_clock::now();
        ws_.next_layer().count_writes_in(context_.hub.metrics().websocket_socket_writes);
        // enqueue() keeps the messages under max_send_queue_bytes; the rest is room for Beast's
        // control frames, so that only a peer that floods pings without reading runs out.
        ws_.next_layer().limit_waiting_bytes(context.config.limits.max_send_queue_bytes +
                                             64 * 1024);
    }
    ~WebSocketSession() override {
        if (joined_)
            context_.hub.metrics().websockets(endpoint()).subtract();
    }

    template <class Request> void run(Request request) {
        // Beast times the opening and closing handshakes; the heartbeat is ours (heartbeat_due),
        // because Beast's idle timeout ties the ping interval and the time to answer together.
        beast::get_lowest_layer(ws_).expires_never();
        websocket::stream_base::timeout timeouts;
        timeouts.handshake_timeout = std::chrono::seconds(15);
        timeouts.idle_timeout = websocket::stream_base::none();
        timeouts.keep_alive_pings = false;
        ws_.set_option(timeouts);
        ws_.read_message_max(context_.config.limits.max_frame_bytes);
        // Beast fails the connection with 1002 for every close code RFC 6455 forbids but those
        // from 5000 up, which it would echo; none is defined there (section 7.4.2), so answer
        // them with 1002 too. Beast calls this before it sends its own echo, and a close begun
        // here is the one sent: the read then finds the close handshake under way and only ends.
        // Beast's documentation leaves a close sent from this callback undefined; the above is
        // what its 1.81 code does, and websocket_conformance_test checks the code on the wire.
        ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
            heard_from_peer();
            if (kind == websocket::frame_type::close && ws_.reason().code > 4999)
                refuse_close_code();
            // The answer to a keep-alive ping: the page is open, however quiet its person.
            if (kind == websocket::frame_type::pong)
                keep_session_fresh();
        });
        ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
            response.set(beast::http::field::server, "neuvo");
            response.set(beast::http::field::sec_websocket_protocol, protocol::subprotocol);
            if constexpr (!std::is_same_v<Stream, beast::tcp_stream>)
                response.set(beast::http::field::strict_transport_security, hsts_header);
        }));
        ws_.async_accept(request, beast::bind_front_handler(&WebSocketSession::on_accept, self()));
    }

    void send(std::shared_ptr<const std::string> frame) override {
        boost::asio::post(ws_.get_executor(), [self = self(), frame = std::move(frame)]() mutable {
            self->enqueue(*frame);
        });
    }

    void close(websocket::close_code code, std::string reason) override {
        boost::asio::post(ws_.get_executor(),
                          [self = self(), code, reason = std::move(reason)]() mutable {
                              self->begin_close(code, std::move(reason));
                          });
    }

private:
    std::shared_ptr<WebSocketSession> self() { return this->shared_from_this(); }

    WebSocketEndpoint endpoint() const {
        if (advisor_)
            return WebSocketEndpoint::advisor;
        return requester_.channel == "language-support" ? WebSocketEndpoint::clerk
                                                        : WebSocketEndpoint::client;
    }

    void on_accept(beast::error_code error) {
        if (error) {
            log_event(LogLevel::debug, "websocket_handshake_failed", {{"error", error.message()}});
            return;
        }
        if (advisor_)
            context_.hub.join_advisor(id_, self(), *advisor_);
        else
            context_.hub.join_client(id_, self(), requester_);
        joined_ = true;
        context_.hub.metrics().websockets(endpoint()).add();
        wait_for_heartbeat(context_.config.limits.ping_interval);
        read_next();
    }

    // The heartbeat. A ping goes out ping_interval after the previous one was answered; anything
    // from the peer (its pong, any other frame) answers it; a peer that sends nothing within
    // ping_timeout of a ping is taken for gone. A phone that lost its network without a word
    // is thus noticed at most ping_interval + ping_timeout after it was last heard from, and its
    // conversation partners are told it is reconnecting.
    void wait_for_heartbeat(std::chrono::seconds delay) {
        heartbeat_.expires_after(delay);
        // A weak pointer: a waiting timer must not keep a finished connection (and its slot
        // of the connection limit) alive.
        heartbeat_.async_wait([weak = this->weak_from_this()](beast::error_code error) {
            if (auto session = weak.lock(); session && !error)
                session->heartbeat_due();
        });
    }

    void heartbeat_due() {
        // The connection ended as this became due.
        if (read_ended_)
            return;
        if (close_requested_) {
            // A close frame waits behind the messages gathered before it, which a peer that
            // does not read never takes: without this a connection told to go could stay open
            // for good.
            log_event(LogLevel::info, "close_timed_out", {{"session", std::to_string(id_)}});
            disconnect();
            return;
        }
        if (awaiting_answer_) {
            context_.hub.metrics().heartbeat_timeouts.add();
            log_event(
                LogLevel::info, "heartbeat_missed",
                {{"session", std::to_string(id_)},
                 {"timeout_seconds", std::to_string(context_.config.limits.ping_timeout.count())}});
            // The session leaves as a dropped connection (one that may resume), not as one that
            // said goodbye.
            disconnect();
            return;
        }
        awaiting_answer_ = true;
        ws_.async_ping({}, [self = self()](beast::error_code) {});
        wait_for_heartbeat(context_.config.limits.ping_timeout);
    }

    // Ends the TCP connection without a close handshake, which a peer that answers nothing would
    // not complete either. The pending read then ends, and with it the session.
    void disconnect() {
        beast::error_code ignored;
        auto& socket = beast::get_lowest_layer(ws_).socket();
        socket.shutdown(boost::asio::socket_base::shutdown_both, ignored);
        socket.close(ignored);
    }

    void heard_from_peer() {
        if (!awaiting_answer_ || close_requested_)
            return;
        awaiting_answer_ = false;
        wait_for_heartbeat(context_.config.limits.ping_interval);
    }

    void read_next() {
        ws_.async_read(buffer_, beast::bind_front_handler(&WebSocketSession::on_read, self()));
    }

    void on_read(beast::error_code error, std::size_t bytes) {
        if (error) {
            read_ended_ = true;
            heartbeat_.cancel();
            // A failed send closes the socket, so the read's error would not say the peer is
            // gone. Beast has already answered an oversized frame with close 1009.
            if (const auto failure = ws_.next_layer().send_failure())
                log_event(LogLevel::debug, "websocket_send_failed",
                          {{"session", std::to_string(id_)}, {"error", failure.message()}});
            else if (error != websocket::error::closed &&
                     error != boost::asio::error::operation_aborted)
                log_event(LogLevel::debug, "websocket_read_ended",
                          {{"session", std::to_string(id_)}, {"error", error.message()}});
            // A peer's own normal close is leaving on purpose; a drop may come back. So may an
            // advisor's "going away" (a reload: the session cookie brings the advisor back),
            // but not a client's: its resume token was in the page that went away.
            const auto code = ws_.reason().code;
            leave(error == websocket::error::closed && !close_requested_ &&
                  (code == websocket::close_code::normal ||
                   (code == websocket::close_code::going_away && !advisor_)));
            return;
        }
        heard_from_peer();
        context_.hub.metrics().websocket_messages_received.add();
        context_.hub.metrics().websocket_bytes_received.add(bytes);
        if (!ws_.got_text()) {
            leave();
            begin_close(websocket::close_code::unknown_data,
                        "binary frames are not part of neuvo.v1");
            buffer_.consume(buffer_.size());
            read_next();
            return;
        }
        keep_session_fresh();
        // A flat buffer holds the frame in one piece: decoded where it lies, not copied first.
        const auto frame = buffer_.cdata();
        auto decoded = protocol::decode_inbound(
            std::string_view(static_cast<const char*>(frame.data()), frame.size()));
        buffer_.consume(buffer_.size());
        if (auto* problem = std::get_if<protocol::DecodeError>(&decoded)) {
            context_.hub.metrics().error_sent(problem->code);
            enqueue(protocol::encode_error(problem->code, problem->reason, problem->ref));
        } else if (!left_) {
            context_.hub.receive(id_, std::move(std::get<protocol::Inbound>(decoded)));
        }
        read_next();
    }

    // The server's messages are framed here and gathered with whatever else waits for this
    // connection, so that a busy connection's messages leave in one system write.
    void enqueue(std::string_view message) {
        // Nothing may follow a close frame, ours or the echo of the peer's.
        if (close_requested_ || !ws_.is_open())
            return;
        auto& socket_writer = ws_.next_layer();
        const TextFrameHeader header(message.size());
        if (socket_writer.buffered() + header.view().size() + message.size() >
            context_.config.limits.max_send_queue_bytes) {
            // A peer that does not read must not hold memory or slow anyone else down.
            context_.hub.metrics().send_queue_overflows.add();
            log_event(LogLevel::warning, "send_queue_full", {{"session", std::to_string(id_)}});
            leave();
            socket_writer.discard_unsent();
            begin_close(websocket::close_code::policy_error, "too many unread messages");
            return;
        }
        // After a failed send the read under way ends, and with it the session.
        if (!socket_writer.gather(header.view(), message))
            return;
        context_.hub.metrics().websocket_messages_sent.add();
        context_.hub.metrics().websocket_bytes_sent.add(message.size());
    }

    void begin_close(websocket::close_code code, std::string reason) {
        if (close_requested_)
            return;
        close_requested_ = true;
        // From now on the heartbeat is the deadline of the close itself.
        wait_for_heartbeat(context_.config.limits.ping_timeout);
        // The close frame goes out after the messages already gathered.
        ws_.async_close(websocket::close_reason(code, reason),
                        [self = self()](beast::error_code) {});
    }

    void refuse_close_code() {
        if (close_requested_)
            return;
        close_requested_ = true;
        wait_for_heartbeat(context_.config.limits.ping_timeout);
        ws_.next_layer().discard_unsent();
        ws_.async_close(websocket::close_reason(websocket::close_code::protocol_error),
                        [self = self()](beast::error_code) {});
    }

    void leave(bool on_purpose = false) {
        if (joined_ && !left_) {
            context_.hub.leave(id_, on_purpose);
            // The cookie's idle time starts when the socket ends, not at its last refresh.
            last_refresh_.reset();
            keep_session_fresh();
        }
        left_ = true;
    }

    // An open advisor's or clerk's socket is use of the sign-in session: its cookie must not
    // expire from inactivity (limits.session_idle) in the middle of a chat. At most once a
    // minute, to spare the store.
    void keep_session_fresh() {
        if (session_token_.empty())
            return;
        const auto now = std::chrono::steady_clock::now();
        if (last_refresh_ && now - *last_refresh_ < std::chrono::minutes(1))
            return;
        last_refresh_ = now;
        context_.store.touch_session(session_token_);
    }

    // The frames a busy connection is sent leave together (coalescing_stream.hpp).
    websocket::stream<CoalescingStream<Stream>> ws_;
    ConnectionSlot slot_;
    ServerContext& context_;
    std::optional<core::AdvisorProfile> advisor_;
    core::Requester requester_;
    std::string session_token_;
    std::optional<std::chrono::steady_clock::time_point> last_refresh_;
    core::SessionId id_;
    beast::flat_buffer buffer_;
    boost::asio::steady_timer heartbeat_{ws_.get_executor()};
    bool awaiting_answer_ = false; // a ping went out and nothing has come back since
    bool read_ended_ = false;
    bool joined_ = false;
    bool left_ = false;
    bool close_requested_ = false;
};

} // namespace neuvo::net
