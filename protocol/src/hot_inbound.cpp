#include "hot_inbound.hpp"

#include "neuvo/protocol/schema.hpp"

#include "utf8.hpp"

#include <cstdint>
#include <limits>
#include <string>

namespace neuvo::protocol {
namespace {

// A left-to-right reader of one flat JSON object. Each method says so (false, or
// Next::malformed) when the text is not in the plain form it reads; the caller then gives up and
// leaves the frame to the tree.
class PlainObjectReader {
public:
    explicit PlainObjectReader(std::string_view text) : text_(text) {}

    bool open() {
        skip_space();
        return take('{');
    }

    enum class Next { key, end, malformed };

    // The next key, the end of the object, or something that is not the plain form. Keeping
    // the end apart from the rest matters: a key without its value is not the end.
    Next next_key(std::string_view& key) {
        skip_space();
        if (peek('}'))
            return Next::end;
        if (first_) {
            first_ = false;
        } else if (!take(',')) {
            return Next::malformed;
        }
        skip_space();
        if (!string(key))
            return Next::malformed;
        skip_space();
        return take(':') ? Next::key : Next::malformed;
    }

    // After next_key said end: the object closes and nothing but space follows it.
    bool closed() {
        skip_space();
        if (!take('}'))
            return false;
        skip_space();
        return at_ == text_.size();
    }

    // A string without escapes, of valid UTF-8 with no control characters (JSON forbids them raw).
    bool string(std::string_view& value) {
        skip_space();
        if (!take('"'))
            return false;
        const std::size_t begin = at_;
        while (at_ < text_.size()) {
            const auto c = static_cast<unsigned char>(text_[at_]);
            if (c == '"') {
                value = text_.substr(begin, at_ - begin);
                ++at_;
                return valid_utf8(value);
            }
            if (c == '\\' || c < 0x20)
                return false;
            ++at_;
        }
        return false;
    }

    // A non-negative integer written as JSON writes it: no sign, fraction, exponent or leading
    // zero, and small enough for 64 bits (the tree reads larger ones as floating point).
    bool count(std::uint64_t& value) {
        skip_space();
        const std::size_t begin = at_;
        std::uint64_t total = 0;
        while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9') {
            const auto digit = static_cast<std::uint64_t>(text_[at_] - '0');
            if (total > (std::numeric_limits<std::uint64_t>::max() - digit) / 10)
                return false;
            total = total * 10 + digit;
            ++at_;
        }
        const std::size_t length = at_ - begin;
        if (length == 0 || (length > 1 && text_[begin] == '0'))
            return false;
        if (at_ < text_.size() && (text_[at_] == '.' || text_[at_] == 'e' || text_[at_] == 'E'))
            return false;
        value = total;
        return true;
    }

private:
    void skip_space() {
        while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' ||
                                      text_[at_] == '\n' || text_[at_] == '\r'))
            ++at_;
    }
    bool peek(char c) const { return at_ < text_.size() && text_[at_] == c; }
    bool take(char c) {
        if (!peek(c))
            return false;
        ++at_;
        return true;
    }

    std::string_view text_;
    std::size_t at_ = 0;
    bool first_ = true;
};

} // namespace

std::optional<Inbound> decode_hot_inbound(std::string_view frame) {
    PlainObjectReader reader(frame);
    if (!reader.open())
        return std::nullopt;

    // Each field at most once: the tree keeps the last of repeated keys, the shortcut leaves
    // such frames to it.
    std::optional<std::string_view> type, id, conversation, text;
    std::optional<std::uint64_t> seq;
    std::string_view key;
    PlainObjectReader::Next next;
    while ((next = reader.next_key(key)) == PlainObjectReader::Next::key) {
        std::string_view value;
        if (key == "seq") {
            std::uint64_t number = 0;
            if (seq || !reader.count(number))
                return std::nullopt;
            seq = number;
            continue;
        }
        std::optional<std::string_view>* slot = key == "type"           ? &type
                                                : key == "id"           ? &id
                                                : key == "conversation" ? &conversation
                                                : key == "text"         ? &text
                                                                        : nullptr;
        if (slot == nullptr || slot->has_value() || !reader.string(value))
            return std::nullopt;
        *slot = value;
    }
    if (next != PlainObjectReader::Next::end || !reader.closed() || !type || !conversation)
        return std::nullopt;

    if (*type == "message" && id && text && !seq && !id->empty() && id->size() <= max_id_length)
        return SendText{std::string(*id), std::string(*conversation), std::string(*text)};
    if (*type == "ack" && seq && !id && !text)
        return Acknowledge{std::string(*conversation), *seq};
    return std::nullopt;
}

} // namespace neuvo::protocol
