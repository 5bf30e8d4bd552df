#pragma once

#include "s3serverprocess.h"

#include <QList>
#include <QString>

#include <memory>

// The strict server three ways, for suites whose tests run against each: S3 ("s3" or "strict"), Alibaba OSS's
// native protocol ("oss") and S3 over TLS with a test CA the server made ("https").
class StrictServers
{
public:
    // Starts all three; false with *error set if one does not start.
    bool start(QString *error);
    void stop();

    // By a data row's tag (or a test's own name for it): "oss", "https"; anything else is the S3 one.
    S3ServerProcess &byName(const QString &name) const;
    // The one the current data row names (QTest::currentDataTag()); S3 outside data-driven tests.
    S3ServerProcess &current() const;
    // Clears every fault and zeroes the counters of each (a test's init()); an external server is left alone.
    bool resetAll() const;

    S3ServerProcess &s3() const { return *m_s3; }
    S3ServerProcess &oss() const { return *m_oss; }
    S3ServerProcess &https() const { return *m_https; }

private:
    std::unique_ptr<S3ServerProcess> m_s3;
    std::unique_ptr<S3ServerProcess> m_oss;
    std::unique_ptr<S3ServerProcess> m_https;
};
