#include "s3serverprocess.h"

#include <csignal>
#include <optional>
#include <sys/prctl.h>

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>

#include "storage/s3client.h"

#ifndef KEYSTONE_STRICT_S3_SERVER_PATH
#define KEYSTONE_STRICT_S3_SERVER_PATH ""
#endif
#ifndef KEYSTONE_S3RVER_SCRIPT
#define KEYSTONE_S3RVER_SCRIPT ""
#endif

namespace {

constexpr int kStartTimeoutMs = 20000;
constexpr int kStopTimeoutMs = 5000;
constexpr int kHttpTimeoutMs = 15000;
constexpr int kPollMs = 25;

const QString kBucket = QStringLiteral("keystone-test");
const QByteArray kRegion = "us-east-1";
// Fixed by the servers: the strict server's defaults, and the keys compiled into s3rver.
const QByteArray kStrictAccessKey = "AKIAKEYSTONETEST";
const QByteArray kStrictSecretKey = "keystone-strict-secret";
const QByteArray kS3rverAccessKey = "S3RVER";
const QByteArray kS3rverSecretKey = "S3RVER";

void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

// A signed S3 client of the server (its profile and keys) over a transport of its own: what test code uses to look
// at objects as any client would.
struct ServerClient
{
    explicit ServerClient(const S3ServerProcess &server)
        : transport(server.transportOptions())
        , client(server.clientProfile(), {server.accessKeyId(), server.secretAccessKey(), server.securityToken()},
              transport)
    { }
    CurlTransport transport;
    S3Client client;
};

// External mode (see the class comment): the settings of the real server, from the environment.
QString externalSetting(const char *suffix)
{
    return qEnvironmentVariable((QByteArray("KEYSTONE_TEST_S3_") + suffix).constData());
}

} // namespace

S3ServerProcess::S3ServerProcess(Kind kind)
    : m_kind(kind)
{ }

S3ServerProcess::~S3ServerProcess()
{
    stop();
    m_tempDir.reset(); // removes the data directory and the log
}

QString S3ServerProcess::kindName() const
{
    return m_kind == Kind::Strict ? QStringLiteral("strict-s3-server") : QStringLiteral("s3rver");
}

QString S3ServerProcess::programPath(Kind kind)
{
    return QString::fromUtf8(kind == Kind::Strict ? KEYSTONE_STRICT_S3_SERVER_PATH : KEYSTONE_S3RVER_SCRIPT);
}

bool S3ServerProcess::processAlive(qint64 pid)
{
    if (pid <= 0)
        return false;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    // "PID (comm) S ...": comm may contain spaces and parentheses, the state follows the last ')'.
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    if (close < 0 || close + 2 >= line.size())
        return false;
    const char state = line.at(close + 2);
    return state != 'Z' && state != 'X';
}

bool S3ServerProcess::externalMode()
{
    return !externalSetting("ENDPOINT").isEmpty();
}

bool S3ServerProcess::isExternal() const
{
    return m_kind == Kind::Strict && m_dialect == Dialect::S3 && !m_tls && externalMode();
}

bool S3ServerProcess::startExternal(QString *error)
{
    // Options of our server mean the test wants behaviour a real server does not offer on demand: refuse, so the
    // test fails loudly unless it skipped first.
    if (!m_extraArguments.isEmpty() || m_requestedPort != 0) {
        setError(error,
            QStringLiteral("external S3 server (KEYSTONE_TEST_S3_ENDPOINT): strict-s3-server options are unavailable "
                           "(%1)")
                .arg(m_extraArguments.isEmpty() ? QStringLiteral("--port") : m_extraArguments.join(QLatin1Char(' '))));
        return false;
    }
    const QUrl url(externalSetting("ENDPOINT"));
    const QStringList missing = [] {
        QStringList names;
        for (const char *suffix : {"ACCESS_KEY", "SECRET_KEY", "BUCKET", "REGION"}) {
            if (externalSetting(suffix).isEmpty())
                names << QStringLiteral("KEYSTONE_TEST_S3_") + QLatin1String(suffix);
        }
        return names;
    }();
    if (!url.isValid() || url.host().isEmpty() || url.port() <= 0 || !missing.isEmpty()) {
        setError(error,
            QStringLiteral("external S3 server: KEYSTONE_TEST_S3_ENDPOINT must be http://HOST:PORT (is \"%1\") and "
                           "set with the others (missing: %2)")
                .arg(url.toString(), missing.join(QLatin1String(", "))));
        return false;
    }
    QTcpSocket socket;
    socket.connectToHost(url.host(), quint16(url.port()));
    if (!socket.waitForConnected(kStartTimeoutMs)) {
        setError(error, QStringLiteral("external S3 server %1: %2").arg(url.toString(), socket.errorString()));
        return false;
    }
    socket.disconnectFromHost();
    m_port = quint16(url.port());
    m_externalStarted = true;
    return true;
}

