// What the most frequent frames cost: a chat message of a typical length, written by hand (what
// the server does) and through a json tree (how every other frame is built); and the frames peers
// send most, a chat message and an ack, read by hand and through the tree and the schema. Build
// in Release and run bench/encode_benchmark.

#include "neuvo/protocol/codec.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
#include <string>

namespace {

namespace core = neuvo::core;
namespace protocol = neuvo::protocol;

core::Outbound typical_message() {
    core::ChatMessage chat;
    chat.conversation = "c-8f3a2b1c";
    chat.seq = 42;
    chat.message_id = "m-1764072187123-17";
    chat.from = core::Role::advisor;
    chat.author = "Aino Virtanen";
    // About 120 bytes, with a few characters past ASCII, as a real answer would have.
    chat.text = "Kela p\xc3\xa4\xc3\xa4tt\xc3\xa4\xc3\xa4 asumistuesta yleens\xc3\xa4 kahdessa "
                "viikossa. Voit tarkistaa tilanteen OmaKelasta tai soittaa numeroon 020 692 207.";
    chat.sent_at = core::TimePoint(std::chrono::milliseconds(1'764'072'187'123LL));
    return chat;
}

void BM_EncodeChatMessage(benchmark::State& state) {
    const core::Outbound message = typical_message();
    for (auto _ : state) {
        benchmark::DoNotOptimize(protocol::encode(message));
    }
}
BENCHMARK(BM_EncodeChatMessage);

void BM_EncodeChatMessageThroughTree(benchmark::State& state) {
    const core::Outbound message = typical_message();
    for (auto _ : state) {
        benchmark::DoNotOptimize(protocol::encode_through_tree(message));
    }
}
BENCHMARK(BM_EncodeChatMessageThroughTree);

// A page's message and ack, as client.js sends them.
const std::string typical_sent_message =
    R"({"type":"message","id":"m-1764072187123-17","conversation":"c-8f3a2b1c","text":"Hei! )"
    "Sain Kelalta kirjeen asumistuesta, mutta en ymm\xc3\xa4rr\xc3\xa4 mit\xc3\xa4 minun "
    "pit\xc3\xa4\xc3\xa4 "
    "tehd\xc3\xa4. Voitteko auttaa?\"}";
const std::string typical_ack = R"({"type":"ack","conversation":"c-8f3a2b1c","seq":42})";

void BM_DecodeMessage(benchmark::State& state) {
    for (auto _ : state) {
        benchmark::DoNotOptimize(protocol::decode_inbound(typical_sent_message));
    }
}
BENCHMARK(BM_DecodeMessage);

void BM_DecodeMessageThroughTree(benchmark::State& state) {
    for (auto _ : state) {
        benchmark::DoNotOptimize(protocol::decode_inbound_through_tree(typical_sent_message));
    }
}
BENCHMARK(BM_DecodeMessageThroughTree);

void BM_DecodeAck(benchmark::State& state) {
    for (auto _ : state) {
        benchmark::DoNotOptimize(protocol::decode_inbound(typical_ack));
    }
}
BENCHMARK(BM_DecodeAck);

void BM_DecodeAckThroughTree(benchmark::State& state) {
    for (auto _ : state) {
        benchmark::DoNotOptimize(protocol::decode_inbound_through_tree(typical_ack));
    }
}
BENCHMARK(BM_DecodeAckThroughTree);

} // namespace

BENCHMARK_MAIN();
