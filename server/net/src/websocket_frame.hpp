#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace neuvo::net {

// The header of one unfragmented, unmasked WebSocket text frame (RFC 6455, section 5.2): what a
// server puts before a message's payload. The server writes its messages' frames itself so that
// several can leave in one system write (coalescing_stream.hpp); Beast still reads every frame
// and writes the control frames.
class TextFrameHeader {
public:
    explicit TextFrameHeader(std::size_t payload_size) {
        bytes_[0] = static_cast<char>(0x81); // FIN, opcode 1 (text)
        if (payload_size < 126) {
            bytes_[1] = static_cast<char>(payload_size);
            size_ = 2;
        } else if (payload_size <= 0xFFFF) {
            bytes_[1] = 126;
            put_big_endian(payload_size, 2);
            size_ = 4;
        } else {
            bytes_[1] = 127;
            put_big_endian(payload_size, 8);
            size_ = 10;
        }
    }

    std::string_view view() const { return {bytes_.data(), size_}; }

private:
    void put_big_endian(std::uint64_t value, std::size_t width) {
        for (std::size_t i = 0; i < width; ++i)
            bytes_[2 + i] = static_cast<char>((value >> (8 * (width - 1 - i))) & 0xFF);
    }

    std::array<char, 10> bytes_{};
    std::size_t size_ = 0;
};

} // namespace neuvo::net
