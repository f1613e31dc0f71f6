#pragma once

#include "neuvo/core/message_ids.hpp"
#include "neuvo/core/messages.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace neuvo::core {

// A private thread between two advisors, optionally about a client conversation. Only its two
// advisors ever receive anything of it; it holds no content and leaves no record.
class ConsultThread {
public:
    ConsultThread(std::string id, AdvisorId opener, AdvisorId colleague,
                  std::optional<ConsultSubject> about)
        : id_(std::move(id)), advisors_{opener, colleague}, about_(std::move(about)) {}

    const std::string& id() const { return id_; }
    const std::array<AdvisorId, 2>& advisors() const { return advisors_; }
    const std::optional<ConsultSubject>& about() const { return about_; }

    bool has(AdvisorId advisor) const { return advisors_[0] == advisor || advisors_[1] == advisor; }
    AdvisorId other_than(AdvisorId advisor) const {
        return advisors_[0] == advisor ? advisors_[1] : advisors_[0];
    }

    std::uint64_t take_next_seq() { return ++last_seq_; }

    std::optional<std::uint64_t> seq_of(AdvisorId sender, const std::string& message_id) const {
        return messages_.seq_of(sender, message_id);
    }
    void remember(AdvisorId sender, const std::string& message_id, std::uint64_t seq) {
        messages_.remember(sender, message_id, seq);
    }

private:
    std::string id_;
    std::array<AdvisorId, 2> advisors_;
    std::optional<ConsultSubject> about_;
    std::uint64_t last_seq_ = 0;
    MessageIds messages_;
};

} // namespace neuvo::core
