#include "neuvo/core/fifo.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

using neuvo::core::Fifo;

namespace {

std::vector<int> contents(const Fifo<int>& queue) {
    return {queue.begin(), queue.end()};
}

} // namespace

TEST_CASE("a fifo gives back what it was given, first in first out", "[fifo]") {
    Fifo<int> queue;
    CHECK(queue.empty());
    for (int i = 1; i <= 3; ++i)
        queue.push_back(i);
    CHECK(queue.size() == 3);
    CHECK(queue.front() == 1);
    queue.pop_front();
    queue.push_back(4);
    CHECK(contents(queue) == std::vector<int>{2, 3, 4});
    queue.pop_front();
    queue.pop_front();
    queue.pop_front();
    CHECK(queue.empty());
    queue.push_back(5); // usable again once emptied
    CHECK(contents(queue) == std::vector<int>{5});
}

TEST_CASE("a fifo that never empties keeps its order across compactions", "[fifo]") {
    Fifo<int> queue;
    int next_in = 0;
    int next_out = 0;
    // Ten pushed for every nine popped, long enough to pass the compaction point many times.
    for (int round = 0; round < 1000; ++round) {
        for (int i = 0; i < 10; ++i)
            queue.push_back(next_in++);
        for (int i = 0; i < 9; ++i) {
            REQUIRE(queue.front() == next_out);
            queue.pop_front();
            ++next_out;
        }
        REQUIRE(queue.size() == static_cast<std::size_t>(next_in - next_out));
    }
    std::vector<int> rest = contents(queue);
    REQUIRE(rest.size() == 1000);
    for (std::size_t i = 0; i < rest.size(); ++i)
        CHECK(rest[i] == next_out + static_cast<int>(i));
}

TEST_CASE("a popped item is released at once", "[fifo]") {
    Fifo<std::shared_ptr<const std::string>> queue;
    auto first = std::make_shared<const std::string>("written");
    std::weak_ptr<const std::string> watch = first;
    queue.push_back(std::move(first));
    queue.push_back(std::make_shared<const std::string>("waiting"));
    queue.pop_front();
    CHECK(watch.expired()); // not held until the array is next compacted
    CHECK(*queue.front() == "waiting");
}