bool S3ServerProcess::start(QString *error)
{
    stop();
    if (isExternal())
        return startExternal(error);
    if (!m_tempDir) {
        m_tempDir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/keystone-s3server-XXXXXX"));
        if (!m_tempDir->isValid()) {
            setError(error, QStringLiteral("cannot create a temporary directory: ") + m_tempDir->errorString());
            m_tempDir.reset();
            return false;
        }
    }
    if (!QDir().mkpath(dataDirectory())) {
        setError(error, QStringLiteral("cannot create ") + dataDirectory());
        return false;
    }

    QString program;
    QStringList arguments;
    const QString server = programPath(m_kind);
    if (m_kind == Kind::Strict) {
        if (server.isEmpty() || !QFileInfo(server).isExecutable()) {
            setError(error, QStringLiteral("strict-s3-server is not built (expected at \"%1\")").arg(server));
            return false;
        }
        program = server;
        arguments = {QStringLiteral("--root"), dataDirectory(), QStringLiteral("--port"),
            QString::number(m_requestedPort), QStringLiteral("--bucket"), kBucket};
        if (m_dialect == Dialect::Oss)
            arguments += {QStringLiteral("--dialect"), QStringLiteral("oss"), QStringLiteral("--region"),
                QString::fromLatin1(region())};
        if (!m_securityToken.isEmpty())
            arguments += {QStringLiteral("--security-token"), QString::fromLatin1(m_securityToken)};
        if (m_tls)
            arguments += {QStringLiteral("--tls-ca-out"), m_tempDir->filePath(QStringLiteral("ca.pem"))};
        arguments += m_extraArguments;
    } else {
        if (!QFileInfo::exists(server)) {
            setError(error,
                QStringLiteral("s3rver is not installed (%1 is missing): run scripts/install-deps.sh "
                               "or `npm ci` in tests/s3rver")
                    .arg(server));
            return false;
        }
        program = QStandardPaths::findExecutable(QStringLiteral("node"));
        if (program.isEmpty())
            program = QStandardPaths::findExecutable(QStringLiteral("nodejs"));
        if (program.isEmpty()) {
            setError(error, QStringLiteral("node is not on PATH (needed to run s3rver)"));
            return false;
        }
        // --port 0 works: s3rver prints the port it bound. --silent keeps per-request logs off stdout.
        arguments = {server, QStringLiteral("--directory"), dataDirectory(), QStringLiteral("--address"),
            QStringLiteral("127.0.0.1"), QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--silent"),
            QStringLiteral("--no-vhost-buckets"), QStringLiteral("--configure-bucket"), kBucket};
    }

    const QString logPath = m_tempDir->filePath(QStringLiteral("server.log"));
    QFile::remove(logPath);
    m_process = std::make_unique<QProcess>();
    m_process->setProgram(program);
    m_process->setArguments(arguments);
    m_process->setWorkingDirectory(m_tempDir->path());
    // stdout into a file: read without an event loop, and a chatty server can never block on a full
    // pipe while a test is busy. stderr goes straight to the test's output (crash traces stay visible).
    m_process->setStandardInputFile(QProcess::nullDevice());
    m_process->setStandardOutputFile(logPath);
    m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    // If the test process dies (crash, ctest timeout kill), the server goes with it.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_process->start();
    if (!m_process->waitForStarted(kStartTimeoutMs)) {
        setError(error, QStringLiteral("cannot start %1 (%2): %3").arg(kindName(), program, m_process->errorString()));
        m_process.reset();
        return false;
    }

    // Wait for "listening on http://127.0.0.1:PORT" (strict) or "S3rver listening on 127.0.0.1:PORT".
    static const QRegularExpression listening(QStringLiteral(R"(listening on (?:https?://)?127\.0\.0\.1:(\d+))"));
    const QDeadlineTimer deadline(kStartTimeoutMs);
    QFile log(logPath);
    while (m_port == 0) {
        if (log.isOpen() || log.open(QIODevice::ReadOnly)) {
            log.seek(0);
            const QRegularExpressionMatch match = listening.match(QString::fromUtf8(log.readAll()));
            if (match.hasMatch())
                m_port = quint16(match.captured(1).toUInt());
        }
        if (m_port != 0)
            break;
        if (m_process->state() == QProcess::NotRunning || m_process->waitForFinished(kPollMs)) {
            setError(error,
                QStringLiteral("%1 exited (code %2) before it was ready; output:\n%3")
                    .arg(kindName())
                    .arg(m_process->exitCode())
                    .arg(logTail()));
            m_process.reset();
            return false;
        }
        if (deadline.hasExpired()) {
            setError(error,
                QStringLiteral("%1 did not report a port within %2 ms; output:\n%3")
                    .arg(kindName())
                    .arg(kStartTimeoutMs)
                    .arg(logTail()));
            stop();
            return false;
        }
    }

    // It says it listens; confirm with a real connection.
    for (;;) {
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), m_port);
        if (socket.waitForConnected(int(qMax<qint64>(1, deadline.remainingTime())))) {
            socket.disconnectFromHost();
            return true;
        }
        if (deadline.hasExpired() || m_process->waitForFinished(kPollMs)) {
            setError(error,
                QStringLiteral("%1 reported port %2 but does not accept connections: %3")
                    .arg(kindName())
                    .arg(m_port)
                    .arg(socket.errorString()));
            stop();
            return false;
        }
    }
}

