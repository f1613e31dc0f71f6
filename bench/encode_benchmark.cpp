// What building the most frequent frame costs: a chat message of a typical length, written by
// hand (what the server does) and through a json tree (how every other frame is built). Build
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

} // namespace

BENCHMARK_MAIN();
