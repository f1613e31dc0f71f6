#pragma once

// Steps for tests of advisors working together: finding a colleague's id in the directory,
// collecting every frame a peer has been sent, and checking that none of them carries a secret.

#include "journey_steps.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace neuvo::testing {

// Every frame that arrives within `quiet` of the previous one (or of the call).
inline std::vector<nlohmann::json> drain(WssClient& peer, std::chrono::milliseconds quiet = 300ms) {
    std::vector<nlohmann::json> frames;
    while (auto frame = peer.try_receive(quiet))
        frames.push_back(std::move(*frame));
    return frames;
}

// Frames of one type among `frames`.
inline std::vector<nlohmann::json> of_type(const std::vector<nlohmann::json>& frames,
                                           const std::string& type) {
    std::vector<nlohmann::json> found;
    for (const auto& frame : frames)
        if (frame.value("type", "") == type)
            found.push_back(frame);
    return found;
}

// No frame mentions any of the secrets anywhere (types, values, nested objects).
inline void check_none_mentions(const std::vector<nlohmann::json>& frames,
                                const std::vector<std::string>& secrets) {
    for (const auto& frame : frames) {
        auto text = frame.dump();
        for (const auto& secret : secrets) {
            INFO("frame: " << text << "\nsecret: " << secret);
            CHECK(text.find(secret) == std::string::npos);
        }
    }
}

// Asks the directory and returns the whole answer (which must quote `ref`).
inline nlohmann::json ask_directory(WssClient& advisor, const nlohmann::json& filters = {},
                                    const std::string& ref = "dir") {
    nlohmann::json request = {{"type", "directory"}, {"id", ref}};
    if (filters.is_object())
        for (const auto& [key, value] : filters.items())
            request[key] = value;
    advisor.send(request);
    auto answer = advisor.await("directory");
    REQUIRE(answer["ref"] == ref);
    REQUIRE(answer["advisors"].is_array());
    return answer;
}

// The directory entry of the colleague with this display name, as `advisor` sees it.
inline nlohmann::json colleague_entry(WssClient& advisor, const std::string& name) {
    auto answer = ask_directory(advisor, {}, "dir-" + name);
    for (const auto& entry : answer["advisors"])
        if (entry["name"] == name)
            return entry;
    FAIL("no \"" << name << "\" in the directory: " << answer.dump());
    return {};
}

inline long long colleague_id(WssClient& advisor, const std::string& name) {
    auto entry = colleague_entry(advisor, name);
    REQUIRE(entry["id"].is_number_integer());
    return entry["id"].get<long long>();
}

// A client who asks for `language` and the advisor's acceptance of the offer; returns the
// conversation id (both sides have had their conversation_started).
inline std::string start_conversation(WssClient& client, WssClient& advisor,
                                      const std::string& request, const std::string& language,
                                      const std::string& home) {
    client.send({{"type", "request"}, {"id", request}, {"language", language}, {"home", home}});
    auto started = accept_next_offer(advisor);
    auto seen = client.await("conversation_started", {"queued", "presence", "alternatives"});
    REQUIRE(seen["request"] == request);
    REQUIRE(seen["conversation"] == started["conversation"]);
    return seen["conversation"];
}

// Reads frames until one of each of `types` has arrived; returns everything read.
inline std::vector<nlohmann::json> collect_until(WssClient& peer, std::vector<std::string> types,
                                                 std::chrono::milliseconds timeout = 5s) {
    std::vector<nlohmann::json> frames;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!types.empty()) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        frames.push_back(peer.receive(std::max(left, std::chrono::milliseconds(1))));
        auto type = frames.back().value("type", "");
        auto it = std::find(types.begin(), types.end(), type);
        if (it != types.end())
            types.erase(it);
    }
    return frames;
}

} // namespace neuvo::testing