void S3ServerProcess::stop()
{
    if (m_process) {
        if (m_process->state() != QProcess::NotRunning) {
            m_process->terminate(); // SIGTERM to the server's PID
            if (!m_process->waitForFinished(kStopTimeoutMs)) {
                m_process->kill();
                m_process->waitForFinished(kStopTimeoutMs);
            }
        }
        m_process.reset(); // the child has been reaped: no zombie is left behind
    }
    m_port = 0;
    m_externalStarted = false;
}

bool S3ServerProcess::isRunning() const
{
    return m_externalStarted || (m_process && m_process->state() == QProcess::Running);
}

QUrl S3ServerProcess::endpoint() const
{
    if (m_port == 0)
        return {};
    if (m_externalStarted)
        return QUrl(externalSetting("ENDPOINT"));
    const QString host = m_dialect == Dialect::Oss ? QStringLiteral("localhost") : QStringLiteral("127.0.0.1");
    const QString scheme = caBundle().isEmpty() ? QStringLiteral("http") : QStringLiteral("https");
    return QUrl(QStringLiteral("%1://%2:%3").arg(scheme, host).arg(m_port));
}

QString S3ServerProcess::caBundle() const
{
    return m_tls && m_kind == Kind::Strict && m_port != 0 ? m_tempDir->filePath(QStringLiteral("ca.pem")) : QString();
}

TransportOptions S3ServerProcess::transportOptions() const
{
    TransportOptions options;
    options.caBundle = caBundle();
    return options;
}

EndpointProfile S3ServerProcess::clientProfile() const
{
    EndpointProfile profile;
    if (m_dialect == Dialect::Oss)
        profile.provider = EndpointProfile::Provider::AlibabaOss;
    profile.endpoint = endpoint();
    profile.region = QString::fromLatin1(region());
    profile.pathStyle = m_dialect == Dialect::S3;
    return profile;
}

