#include "uploadcommand.h"

#include "sync/progresstext.h"

#include "consoleoutput.h"
#include "optionvalues.h"
#include "storage/plaintextendpoint.h"
#include "storage/uploadjob.h"
#include "unixsignalwatcher.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <cstdio>
#include <unistd.h>

namespace {

void printJson(const QJsonObject &object)
{
    printLine(stdout, QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
}

QString formatEta(qint64 seconds)
{
    return seconds < 0 ? QStringLiteral("-") : ProgressText::duration(seconds);
}

// "s3://bucket/key" → bucket, key. A key that is empty or ends with '/' gets the local name appended.
bool parseTarget(const QString &target, const QString &localPath, QString *bucket, QString *key)
{
    if (!target.startsWith(QLatin1String("s3://")))
        return false;
    const QString rest = target.mid(5);
    const qsizetype slash = rest.indexOf(QLatin1Char('/'));
    *bucket = slash < 0 ? rest : rest.left(slash);
    *key = slash < 0 ? QString() : rest.mid(slash + 1);
    if (key->isEmpty() || key->endsWith(QLatin1Char('/')))
        *key += QFileInfo(QFileInfo(localPath).absoluteFilePath()).fileName();
    return !bucket->isEmpty() && !key->isEmpty();
}

} // namespace

int UploadCommand::run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Upload a file, or every file of a folder, to S3-compatible storage with "
                                        "verified multipart uploads."));
    OptionValues::addCommonOptions(parser);
    parser.addPositionalArgument(QStringLiteral("upload"), tr("The command."));
    parser.addPositionalArgument(
        QStringLiteral("PATH"), tr("A file, or a folder (each file goes to KEY/relative-path)."));
    parser.addPositionalArgument(QStringLiteral("s3://BUCKET/KEY"), tr("Where to put it."));
    const QCommandLineOption jsonProgress(
        QStringLiteral("json-progress"), tr("Report progress as JSON lines on stdout."));
    parser.addOption(jsonProgress);
    StorageCommandLine storage;
    storage.addOptions(parser);

    QString bucket, key;
    OptionValues values(parser);
    const auto earlyExit = values.parseOrExitCode(arguments, Ok,
        [](const QString &message) { return printFailure(tr("keystone-console upload: %1").arg(message), Usage); });
    if (earlyExit)
        return *earlyExit;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 3 || !parseTarget(positional.at(2), positional.at(1), &bucket, &key)) {
        printLine(stderr, tr("usage: keystone-console upload [options] PATH s3://BUCKET/KEY (see --help)"));
        return Usage;
    }
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (const auto read = storage.read(values, environment); !read) {
        printLine(stderr, tr("keystone-console upload: %1").arg(read.error().message));
        return Usage;
    }
    const auto items = UploadJob::itemsForPath(positional.at(1), key);
    if (!items) {
        printLine(stderr, tr("keystone-console upload: %1").arg(items.error().message));
        return Usage;
    }
    // The source is logged (keystone.config, info), not printed: scripts rely on one stderr line per failure.
    if (const auto found
        = storage.readCredentials(values, environment, values.fileValue(QStringLiteral("access-key-id")));
        !found) {
        printLine(stderr, tr("keystone-console upload: %1").arg(found.error().message));
        return Usage;
    }

    m_jsonProgress = parser.isSet(jsonProgress);
    m_terminal = !m_jsonProgress && ::isatty(STDERR_FILENO);

    PlainTextEndpoint::logIfExposed(storage.profile.endpoint); // the engine does this for the console and --server
    UploadJob job({storage.profile, storage.credentials, storage.transport, storage.options, bucket, items.value()});
    int exitCode = Failed;
    bool interrupted = false;
    UnixSignalWatcher signals;
    QObject::connect(&signals, &UnixSignalWatcher::terminationRequested, &job, [&] {
        interrupted = true;
        job.kill();
    });
    QObject::connect(&job, &UploadJob::progressChanged, &job, [this](const TransferProgress &p) { printProgress(p); });
    QObject::connect(
        &job, &UploadJob::partRetrying, &job, [this](const QString &k, int part, int attempt, const StorageError &e) {
            if (m_jsonProgress)
                printJson({{QStringLiteral("event"), QStringLiteral("retry")}, {QStringLiteral("key"), k},
                    {QStringLiteral("part"), part}, {QStringLiteral("attempt"), attempt},
                    {QStringLiteral("error"), e.toString()}});
        });
    QObject::connect(
        &job, &UploadJob::fileCompleted, &job, [this](const QString &k, const QByteArray &etag, int parts) {
            if (m_jsonProgress) {
                printJson({{QStringLiteral("event"), QStringLiteral("file_completed")}, {QStringLiteral("key"), k},
                    {QStringLiteral("etag"), QString::fromLatin1(etag)}, {QStringLiteral("parts"), parts}});
            } else {
                if (m_terminal)
                    std::fputs("\r\033[K", stderr);
                printLine(
                    stderr, tr("uploaded %1 (%2 parts, ETag %3)").arg(k).arg(parts).arg(QString::fromLatin1(etag)));
            }
        });
    QObject::connect(&job, &UploadJob::finished, &job, [&](const StorageError &failure) {
        const TransferProgress last = job.progress();
        if (m_terminal)
            std::fputs("\r\033[K", stderr);
        if (!failure.isError()) {
            exitCode = Ok;
            if (m_jsonProgress)
                printJson({{QStringLiteral("event"), QStringLiteral("completed")},
                    {QStringLiteral("files"), last.filesCompleted}, {QStringLiteral("bytes"), last.committedBytes}});
            else
                printLine(stderr,
                    tr("done: %1 files, %2")
                        .arg(last.filesCompleted)
                        .arg(QLocale::system().formattedDataSize(last.committedBytes)));
        } else {
            exitCode = interrupted ? Interrupted : Failed;
            if (m_jsonProgress)
                printJson({{QStringLiteral("event"), QStringLiteral("failed")},
                    {QStringLiteral("code"), failure.s3Code}, {QStringLiteral("http_status"), failure.httpStatus},
                    {QStringLiteral("retryable"), failure.retryable}, {QStringLiteral("message"), failure.toString()}});
            printLine(stderr, tr("keystone-console upload: failed: %1").arg(failure.toString()));
        }
        QCoreApplication::exit(exitCode);
    });
    job.start();
    QCoreApplication::exec();
    return exitCode;
}

