// A minimal Boost.Beast WebSocket echo server: the library's limit that the Neuvo server is
// measured against (bench/loadgen, scripts/bench.sh load). Every text frame is written back to its
// sender unchanged. Nothing else: no JSON, no routing, no storage.
//
//   echo_server --port 9001 [--threads 1] [--tls-port 9002 --certificate C --private-key K]
//
// Prints "listening on PORT" (and "tls on PORT") once it accepts connections.

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <deque>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

template <class Next> class Session : public std::enable_shared_from_this<Session<Next>> {
public:
    template <class... Args> explicit Session(Args&&... args) : ws_(std::forward<Args>(args)...) {}

    void run() {
        if constexpr (std::is_same_v<Next, tcp::socket>) {
            accept();
        } else {
            ws_.next_layer().async_handshake(
                ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code e) {
                    if (!e)
                        self->accept();
                });
        }
    }

private:
    void accept() {
        ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
            response.set(beast::http::field::sec_websocket_protocol, "neuvo.v1");
        }));
        ws_.async_accept([self = this->shared_from_this()](beast::error_code e) {
            if (!e)
                self->read();
        });
    }

    void read() {
        ws_.async_read(buffer_, [self = this->shared_from_this()](beast::error_code e,
                                                                  std::size_t) {
            if (e)
                return;
            self->ws_.text(self->ws_.got_text());
            self->ws_.async_write(self->buffer_.data(), [self](beast::error_code e, std::size_t) {
                if (e)
                    return;
                self->buffer_.consume(self->buffer_.size());
                self->read();
            });
        });
    }

    websocket::stream<Next> ws_;
    beast::flat_buffer buffer_;
};

class Listener : public std::enable_shared_from_this<Listener> {
public:
    Listener(asio::io_context& io, unsigned short port, ssl::context* tls)
        : acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), port)), tls_(tls) {}

    unsigned short port() const { return acceptor_.local_endpoint().port(); }

    void accept() {
        acceptor_.async_accept([self = shared_from_this()](beast::error_code e, tcp::socket s) {
            if (!e) {
                s.set_option(tcp::no_delay(true), e);
                if (self->tls_)
                    std::make_shared<Session<ssl::stream<tcp::socket>>>(std::move(s), *self->tls_)
                        ->run();
                else
                    std::make_shared<Session<tcp::socket>>(std::move(s))->run();
            }
            self->accept();
        });
    }

private:
    tcp::acceptor acceptor_;
    ssl::context* tls_;
};

} // namespace

int main(int argc, char** argv) {
    unsigned short port = 0;
    int tls_port = -1;
    int threads = 1;
    std::string certificate, key;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string name = argv[i];
        std::string value = argv[i + 1];
        if (name == "--port")
            port = static_cast<unsigned short>(std::stoi(value));
        else if (name == "--tls-port")
            tls_port = std::stoi(value);
        else if (name == "--threads")
            threads = std::max(1, std::stoi(value));
        else if (name == "--certificate")
            certificate = value;
        else if (name == "--private-key")
            key = value;
        else {
            std::cerr << "unknown option " << name << "\n";
            return 2;
        }
    }
    // One io_context; with one thread it runs without locks (concurrency hint 1). A session's
    // operations never overlap (read, write, read...), so it needs no strand with more threads.
    asio::io_context io(threads);
    ssl::context tls(ssl::context::tls_server);
    auto plain = std::make_shared<Listener>(io, port, nullptr);
    plain->accept();
    std::cout << "listening on " << plain->port() << std::endl;
    std::shared_ptr<Listener> secure;
    if (tls_port >= 0) {
        tls.use_certificate_chain_file(certificate);
        tls.use_private_key_file(key, ssl::context::pem);
        secure = std::make_shared<Listener>(io, static_cast<unsigned short>(tls_port), &tls);
        secure->accept();
        std::cout << "tls on " << secure->port() << std::endl;
    }
    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i)
        pool.emplace_back([&] { io.run(); });
    io.run();
    for (auto& t : pool)
        t.join();
    return 0;
}
