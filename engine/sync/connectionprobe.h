#pragma once

#include "core/awscredentials.h"
#include "storage/endpointprofile.h"

#include <QObject>
#include <QString>

// "Test connection": a real HeadBucket with the values as entered (not the running configuration), on a worker
// thread with its own CurlTransport, so the GUI thread never waits. finished() arrives on the probe's thread with the
// outcome in words. A refused HEAD says only "403", so the probe then asks once more with a GET of an object that does
// not exist: its error body names the reason (SignatureDoesNotMatch, InvalidAccessKeyId, ...).
// The worker owns everything it touches and the thread deletes itself: deleting the probe mid-test (its dialog
// closed) is safe, finished() is then simply not emitted.
class ConnectionProbe : public QObject
{
    Q_OBJECT

public:
    ConnectionProbe(EndpointProfile profile, AwsCredentials credentials, QString bucket, QObject *parent = nullptr);

    void start(); // once; finished() follows
    [[nodiscard]] bool isRunning() const { return m_running; }

Q_SIGNALS:
    // ok: the bucket answered to these credentials; message: that, or the storage's error (no secrets in it).
    void finished(bool ok, const QString &message);

private:
    EndpointProfile m_profile;
    AwsCredentials m_credentials;
    QString m_bucket;
    bool m_running = false;
};