void UploadCommand::printProgress(const TransferProgress &p)
{
    if (m_jsonProgress) {
        printJson({{QStringLiteral("event"), QStringLiteral("progress")},
            {QStringLiteral("committed_bytes"), p.committedBytes}, {QStringLiteral("inflight_bytes"), p.inflightBytes},
            {QStringLiteral("total_bytes"), p.totalBytes}, {QStringLiteral("parts_completed"), p.partsCompleted},
            {QStringLiteral("parts_total"), p.partsTotal}, {QStringLiteral("files_completed"), p.filesCompleted},
            {QStringLiteral("files_total"), p.filesTotal},
            {QStringLiteral("bytes_per_second"), qRound64(p.bytesPerSecond)},
            {QStringLiteral("eta_seconds"), p.etaSeconds < 0 ? QJsonValue() : QJsonValue(p.etaSeconds)}});
        return;
    }
    if (!m_terminal)
        return;
    const QString line = tr("%1 %  %2  %3  ETA %4  parts %5/%6")
                             .arg(ProgressText::percent(p.committedBytes, p.totalBytes, false), 3)
                             .arg(ProgressText::amount(p.committedBytes, p.totalBytes),
                                 ProgressText::speed(p.bytesPerSecond), formatEta(p.etaSeconds))
                             .arg(p.partsCompleted)
                             .arg(p.partsTotal);
    std::fputs(qPrintable(QStringLiteral("\r\033[K") + line), stderr);
    std::fflush(stderr);
}
