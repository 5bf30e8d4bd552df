// checksum-bench: how fast the per-part checks run on one core, over one buffer in memory (no disk, no network):
// CRC-64/ECMA as the uploader computes it for OSS (slicing-by-8), the same CRC byte by byte (the textbook table
// loop, for comparison), and MD5 through OpenSSL (the ETag check every part gets). Best of N passes, in MiB/s.
//   checksum-bench [--mib N] [--passes N]
#include "storage/crc64.h"
#include "storage/hashing.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QStringList>

#include <array>
#include <cstdio>
#include <functional>

namespace {

constexpr quint64 kPoly = 0xC96C5795D7870F42ULL;

quint64 bytewiseCrc64(const QByteArray &data)
{
    static const auto table = [] {
        std::array<quint64, 256> t{};
        for (quint64 n = 0; n < 256; ++n) {
            quint64 crc = n;
            for (int bit = 0; bit < 8; ++bit)
                crc = (crc & 1) ? (crc >> 1) ^ kPoly : crc >> 1;
            t[n] = crc;
        }
        return t;
    }();
    quint64 crc = ~0ULL;
    for (const char c : data)
        crc = table[(crc ^ static_cast<unsigned char>(c)) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

// Feeds the buffer in 64 KiB pieces, as libcurl hands a part body over.
template <typename Update>
void inPieces(const QByteArray &data, Update &&update)
{
    constexpr qsizetype kPiece = 64 * 1024;
    for (qsizetype offset = 0; offset < data.size(); offset += kPiece)
        update(data.constData() + offset, size_t(std::min(kPiece, data.size() - offset)));
}

double bestMiBps(const QByteArray &data, int passes, const std::function<quint64()> &run)
{
    double best = 0;
    volatile quint64 sink = 0; // keeps the work from being optimised away
    for (int pass = 0; pass < passes; ++pass) {
        QElapsedTimer timer;
        timer.start();
        sink = sink + run();
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        best = std::max(best, double(data.size()) / (1024.0 * 1024.0) / seconds);
    }
    return best;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const auto option = [&](const QString &name, int fallback) {
        const auto index = args.indexOf(name);
        return index >= 0 && index + 1 < args.size() ? args.at(index + 1).toInt() : fallback;
    };
    const int mib = option(QStringLiteral("--mib"), 256);
    const int passes = option(QStringLiteral("--passes"), 5);

    QByteArray data(qsizetype(mib) * 1024 * 1024, Qt::Uninitialized);
    QRandomGenerator generator(1);
    generator.fillRange(reinterpret_cast<quint32 *>(data.data()), data.size() / 4);

    const double slicing = bestMiBps(data, passes, [&] {
        quint64 crc = 0;
        inPieces(data, [&](const char *p, size_t n) { crc = Crc64::update(crc, p, n); });
        return crc;
    });
    const double bytewise = bestMiBps(data, passes, [&] { return bytewiseCrc64(data); });
    const double md5 = bestMiBps(data, passes, [&] {
        Hashing::StreamingDigest digest(Hashing::StreamingDigest::Algorithm::Md5);
        inPieces(data, [&](const char *p, size_t n) { digest.update(p, n); });
        return quint64(digest.finish().front());
    });
    const bool agree = bytewiseCrc64(data) == Crc64::compute(data);

    std::printf("| check (one core, %d MiB in memory, best of %d) | MiB/s |\n|---|---:|\n", mib, passes);
    std::printf("| CRC-64/ECMA, slicing-by-8 (engine) | %.0f |\n", slicing);
    std::printf("| CRC-64/ECMA, byte-wise table | %.0f |\n", bytewise);
    std::printf("| MD5 (OpenSSL) | %.0f |\n", md5);
    std::printf("| MD5 + CRC-64 per part (combined rate) | %.0f |\n", 1.0 / (1.0 / md5 + 1.0 / slicing));
    std::printf("\nslicing-by-8 and byte-wise results agree: %s\n", agree ? "yes" : "NO");
    return agree ? 0 : 1;
}
