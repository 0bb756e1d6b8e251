// icrl/crc32.hpp - CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum of every
// file icrl writes. crc32("123456789") == 0xCBF43926. Incremental: pass the previous value.
#pragma once

#include <cstddef>
#include <cstdint>

namespace icrl {

std::uint32_t crc32(const void* data, std::size_t size, std::uint32_t previous = 0) noexcept;

}  // namespace icrl
