#include "crc64.h"

#include <QtEndian>

#include <array>
#include <cstring>

namespace Crc64 {

namespace {

constexpr quint64 kReflectedPoly = 0xC96C5795D7870F42ULL; // ECMA-182 0x42F0E1EBA9EA3693, bit-reversed

using Tables = std::array<std::array<quint64, 256>, 8>;

constexpr Tables makeTables()
{
    Tables t{};
    for (quint64 n = 0; n < 256; ++n) {
        quint64 crc = n;
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 1) ? (crc >> 1) ^ kReflectedPoly : crc >> 1;
        t[0][n] = crc;
    }
    for (int k = 1; k < 8; ++k) {
        for (int n = 0; n < 256; ++n)
            t[k][n] = (t[k - 1][n] >> 8) ^ t[0][t[k - 1][n] & 0xFF];
    }
    return t;
}

constexpr Tables kTables = makeTables();

// GF(2) matrix helpers for combine(): a 64x64 bit matrix as 64 column vectors.
using Matrix = std::array<quint64, 64>;

quint64 times(const Matrix &matrix, quint64 vector)
{
    quint64 sum = 0;
    for (int i = 0; vector; ++i, vector >>= 1) {
        if (vector & 1)
            sum ^= matrix[i];
    }
    return sum;
}

Matrix squared(const Matrix &matrix)
{
    Matrix out{};
    for (int n = 0; n < 64; ++n)
        out[n] = times(matrix, matrix[n]);
    return out;
}

} // namespace

quint64 update(quint64 crc, const void *data, size_t size)
{
    const auto *p = static_cast<const unsigned char *>(data);
    crc = ~crc;
    while (size >= 8) {
        quint64 word;
        std::memcpy(&word, p, 8);
        if constexpr (Q_BYTE_ORDER == Q_BIG_ENDIAN)
            word = qFromLittleEndian(word);
        crc ^= word;
        crc = kTables[7][crc & 0xFF] ^ kTables[6][(crc >> 8) & 0xFF] ^ kTables[5][(crc >> 16) & 0xFF]
            ^ kTables[4][(crc >> 24) & 0xFF] ^ kTables[3][(crc >> 32) & 0xFF] ^ kTables[2][(crc >> 40) & 0xFF]
            ^ kTables[1][(crc >> 48) & 0xFF] ^ kTables[0][crc >> 56];
        p += 8;
        size -= 8;
    }
    while (size--)
        crc = kTables[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

quint64 combine(quint64 crcA, quint64 crcB, quint64 lengthB)
{
    if (lengthB == 0)
        return crcA;
    // The operator for one zero bit, then squared up to one zero byte (8 bits) and on by powers of two.
    Matrix odd{};
    odd[0] = kReflectedPoly;
    for (int n = 1; n < 64; ++n)
        odd[n] = 1ULL << (n - 1);
    Matrix even = squared(odd); // two zero bits
    odd = squared(even); // four zero bits
    do {
        even = squared(odd);
        if (lengthB & 1)
            crcA = times(even, crcA);
        lengthB >>= 1;
        if (!lengthB)
            break;
        odd = squared(even);
        if (lengthB & 1)
            crcA = times(odd, crcA);
        lengthB >>= 1;
    } while (lengthB);
    return crcA ^ crcB;
}

} // namespace Crc64