QString S3ServerProcess::bucket() const
{
    return isExternal() ? externalSetting("BUCKET") : kBucket;
}

QString S3ServerProcess::dataDirectory() const
{
    return m_tempDir ? m_tempDir->filePath(QStringLiteral("data")) : QString();
}

QByteArray S3ServerProcess::accessKeyId() const
{
    if (isExternal())
        return externalSetting("ACCESS_KEY").toUtf8();
    return m_kind == Kind::Strict ? kStrictAccessKey : kS3rverAccessKey;
}

QByteArray S3ServerProcess::secretAccessKey() const
{
    if (isExternal())
        return externalSetting("SECRET_KEY").toUtf8();
    return m_kind == Kind::Strict ? kStrictSecretKey : kS3rverSecretKey;
}

QByteArray S3ServerProcess::region() const
{
    if (isExternal())
        return externalSetting("REGION").toUtf8();
    return m_dialect == Dialect::Oss ? QByteArray("cn-hangzhou") : kRegion;
}

qint64 S3ServerProcess::pid() const
{
    return m_process && m_process->state() == QProcess::Running ? m_process->processId() : 0;
}

bool S3ServerProcess::requireStrict(const char *what, QString *error) const
{
    if (m_kind != Kind::Strict || isExternal()) {
        setError(error,
            QStringLiteral("%1 exists on the strict server only%2")
                .arg(QLatin1String(what),
                    isExternal() ? QStringLiteral(" (an external server runs: KEYSTONE_TEST_S3_ENDPOINT)")
                                 : QString()));
        return false;
    }
    if (m_port == 0) {
        setError(error, QStringLiteral("the server is not running"));
        return false;
    }
    return true;
}

std::optional<QByteArray> S3ServerProcess::controlCall(
    const char *what, const QByteArray &method, const QString &path, const QByteArray &jsonBody, QString *error)
{
    if (!requireStrict(what, error))
        return std::nullopt;
    const HttpResult result = request(method, endpoint().resolved(QUrl(path)),
        jsonBody.isEmpty() ? QList<std::pair<QByteArray, QByteArray>>{}
                           : QList<std::pair<QByteArray, QByteArray>>{{"Content-Type", "application/json"}},
        jsonBody);
    if (result.status < 200 || result.status > 299) {
        setError(error,
            QStringLiteral("%1 %2: %3 %4")
                .arg(QString::fromLatin1(method), path)
                .arg(result.status)
                .arg(result.error.isEmpty() ? QString::fromUtf8(result.body) : result.error));
        return std::nullopt;
    }
    return result.body;
}

bool S3ServerProcess::injectFault(const QJsonObject &fault, QString *error)
{
    return controlCall("injectFault", "POST", QStringLiteral("/__keystone/faults"),
        QJsonDocument(fault).toJson(QJsonDocument::Compact), error)
        .has_value();
}

bool S3ServerProcess::clearFaults(QString *error)
{
    return controlCall("clearFaults", "DELETE", QStringLiteral("/__keystone/faults"), {}, error).has_value();
}

QJsonObject S3ServerProcess::stats(QString *error)
{
    const auto body = controlCall("stats", "GET", QStringLiteral("/__keystone/stats"), {}, error);
    if (!body)
        return {};
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(*body, &parseError);
    if (!document.isObject()) {
        setError(error, QStringLiteral("GET /__keystone/stats: %1").arg(parseError.errorString()));
        return {};
    }
    return document.object();
}

int S3ServerProcess::requestCount(const QString &op)
{
    return stats().value(QStringLiteral("requests")).toObject().value(op).toInt();
}

bool S3ServerProcess::resetStats(QString *error)
{
    return controlCall("resetStats", "DELETE", QStringLiteral("/__keystone/stats"), {}, error).has_value();
}

int S3ServerProcess::abortUploads(const QString &keyPrefix, QString *error)
{
    if (isExternal())
        return abortUploadsByS3(keyPrefix, error);
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("prefix"), keyPrefix}}).toJson();
    const auto answer = controlCall("abortUploads", "POST", QStringLiteral("/__keystone/uploads/abort"), body, error);
    if (!answer)
        return -1;
    return QJsonDocument::fromJson(*answer).object().value(QStringLiteral("aborted")).toInt(-1);
}

