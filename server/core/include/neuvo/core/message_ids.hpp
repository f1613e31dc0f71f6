#pragma once

#include "neuvo/core/messages.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace neuvo::core {

// The ids of the messages sent in one conversation or consult thread and the seq each got, so
// that a resend is recognised. Ids are unique per sender, not between senders: a client and an
// advisor may both send "m-1". Hashed by id, since a long conversation holds thousands and each
// message looks its id up (an ordered map compared a dozen strings a message); nothing here is
// ever iterated, so the order of the hash map cannot reach the core's output.
class MessageIds {
public:
    // The seq `sender`'s message `id` got the first time it was seen, if it was.
    std::optional<std::uint64_t> seq_of(AdvisorId sender, const std::string& id) const {
        const Entry* entry = find(id);
        if (entry == nullptr) {
            return std::nullopt;
        }
        if (entry->first.sender == sender) {
            return entry->first.seq;
        }
        for (const Use& use : entry->others) {
            if (use.sender == sender) {
                return use.seq;
            }
        }
        return std::nullopt;
    }

    // Whose message got `seq` under `id`.
    std::optional<AdvisorId> sender_of(const std::string& id, std::uint64_t seq) const {
        const Entry* entry = find(id);
        if (entry == nullptr) {
            return std::nullopt;
        }
        if (entry->first.seq == seq) {
            return entry->first.sender;
        }
        for (const Use& use : entry->others) {
            if (use.seq == seq) {
                return use.sender;
            }
        }
        return std::nullopt;
    }

    // Keeps the first seq a sender's id got; remembering it again changes nothing.
    void remember(AdvisorId sender, const std::string& id, std::uint64_t seq) {
        auto [it, inserted] = entries_.try_emplace(id, Entry{Use{sender, seq}, {}});
        if (inserted || seq_of(sender, id)) {
            return;
        }
        it->second.others.push_back(Use{sender, seq});
    }

private:
    struct Use {
        AdvisorId sender = 0;
        std::uint64_t seq = 0;
    };
    // Almost every id has one sender: that one is inline, the rare others in a vector that
    // allocates nothing while empty.
    struct Entry {
        Use first;
        std::vector<Use> others;
    };

    const Entry* find(const std::string& id) const {
        auto it = entries_.find(id);
        return it == entries_.end() ? nullptr : &it->second;
    }

    std::unordered_map<std::string, Entry> entries_;
};

} // namespace neuvo::core
