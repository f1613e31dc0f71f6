#pragma once

#include <boost/beast/websocket/rfc6455.hpp>

#include <memory>
#include <string>

namespace neuvo::net {

// What the hub needs of one WebSocket connection, whatever stream (TLS or plain) carries it.
// Both calls are thread-safe: they hop onto the connection's own strand.
class Peer {
public:
    virtual ~Peer() = default;
    virtual void send(std::shared_ptr<const std::string> frame) = 0;
    // Sends whatever is queued, then closes with `code` and a reason the peer can show.
    virtual void close(boost::beast::websocket::close_code code, std::string reason) = 0;
};

} // namespace neuvo::net