// A real server has no control endpoint: what an admin's cleanup does, through S3 (ListMultipartUploads, then
// AbortMultipartUpload of each).
int S3ServerProcess::abortUploadsByS3(const QString &keyPrefix, QString *error)
{
    ServerClient server(*this);
    S3Client &client = server.client;
    const auto uploads = client.listMultipartUploads(bucket(), keyPrefix);
    if (!uploads) {
        setError(error, QStringLiteral("ListMultipartUploads: %1").arg(uploads.error().toString()));
        return -1;
    }
    for (const S3Xml::MultipartUploadEntry &upload : uploads.value()) {
        const auto aborted = client.abortMultipartUpload(bucket(), upload.key, upload.uploadId);
        if (!aborted) {
            setError(error, QStringLiteral("AbortMultipartUpload %1: %2").arg(upload.key, aborted.error().toString()));
            return -1;
        }
    }
    return int(uploads.value().size());
}

int S3ServerProcess::inFlight(const QString &op)
{
    return stats().value(QStringLiteral("in_flight")).toObject().value(op).toInt();
}

int S3ServerProcess::unknownUploadRequests(const QString &op)
{
    return stats().value(QStringLiteral("unknown_upload_requests")).toObject().value(op).toInt();
}

QJsonObject S3ServerProcess::partCounts(const QJsonObject &snapshot, const QString &counter, const QString &key) const
{
    return snapshot.value(counter).toObject().value(bucket() + QLatin1Char('/') + key).toObject();
}

QJsonObject S3ServerProcess::partCounts(const QString &counter, const QString &key)
{
    return partCounts(stats(), counter, key);
}

bool S3ServerProcess::getObject(const QString &key, QByteArray *data, QString *error)
{
    if (m_port == 0) {
        setError(error, QStringLiteral("the server is not running"));
        return false;
    }
    ServerClient server(*this);
    S3Client &client = server.client;
    const auto body = client.getObject(bucket(), key);
    if (!body) {
        setError(error, QStringLiteral("GET %1: %2").arg(key, body.error().toString()));
        return false;
    }
    if (data)
        *data = body.value();
    return true;
}

bool S3ServerProcess::putObject(const QString &key, const QByteArray &data, QString *error)
{
    if (m_port == 0) {
        setError(error, QStringLiteral("the server is not running"));
        return false;
    }
    ServerClient server(*this);
    S3Client &client = server.client;
    const auto etag = client.putSmallObject(bucket(), key, data, "application/octet-stream");
    if (!etag) {
        setError(error, QStringLiteral("PUT %1: %2").arg(key, etag.error().toString()));
        return false;
    }
    return true;
}

S3ServerProcess::HttpResult S3ServerProcess::request(const QByteArray &method, const QUrl &url,
    const QList<std::pair<QByteArray, QByteArray>> &headers, const QByteArray &body)
{
    HttpResult result;
    QNetworkAccessManager manager;
    manager.setProxy(QNetworkProxy::NoProxy);
    QNetworkRequest networkRequest(url);
    networkRequest.setTransferTimeout(kHttpTimeoutMs);
    if (!caBundle().isEmpty()) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(QSslCertificate::fromPath(caBundle()));
        networkRequest.setSslConfiguration(tls);
    }
    for (const auto &[name, value] : headers)
        networkRequest.setRawHeader(name, value);
    QNetworkReply *reply = manager.sendCustomRequest(networkRequest, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    if (result.status == 0)
        result.error = reply->errorString();
    delete reply;
    return result;
}

QString S3ServerProcess::logTail() const
{
    if (!m_tempDir)
        return {};
    QFile log(m_tempDir->filePath(QStringLiteral("server.log")));
    if (!log.open(QIODevice::ReadOnly))
        return QStringLiteral("(no output)");
    const QByteArray all = log.readAll();
    return QString::fromUtf8(all.right(4000));
}
