#pragma once

#include "neuvo/core/clock.hpp"
#include "neuvo/core/messages.hpp"
#include "neuvo/core/service_network.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace neuvo::core {

struct AdvisorProfile {
    AdvisorId id = 0;
    std::string display_name; // shown to clients: first name
    std::string point_id;
    std::vector<std::string> languages;
};

struct Policy {
    int default_capacity = 3; // concurrent conversations when an advisor has not chosen
    int max_capacity = 10;
    std::size_t max_text_bytes = 4000; // one chat message
};

// The deterministic heart of Neuvo: conversations, presence and routing. Events go in as method
// calls, effects come out as values; no sockets, threads, JSON or SQL. Not thread-safe: the shell
// calls it from one strand.
class Switchboard {
public:
    // `conversation_prefix` keeps conversation ids unique across server runs: ids are the prefix
    // followed by a counter from 1, so a prefix "c7f3a-" gives "c7f3a-1", "c7f3a-2" ...
    Switchboard(ServiceNetwork network, Policy policy, const Clock& clock,
                std::string conversation_prefix);
    ~Switchboard();
    Switchboard(const Switchboard&) = delete;
    Switchboard& operator=(const Switchboard&) = delete;

    const ServiceNetwork& network() const;
    const Policy& policy() const;

    // ---- Events ----
    void client_connected(SessionId session);
    // An anonymous client asks for an advisor speaking `language`; `home` is a municipality code
    // or empty. Routes at once or queues; answers with ConversationStarted or Queued (or an error).
    Effects client_request(SessionId session, const std::string& request_id,
                           const std::string& language, const std::string& home);

    // A signed-in advisor's socket. A second socket of the same advisor replaces the first.
    Effects advisor_connected(SessionId session, AdvisorProfile profile);
    // capacity: nothing keeps the current one.
    Effects set_presence(SessionId session, Presence status, std::optional<int> capacity,
                         const std::string& ref);

    Effects post_message(SessionId session, const std::string& conversation,
                         const std::string& message_id, const std::string& text);
    // The receiver confirms it has everything up to `seq` (kept for resume).
    Effects acknowledge(SessionId session, const std::string& conversation, std::uint64_t seq);
    Effects end_conversation(SessionId session, const std::string& conversation,
                             const std::string& ref);
    // The socket is gone: ends its conversations, leaves its queue place, records the visit.
    Effects disconnected(SessionId session);

    // ---- Read-only views (tests, health, metrics) ----
    std::size_t queue_length(const std::string& language) const;
    std::size_t open_conversations() const;
    std::size_t advisors_signed_in() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

} // namespace neuvo::core
