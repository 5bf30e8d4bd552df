// RegionDigester: the MD5 and CRC-64 of a file region, computed on its pool from a descriptor of its own; a region
// that cannot be read whole is an error, never a digest of fewer bytes.
#include "storage/crc64.h"
#include "storage/hashing.h"
#include "storage/regiondigester.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <fcntl.h>
#include <unistd.h>

class TestRegionDigester : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void digestsTheRegion_data();
    void digestsTheRegion();
    void callerMayCloseItsDescriptor();
    void shortRegionIsAnError();
    void manyAtOnce();

private:
    int openFile() const { return ::open(QFile::encodeName(m_path).constData(), O_RDONLY | O_CLOEXEC); }

    QTemporaryDir m_dir;
    QString m_path;
    QByteArray m_data;
};

void TestRegionDigester::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_data.resize(3 * 1024 * 1024 + 17);
    QRandomGenerator generator(7);
    generator.fillRange(reinterpret_cast<quint32 *>(m_data.data()), m_data.size() / 4);
    m_path = m_dir.filePath(QStringLiteral("data.bin"));
    QFile file(m_path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(m_data), m_data.size());
}

void TestRegionDigester::digestsTheRegion_data()
{
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<qint64>("length");
    QTest::newRow("whole") << qint64(0) << qint64(m_data.size());
    QTest::newRow("middle, odd sizes") << qint64(1000003) << qint64(1048583);
    QTest::newRow("empty") << qint64(5) << qint64(0);
}

void TestRegionDigester::digestsTheRegion()
{
    QFETCH(qint64, offset);
    QFETCH(qint64, length);
    const int fd = openFile();
    QVERIFY(fd >= 0);
    auto future = RegionDigester::start(fd, offset, length, m_path, true);
    const RegionDigest digest = future.get();
    ::close(fd);
    QVERIFY2(digest.error.isEmpty(), qPrintable(digest.error));
    const QByteArrayView region = QByteArrayView(m_data).sliced(offset, length);
    QCOMPARE(digest.md5, Hashing::md5(region));
    QCOMPARE(digest.crc64, Crc64::compute(region));
}

void TestRegionDigester::callerMayCloseItsDescriptor()
{
    const int fd = openFile();
    QVERIFY(fd >= 0);
    auto future = RegionDigester::start(fd, 0, m_data.size(), m_path, false);
    ::close(fd); // the uploader may end (and close its file) while a part is still being hashed
    const RegionDigest digest = future.get();
    QVERIFY2(digest.error.isEmpty(), qPrintable(digest.error));
    QCOMPARE(digest.md5, Hashing::md5(m_data));
}

void TestRegionDigester::shortRegionIsAnError()
{
    const int fd = openFile();
    QVERIFY(fd >= 0);
    const RegionDigest digest = RegionDigester::start(fd, m_data.size() - 10, 100, m_path, false).get();
    ::close(fd);
    QVERIFY(!digest.error.isEmpty());
    QVERIFY(digest.error.contains(m_path));
}

void TestRegionDigester::manyAtOnce()
{
    // More regions than pool threads: every one is digested, each to its own bytes.
    const int fd = openFile();
    QVERIFY(fd >= 0);
    const qint64 piece = 256 * 1024;
    std::vector<std::future<RegionDigest>> futures;
    for (qint64 offset = 0; offset + piece <= m_data.size(); offset += piece)
        futures.push_back(RegionDigester::start(fd, offset, piece, m_path, false));
    QVERIFY(int(futures.size()) > QThread::idealThreadCount());
    for (size_t i = 0; i < futures.size(); ++i)
        QCOMPARE(futures[i].get().md5, Hashing::md5(QByteArrayView(m_data).sliced(qint64(i) * piece, piece)));
    ::close(fd);
}

QTEST_GUILESS_MAIN(TestRegionDigester)
#include "tst_regiondigester.moc"
