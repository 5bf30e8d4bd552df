#include "regiondigester.h"

#include "fileregionbody.h"

#include "core/backgroundpriority.h"

#include <QThread>
#include <QThreadPool>

#include <fcntl.h>
#include <memory>
#include <unistd.h>

namespace {

QThreadPool &pool()
{
    // One thread per core: hashing is CPU-bound, and more threads than cores would only take turns.
    static QThreadPool *threads = [] {
        auto *created = new QThreadPool;
        created->setMaxThreadCount(std::max(1, QThread::idealThreadCount()));
        created->setExpiryTimeout(30000);
        created->setObjectName(QStringLiteral("region-digester"));
        return created;
    }();
    return *threads;
}

RegionDigest digestOf(int fd, qint64 offset, qint64 length, const QString &fileName, bool crc64)
{
    RegionDigest digest;
    FileRegionBody body(
        fd, offset, length, fileName, crc64 ? FileRegionBody::Checksums::Md5AndCrc64 : FileRegionBody::Checksums::Md5);
    QByteArray buffer(256 * 1024, Qt::Uninitialized);
    while (body.position() < body.size()) {
        if (body.read(buffer.data(), buffer.size()) < 0) {
            digest.error = body.errorString();
            return digest;
        }
    }
    digest.md5 = body.md5();
    digest.crc64 = body.crc64();
    return digest;
}

} // namespace

std::future<RegionDigest> RegionDigester::start(
    int fd, qint64 offset, qint64 length, const QString &fileName, bool crc64)
{
    const int own = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    auto task = std::make_shared<std::packaged_task<RegionDigest()>>([own, offset, length, fileName, crc64] {
        RegionDigest digest = own >= 0 ? digestOf(own, offset, length, fileName, crc64) : RegionDigest{};
        if (own < 0)
            digest.error = QStringLiteral("cannot duplicate the descriptor of %1").arg(fileName);
        else
            ::close(own);
        return digest;
    });
    auto result = task->get_future();
    pool().start([task] {
        BackgroundPriority::lowerCurrentPoolThread(); // hashing yields to the GUI and API threads
        (*task)();
    });
    return result;
}
