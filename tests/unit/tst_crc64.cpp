// CRC-64/ECMA (OSS's x-oss-hash-crc64ecma): catalogue check value, known values, streaming in pieces, and the
// combination of two CRCs that builds a whole object's CRC from its parts'.
#include "storage/crc64.h"

#include <QRandomGenerator>
#include <QTest>

namespace {

// The definition, bit by bit: the reference the table-driven code is compared with.
quint64 bitwise(QByteArrayView data)
{
    quint64 crc = ~0ULL;
    for (const char c : data) {
        crc ^= quint64(static_cast<unsigned char>(c));
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 1) ? (crc >> 1) ^ 0xC96C5795D7870F42ULL : crc >> 1;
    }
    return ~crc;
}

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QRandomGenerator generator(seed);
    QByteArray data(size, Qt::Uninitialized);
    for (char &c : data)
        c = char(generator.bounded(256));
    return data;
}

} // namespace

class TestCrc64 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void knownValues_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<quint64>("crc");
        // The CRC-64/XZ catalogue check value; "a" computed independently (a bit-wise Python script).
        QTest::newRow("check") << QByteArray("123456789") << quint64(0x995DC9BBDF1939FAULL);
        QTest::newRow("empty") << QByteArray() << quint64(0);
        QTest::newRow("a") << QByteArray("a") << quint64(0x330284772E652B05ULL);
    }
    void knownValues()
    {
        QFETCH(QByteArray, data);
        QFETCH(quint64, crc);
        QCOMPARE(Crc64::compute(data), crc);
        QCOMPARE(bitwise(data), crc);
    }

    void tableMatchesDefinitionAtEveryLengthAndAlignment()
    {
        const QByteArray data = randomBytes(300, 7);
        for (int offset = 0; offset < 8; ++offset) {
            for (int length = 0; length + offset <= 80; ++length) {
                const QByteArrayView piece(data.constData() + offset, length);
                QCOMPARE(Crc64::compute(piece), bitwise(piece));
            }
        }
    }

    void streamingInPiecesEqualsOneGo()
    {
        const QByteArray data = randomBytes(1 << 20, 11);
        quint64 crc = 0;
        qsizetype position = 0;
        QRandomGenerator sizes(3);
        while (position < data.size()) {
            const qsizetype n = std::min<qsizetype>(sizes.bounded(1, 70000), data.size() - position);
            crc = Crc64::update(crc, data.constData() + position, size_t(n));
            position += n;
        }
        QCOMPARE(crc, Crc64::compute(data));
        QCOMPARE(crc, bitwise(data));
    }

    void combineEqualsCrcOfConcatenation()
    {
        const QByteArray data = randomBytes(3 * 100 * 1024 + 17, 5);
        for (const qsizetype split : {qsizetype(0), qsizetype(1), qsizetype(7), qsizetype(100 * 1024), data.size()}) {
            const QByteArrayView a(data.constData(), split);
            const QByteArrayView b(data.constData() + split, data.size() - split);
            QCOMPARE(Crc64::combine(Crc64::compute(a), Crc64::compute(b), quint64(b.size())), Crc64::compute(data));
        }
        // Many parts, folded in order, as the uploader does at Complete.
        quint64 whole = 0;
        for (qsizetype offset = 0; offset < data.size(); offset += 100 * 1024) {
            const QByteArrayView part(data.constData() + offset, std::min<qsizetype>(100 * 1024, data.size() - offset));
            whole = Crc64::combine(whole, Crc64::compute(part), quint64(part.size()));
        }
        QCOMPARE(whole, Crc64::compute(data));
    }

    void oneFlippedBitChangesTheCrc()
    {
        QByteArray data = randomBytes(4096, 9);
        const quint64 before = Crc64::compute(data);
        data[2048] = char(data[2048] ^ 0x10);
        QVERIFY(Crc64::compute(data) != before);
    }
};

QTEST_GUILESS_MAIN(TestCrc64)
#include "tst_crc64.moc"
