// The layer that gathers a WebSocket connection's writes (server/net/src/coalescing_stream.hpp),
// over a real loopback TCP connection: an idle connection's bytes go at once, and what is written
// while they go leaves together after them, in order; a Beast WebSocket client reads the frames
// the server encodes itself and the close handshake after them; a Beast write past the limit
// fails; a send that fails ends the connection; and so does dropping the owner, from another
// thread, while a send is under way.
#include "coalescing_stream.hpp"
#include "metrics.hpp"
#include "websocket_frame.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <future>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using neuvo::net::CoalescingStream;

// A connected pair on loopback: the server's end wrapped in the layer, the peer's end plain.
struct Connection {
    asio::io_context io;
    tcp::socket peer{io};
    std::unique_ptr<CoalescingStream<beast::tcp_stream>> stream;
    neuvo::net::Counter writes;

    // on_strand: the server's end runs on a strand of its own, as a server's connection does.
    explicit Connection(bool on_strand = false) {
        tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
        peer.connect(acceptor.local_endpoint());
        tcp::socket accepted(on_strand ? asio::any_io_executor(asio::make_strand(io))
                                       : asio::any_io_executor(io.get_executor()));
        acceptor.accept(accepted);
        stream = std::make_unique<CoalescingStream<beast::tcp_stream>>(std::move(accepted));
        stream->count_writes_in(writes);
    }

    std::string read_from_peer(std::size_t size) {
        std::string bytes(size, '\0');
        asio::read(peer, asio::buffer(bytes));
        return bytes;
    }
};

} // namespace

TEST_CASE("an idle connection's bytes go at once, and what comes meanwhile leaves together") {
    Connection connection;
    auto& stream = *connection.stream;
    bool beast_write_done = false;
    REQUIRE(stream.gather(std::string_view("one "), std::string_view("two ")));
    CHECK(connection.writes.value() == 1);
    // The send is under way until the executor runs its completion: these wait for it.
    asio::async_write(stream, asio::buffer(std::string_view("three ")),
                      [&](beast::error_code error, std::size_t size) {
                          CHECK_FALSE(error);
                          CHECK(size == 6);
                          beast_write_done = true;
                      });
    REQUIRE(stream.gather(std::string_view("four")));
    CHECK(connection.writes.value() == 1);
    CHECK(stream.buffered() == 18);
    connection.io.run();
    CHECK(beast_write_done);
    CHECK(connection.read_from_peer(18) == "one two three four");
    CHECK(connection.writes.value() == 2);
    CHECK(stream.buffered() == 0);

    // Idle again: the next bytes are a write of their own.
    connection.io.restart();
    REQUIRE(stream.gather(std::string_view("five")));
    connection.io.run();
    CHECK(connection.read_from_peer(4) == "five");
    CHECK(connection.writes.value() == 3);
}

TEST_CASE("a Beast write that would pass the limit fails, and what was gathered still goes") {
    Connection connection;
    auto& stream = *connection.stream;
    stream.limit_waiting_bytes(10);
    REQUIRE(stream.gather(std::string_view("12345678")));
    beast::error_code refused, taken;
    asio::async_write(stream, asio::buffer(std::string_view("abc")),
                      [&](beast::error_code error, std::size_t) { refused = error; });
    asio::async_write(stream, asio::buffer(std::string_view("xy")),
                      [&](beast::error_code error, std::size_t) { taken = error; });
    connection.io.run();
    CHECK(refused == asio::error::no_buffer_space);
    CHECK_FALSE(taken);
    CHECK(connection.read_from_peer(10) == "12345678xy");
}

TEST_CASE("a frame that is still going out when more is gathered is followed by all of it") {
    Connection connection;
    auto& stream = *connection.stream;
    // Large enough that the first send outlasts the loopback's buffer until the peer reads.
    const std::string first(4 * 1024 * 1024, 'a');
    REQUIRE(stream.gather(first));
    connection.io.poll(); // the send cannot finish: nobody reads yet
    REQUIRE(connection.writes.value() == 1);
    for (int i = 0; i < 100; ++i)
        REQUIRE(stream.gather(std::string_view("b")));
    CHECK(stream.buffered() == first.size() + 100);
    std::string first_read, second_read;
    std::thread reader([&] {
        first_read = connection.read_from_peer(first.size());
        second_read = connection.read_from_peer(100);
    });
    connection.io.run();
    reader.join();
    CHECK(first_read == first);
    CHECK(second_read == std::string(100, 'b'));
    // The hundred small ones went together.
    CHECK(connection.writes.value() == 2);
}

