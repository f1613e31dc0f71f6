#pragma once

#include "metrics.hpp"
#include "peer.hpp"

#include "neuvo/core/switchboard.hpp"
#include "neuvo/protocol/messages.hpp"
#include "neuvo/store/store.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace neuvo::net {

// Hosts the core's switchboard on one strand: sessions post decoded messages here, the core
// answers with effects, and the hub carries them out (frames to peers, rows to the store).
// Every public member is thread-safe.
class Hub {
public:
    // `metrics` is counted into from here and from every session; it outlives the hub.
    Hub(boost::asio::io_context& io, core::ServiceNetwork network, core::Policy policy,
        store::Store& store, Metrics& metrics);
    // Waits for the store to commit everything the hub sent it: its callbacks post back to the
    // strand, which must still exist when they do (they never run after this).
    ~Hub();
    Hub(const Hub&) = delete;
    Hub& operator=(const Hub&) = delete;

    // Numbers a new socket. The core knows a client by the number of the socket it first came on,
    // and keeps it when a later socket resumes the session.
    core::SessionId next_session_id() { return ++last_session_id_; }

    void join_client(core::SessionId id, std::shared_ptr<Peer> peer,
                     core::Requester requester = {});
    void join_advisor(core::SessionId id, std::shared_ptr<Peer> peer, core::AdvisorProfile profile);
    void receive(core::SessionId id, protocol::Inbound message);
    // `on_purpose`: the peer closed normally (1000), e.g. an advisor signing out, so a dropped
    // advisor's grace period does not apply.
    void leave(core::SessionId id, bool on_purpose = false);

    // Closes every peer with 1001 and refuses new ones.
    void shut_down();
    // A snapshot of queues and advisors for supervisors; `done` runs on the hub's strand.
    void live_view(std::function<void(core::LiveView)> done);
    // The queues', advisors' and conversations' numbers for a scrape; `done` runs on the strand.
    void metrics_snapshot(std::function<void(HubSnapshot)> done);

    // Runs `then` on the hub's strand after everything posted to the hub before this call.
    void after_pending_work(std::function<void()> then);

    const core::ServiceNetwork& network() const { return network_; }
    Metrics& metrics() const { return metrics_; }

private:
    void restore_open_work();
    void apply(core::Effects effects);
    void count(const core::Outbound& message);
    void arm_timer();
    void send_to(core::SessionId id, const std::string& frame);
    // The core's session a socket speaks for: its own number, unless it resumed an earlier one.
    core::SessionId session_of(core::SessionId socket) const;
    // The socket a core session is on now.
    core::SessionId socket_of(core::SessionId session) const;
    void continue_on(core::SessionId socket, core::SessionId session);
    std::string welcome(core::Role role, const core::AdvisorProfile* profile,
                        const core::Requester* clerk = nullptr,
                        const std::string& resume_token = {}) const;

    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    boost::asio::steady_timer timer_;
    std::optional<core::TimePoint> armed_for_;
    const core::ServiceNetwork network_; // a copy the shell may read from any thread
    core::SystemClock clock_;
    core::Switchboard board_;
    store::Store& store_;
    Metrics& metrics_;
    std::unordered_map<core::SessionId, std::shared_ptr<Peer>> peers_; // by socket
    // Only for sockets that resumed an earlier session, both ways.
    std::unordered_map<core::SessionId, core::SessionId> session_of_socket_;
    std::unordered_map<core::SessionId, core::SessionId> socket_of_session_;
    std::atomic<core::SessionId> last_session_id_{0};
    bool shutting_down_ = false;
};

} // namespace neuvo::net
