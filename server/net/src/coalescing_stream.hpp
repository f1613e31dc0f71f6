#pragma once

#include "metrics.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/websocket/teardown.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <utility>

namespace neuvo::net {

namespace beast = boost::beast;

// A stream layer under a WebSocket stream that gathers what is written to the socket. Beast
// writes every WebSocket message with a system call of its own, and in the relay those calls were
// the network thread's largest cost. Here the bytes of an idle connection go out at once, and
// whatever is written while that send is under way waits and then leaves together in the next
// one. A quiet connection's message thus goes out as soon as before, and a busy one's messages
// (an advisor's, after a commit that stored several of its conversations' messages) leave in a
// few writes. Sending only once the executor's queued work had run gathered a little more per
// write but relayed less in alternating load runs, so an idle connection does not wait.
//
// Two ways in, one order on the wire: gather() takes the bytes of whole frames that the owner
// encodes itself (the server's own text frames), and async_write_some() takes Beast's (the
// handshake's answer, pings, pongs, closes). Each call's bytes are kept together. Beast's write is
// completed at once, and fails once more than the limit would wait: a peer that sends pings and
// reads nothing cannot pile up pongs. (The owner bounds what it gathers itself, below that
// limit.) A send that failed ends the connection: every later write fails with the same error,
// and the socket is closed, which ends the reads.
//
// The buffers and the next layer live in a shared state that a send under way keeps alive: the
// owner may be destroyed first, which ends that send.
template <class NextLayer> class CoalescingStream {
public:
    using next_layer_type = NextLayer;
    using executor_type = beast::executor_type<NextLayer>;
    using error_code = boost::system::error_code;

    template <class... Args>
    explicit CoalescingStream(Args&&... args)
        : state_(std::make_shared<State>(std::forward<Args>(args)...)) {}
    CoalescingStream(const CoalescingStream&) = delete;
    CoalescingStream& operator=(const CoalescingStream&) = delete;
    ~CoalescingStream() {
        // Nobody is left to see a send that the peer may never take, so the socket is closed
        // under it: closed, not cancelled, because a cancel misses a send that is between two
        // of its writes, which would then go on for as long as the peer reads.
        //
        // The owner goes with the last reference to it, which another thread may drop (the
        // hub's strand, when a session leaves), while the send's completion runs on the
        // connection's executor. So the abandoning runs there too, at once if this already is
        // that executor's thread. (Should the executor never run it, at shutdown, the state goes
        // with the handler.)
        auto executor = state_->next.get_executor();
        boost::asio::dispatch(executor, [state = std::move(state_)] {
            state->abandoned = true;
            if (state->sending_now)
                beast::get_lowest_layer(state->next).close();
        });
    }

    executor_type get_executor() noexcept { return state_->next.get_executor(); }
    NextLayer& next_layer() noexcept { return state_->next; }
    const NextLayer& next_layer() const noexcept { return state_->next; }

    // Every system write (each send of gathered bytes) is counted here.
    void count_writes_in(Counter& counter) { state_->writes = &counter; }

    // Beast's writes fail once more than this many bytes would wait to be sent.
    void limit_waiting_bytes(std::size_t limit) { state_->limit = limit; }

    // Why the connection's send failed, or nothing while none has. The reads that the failure
    // ended end with operation_aborted or bad_descriptor, which do not say why.
    error_code send_failure() const { return state_->failure; }

    // Bytes taken and not yet sent: the connection's unread backlog, as far as this process sees.
    std::size_t buffered() const { return state_->sending.size() + state_->gathering.size(); }

    // Takes these bytes, in this order and together, to be sent after everything taken before.
    // False once a send has failed: nothing more goes out.
    template <class... Parts> bool gather(const Parts&... parts) {
        if (state_->failure)
            return false;
        (state_->gathering.append(parts), ...);
        state_->send_gathered();
        return true;
    }

    // Drops what has been taken and not yet begun to go out (the part under way must finish, or
    // the peer would see half a frame).
    void discard_unsent() {
        std::string().swap(state_->gathering);
        if (!state_->sending_now && state_->flushed)
            state_->complete_flush(state_->failure);
    }

    template <class MutableBuffers, class Token>
    auto async_read_some(const MutableBuffers& buffers, Token&& token) {
        return state_->next.async_read_some(buffers, std::forward<Token>(token));
    }

    template <class ConstBuffers, class Token>
    auto async_write_some(const ConstBuffers& buffers, Token&& token) {
        return boost::asio::async_initiate<Token, void(error_code, std::size_t)>(
            [](auto handler, std::shared_ptr<State> state, const ConstBuffers& data) {
                state->take(std::move(handler), data);
            },
            token, state_, buffers);
    }

    // Completes once everything taken so far has gone to the next layer (or failed there).
    template <class Token> auto async_flush(Token&& token) {
        return boost::asio::async_initiate<Token, void(error_code)>(
            [](auto handler, std::shared_ptr<State> state) {
                if (!state->sending_now && state->gathering.empty()) {
                    boost::asio::post(
                        state->next.get_executor(),
                        beast::bind_front_handler(std::move(handler), state->failure));
                    return;
                }
                state->flushed = std::make_unique<Waiting<decltype(handler)>>(
                    std::move(handler), state->next.get_executor());
            },
            token, state_);
    }

private:
    // A flush's handler, kept until every byte is out.
    struct Flushed {
        virtual ~Flushed() = default;
        virtual void complete(error_code error) = 0;
    };
    template <class Handler> struct Waiting final : Flushed {
        Waiting(Handler h, executor_type e) : handler(std::move(h)), executor(std::move(e)) {}
        void complete(error_code error) override {
            boost::asio::post(executor, beast::bind_front_handler(std::move(handler), error));
        }
        Handler handler;
        executor_type executor;
    };

    struct State : std::enable_shared_from_this<State> {
        template <class... Args>
        explicit State(Args&&... args) : next(std::forward<Args>(args)...) {}

        template <class Handler, class ConstBuffers>
        void take(Handler handler, const ConstBuffers& data) {
            if (failure) {
                complete(std::move(handler), failure, 0);
                return;
            }
            const auto size = boost::asio::buffer_size(data);
            if (sending.size() + gathering.size() + size > limit) {
                complete(std::move(handler), boost::asio::error::no_buffer_space, 0);
                return;
            }
            const auto old_size = gathering.size();
            gathering.resize(old_size + size);
            boost::asio::buffer_copy(boost::asio::buffer(gathering.data() + old_size, size), data);
            send_gathered();
            complete(std::move(handler), error_code{}, size);
        }

        void send_gathered() {
            if (sending_now || abandoned)
                return;
            if (gathering.empty() || failure) {
                if (flushed)
                    complete_flush(failure);
                return;
            }
            sending.swap(gathering);
            sending_now = true;
            if (writes)
                writes->add();
            boost::asio::async_write(next, boost::asio::buffer(sending),
                                     [self = this->shared_from_this()](
                                         error_code error, std::size_t) { self->sent(error); });
        }

        void sent(error_code error) {
            sending_now = false;
            if (error) {
                failure = error;
                // Release the memory now: nothing more will be sent. The owner's reads end too,
                // so it learns that the connection is gone: the socket is closed, because a
                // cancel would miss a read that is between two of its parts.
                std::string().swap(sending);
                std::string().swap(gathering);
                beast::get_lowest_layer(next).close();
                if (flushed)
                    complete_flush(failure);
                return;
            }
            sending.clear();
            if (!gathering.empty()) {
                // The cleared buffer keeps its capacity for the next gathering.
                send_gathered();
                return;
            }
            // Idle: an idle connection holds no buffer.
            std::string().swap(sending);
            std::string().swap(gathering);
            if (flushed)
                complete_flush(error_code{});
        }

        template <class Handler>
        void complete(Handler handler, error_code error, std::size_t size) {
            // Never inline: Asio's rule for an initiating function, and the caller's stack.
            boost::asio::post(next.get_executor(),
                              beast::bind_front_handler(std::move(handler), error, size));
        }

        void complete_flush(error_code error) { std::exchange(flushed, {})->complete(error); }

        NextLayer next;
        std::string sending;   // what the send under way writes
        std::string gathering; // what waits for the next send
        bool sending_now = false;
        bool abandoned = false; // the owner is gone
        error_code failure;
        std::size_t limit = std::size_t(-1);
        std::unique_ptr<Flushed> flushed; // a teardown waiting for every byte to go
        Counter* writes = nullptr;
    };

    std::shared_ptr<State> state_;
};

namespace detail {

// The close handshake's last step: send what is gathered, then tear the next layer down as it
// would be without this one (a TLS shutdown, then the TCP one).
template <class NextLayer> class CoalescingTeardown {
public:
    CoalescingTeardown(CoalescingStream<NextLayer>& stream, beast::role_type role)
        : stream_(stream), role_(role) {}

    template <class Self> void operator()(Self& self, boost::system::error_code error = {}) {
        switch (step_++) {
        case 0:
            stream_.async_flush(std::move(self));
            return;
        case 1: {
            // A failed send leaves the socket to be closed all the same.
            flush_error_ = error;
            using beast::websocket::async_teardown;
            async_teardown(role_, stream_.next_layer(), std::move(self));
            return;
        }
        default:
            self.complete(flush_error_ ? flush_error_ : error);
        }
    }

private:
    CoalescingStream<NextLayer>& stream_;
    beast::role_type role_;
    int step_ = 0;
    boost::system::error_code flush_error_;
};

} // namespace detail

template <class NextLayer, class Handler>
void async_teardown(beast::role_type role, CoalescingStream<NextLayer>& stream, Handler&& handler) {
    boost::asio::async_compose<Handler, void(boost::system::error_code)>(
        detail::CoalescingTeardown<NextLayer>(stream, role), handler, stream);
}

} // namespace neuvo::net
