#include "hot_frames.hpp"

#include "timestamp.hpp"
#include "utf8.hpp"

#include <charconv>
#include <cstdint>
#include <string_view>

namespace neuvo::protocol {
namespace {

// A JSON object written in place; the caller gives the keys in nlohmann's (sorted) order.
class ObjectWriter {
public:
    explicit ObjectWriter(std::size_t expected) { out_.reserve(expected); }

    void string(std::string_view key, std::string_view value) {
        start(key);
        quoted(value);
    }
    void number(std::string_view key, std::uint64_t value) {
        start(key);
        char digits[24];
        auto [end, error] = std::to_chars(digits, digits + sizeof digits, value);
        (void)error; // 24 digits hold any 64-bit number
        out_.append(digits, end);
    }
    void boolean(std::string_view key, bool value) {
        start(key);
        out_ += value ? "true" : "false";
    }
    std::string finish() && {
        out_ += out_.empty() ? "{}" : "}";
        return std::move(out_);
    }

private:
    std::string out_;

    void start(std::string_view key) {
        out_ += out_.empty() ? '{' : ',';
        quoted(key);
        out_ += ':';
    }

    // nlohmann's escapes with ensure_ascii off: the two-character forms it knows, \u00xx (lower
    // case) for the other control characters, everything else as it is.
    void quoted(std::string_view text) {
        out_ += '"';
        std::size_t plain_from = 0;
        for (std::size_t i = 0; i < text.size(); ++i) {
            const auto c = static_cast<unsigned char>(text[i]);
            if (c >= 0x20 && c != '"' && c != '\\')
                continue;
            out_.append(text.data() + plain_from, i - plain_from);
            plain_from = i + 1;
            switch (c) {
            case '"':
                out_ += "\\\"";
                break;
            case '\\':
                out_ += "\\\\";
                break;
            case '\b':
                out_ += "\\b";
                break;
            case '\f':
                out_ += "\\f";
                break;
            case '\n':
                out_ += "\\n";
                break;
            case '\r':
                out_ += "\\r";
                break;
            case '\t':
                out_ += "\\t";
                break;
            default: {
                static const char hex[] = "0123456789abcdef";
                const char escaped[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0x0f]};
                out_.append(escaped, sizeof escaped);
            }
            }
        }
        out_.append(text.data() + plain_from, text.size() - plain_from);
        out_ += '"';
    }
};

std::optional<std::string> encode(const core::ChatMessage& m) {
    if (!valid_utf8(m.text) || !valid_utf8(m.author) || !valid_utf8(m.conversation) ||
        !valid_utf8(m.message_id))
        return std::nullopt;
    ObjectWriter json(m.text.size() + m.author.size() + m.conversation.size() +
                      m.message_id.size() + 128);
    if (!m.author.empty())
        json.string("author", m.author);
    json.string("conversation", m.conversation);
    json.string("from", core::role_name(m.from));
    json.string("id", m.message_id);
    json.string("sent_at", format_timestamp(m.sent_at));
    json.number("seq", m.seq);
    json.string("text", m.text);
    json.string("type", "message");
    return std::move(json).finish();
}

std::optional<std::string> encode(const core::MessageAccepted& m) {
    if (!valid_utf8(m.conversation) || !valid_utf8(m.message_id))
        return std::nullopt;
    ObjectWriter json(m.conversation.size() + m.message_id.size() + 96);
    // "consult" and "conversation" both sort before "duplicate".
    json.string(m.consult ? "consult" : "conversation", m.conversation);
    json.boolean("duplicate", m.duplicate);
    json.string("id", m.message_id);
    json.number("seq", m.seq);
    json.string("type", "accepted");
    return std::move(json).finish();
}

std::optional<std::string> encode(const core::Typing& m) {
    if (!valid_utf8(m.conversation) || !valid_utf8(m.name))
        return std::nullopt;
    ObjectWriter json(m.conversation.size() + m.name.size() + 80);
    json.string("conversation", m.conversation);
    json.string("from", core::role_name(m.from));
    if (!m.name.empty())
        json.string("name", m.name);
    json.string("type", "typing");
    return std::move(json).finish();
}

} // namespace

std::optional<std::string> encode_hot_frame(const core::Outbound& message) {
    if (const auto* chat = std::get_if<core::ChatMessage>(&message))
        return encode(*chat);
    if (const auto* accepted = std::get_if<core::MessageAccepted>(&message))
        return encode(*accepted);
    if (const auto* typing = std::get_if<core::Typing>(&message))
        return encode(*typing);
    return std::nullopt;
}

} // namespace neuvo::protocol