TEST_CASE("a Beast client reads the frames encoded here, then the close handshake") {
    asio::io_context io;
    tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
    const auto endpoint = acceptor.local_endpoint();
    // Every length form of the header: 7 bits, 16 bits, 64 bits.
    const std::vector<std::size_t> sizes = {0, 1, 125, 126, 65535, 65536, 200000};

    std::vector<std::string> received;
    std::vector<bool> text;
    std::string close_seen;
    beast::error_code client_error;
    std::thread client([&] {
        asio::io_context client_io;
        websocket::stream<tcp::socket> ws(client_io);
        ws.next_layer().connect(endpoint);
        ws.read_message_max(1024 * 1024);
        ws.handshake("127.0.0.1", "/");
        beast::flat_buffer buffer;
        for (;;) {
            beast::error_code error;
            ws.read(buffer, error);
            if (error == websocket::error::closed) {
                close_seen = std::string(ws.reason().reason.c_str());
                break;
            }
            if (error) {
                client_error = error;
                break;
            }
            text.push_back(ws.got_text());
            received.push_back(beast::buffers_to_string(buffer.data()));
            buffer.consume(buffer.size());
        }
    });

    websocket::stream<CoalescingStream<beast::tcp_stream>> server(acceptor.accept());
    beast::error_code accept_error, close_error;
    bool closed = false;
    server.async_accept([&](beast::error_code error) {
        accept_error = error;
        if (error)
            return;
        for (std::size_t size : sizes) {
            const std::string message(size, static_cast<char>('a' + size % 26));
            const neuvo::net::TextFrameHeader header(size);
            server.next_layer().gather(header.view(), message);
        }
        server.async_close(websocket::close_reason(websocket::close_code::normal, "bye"),
                           [&](beast::error_code error) {
                               close_error = error;
                               closed = true;
                           });
    });
    io.run();
    client.join();
    CHECK_FALSE(accept_error);
    CHECK_FALSE(client_error);
    CHECK_FALSE(close_error);
    CHECK(closed);
    REQUIRE(received.size() == sizes.size());
    CHECK(std::count(text.begin(), text.end(), true) == static_cast<long>(sizes.size()));
    for (std::size_t i = 0; i < sizes.size(); ++i)
        CHECK(received[i] == std::string(sizes[i], static_cast<char>('a' + sizes[i] % 26)));
    CHECK(close_seen == "bye");
    CHECK(server.next_layer().buffered() == 0);
}

TEST_CASE("a send that fails ends the connection: later writes fail, a read under way ends") {
    Connection connection;
    auto& stream = *connection.stream;
    // The peer resets the connection: the next send fails.
    connection.peer.set_option(asio::socket_base::linger(true, 0));
    connection.peer.close();

    beast::error_code read_error;
    char byte = 0;
    stream.async_read_some(asio::buffer(&byte, 1),
                           [&](beast::error_code error, std::size_t) { read_error = error; });
    REQUIRE(stream.gather(std::string_view("lost")));
    connection.io.run();
    // Ended by the failed send, or by the reset itself: either way the owner hears of it.
    CHECK(read_error);
    // The owner can tell why, whichever ended the read.
    CHECK(stream.send_failure());
    CHECK_FALSE(stream.gather(std::string_view("after")));
    CHECK(stream.buffered() == 0);

    beast::error_code write_error;
    connection.io.restart();
    asio::async_write(stream, asio::buffer(std::string_view("beast")),
                      [&](beast::error_code error, std::size_t) { write_error = error; });
    connection.io.run();
    CHECK(write_error);
}

TEST_CASE("an owner dropped on another thread while a send is under way ends the connection") {
    // As in the server: the connection's strand runs on a thread of its own, and the owner goes
    // with the last reference to it, which another thread drops (the hub's strand, when a
    // session leaves).
    Connection connection(true);
    auto& io = connection.io;
    auto& peer = connection.peer;
    auto& stream = connection.stream;
    const auto strand = stream->get_executor();
    // Far more than the loopback's buffers hold: the send stays under way until the socket is
    // closed under it.
    const std::string large(32 * 1024 * 1024, 'a');
    std::promise<bool> gathered;
    asio::post(strand, [&] { gathered.set_value(stream->gather(large)); });
    auto work = asio::make_work_guard(io);
    std::thread network([&] { io.run(); });
    CHECK(gathered.get_future().get()); // (a REQUIRE would leave the thread running)

    stream.reset();
    // The strand runs in order: once this has run, so has the abandoning.
    std::promise<void> abandoned;
    asio::post(strand, [&] { abandoned.set_value(); });
    abandoned.get_future().wait();

    // The socket is closed under the send: the peer reads what had reached it, then the end,
    // well short of the whole. (A cancel in its place missed the send between two of its writes,
    // and all 32 MiB arrived.)
    std::size_t received = 0;
    beast::error_code error;
    std::vector<char> chunk(64 * 1024);
    while (!error)
        received += peer.read_some(asio::buffer(chunk), error);
    CHECK((error == asio::error::eof || error == asio::error::connection_reset));
    CHECK(received < large.size());
    work.reset();
    network.join();
}
