// sync-runner: the sync engine in a process of its own, for tests that kill it (crash resume).
//   sync-runner --data-dir DIR --endpoint URL --bucket B [--register PATH NAME]... [--part-size BYTES]
//               [--parts N] [--episodes N]
// Credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. Prints "registered <id>", then a line
// "verified <id> <parts_completed> <committed_bytes>" whenever an episode's verified parts grow, and
// "finished <id> <state>" per episode; exits 0 once every episode is completed, 1 when one ended otherwise.
#include "storage/curlruntime.h"
#include "sync/syncengine.h"

#include <QCoreApplication>
#include <QProcessEnvironment>

#include <cstdio>

namespace {

void say(const QString &line)
{
    std::fputs(qPrintable(line + QLatin1Char('\n')), stdout);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char *argv[])
{
    const CurlRuntime curl;
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    SyncConfig config;
    config.profile.pathStyle = true;
    QList<std::pair<QString, QString>> toRegister;
    for (int i = 1; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        const QString value = args.value(i + 1);
        if (arg == QLatin1String("--data-dir"))
            config.dataDir = value;
        else if (arg == QLatin1String("--endpoint"))
            config.profile.endpoint = QUrl(value);
        else if (arg == QLatin1String("--bucket"))
            config.bucket = value;
        else if (arg == QLatin1String("--part-size"))
            config.upload.partSize = value.toLongLong();
        else if (arg == QLatin1String("--parts"))
            config.upload.concurrency = config.maxPartsInFlight = value.toInt();
        else if (arg == QLatin1String("--register")) {
            toRegister.append({value, args.value(i + 2)});
            ++i;
        } else {
            std::fprintf(stderr, "sync-runner: unknown argument %s\n", qPrintable(arg));
            return 2;
        }
        ++i;
    }
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    config.credentials = {environment.value(QStringLiteral("AWS_ACCESS_KEY_ID")).toUtf8(),
        environment.value(QStringLiteral("AWS_SECRET_ACCESS_KEY")).toUtf8(), {}};

    auto opened = SyncEngine::open(config);
    if (!opened) {
        std::fprintf(stderr, "sync-runner: %s\n", qPrintable(opened.error().message));
        return 3;
    }
    SyncEngine &engine = *opened.value();
    for (const auto &[path, name] : std::as_const(toRegister)) {
        engine.registerEpisode(path, name, [](const SyncResult<EpisodeStatus> &result) {
            if (result)
                say(QStringLiteral("registered %1").arg(result.value().record.id));
            else
                say(QStringLiteral("register failed: %1").arg(result.error().message));
        });
    }

    QHash<qint64, int> lastParts;
    const auto onEpisodeChanged = [&](qint64 id) {
        const auto status = engine.status(id);
        if (!status)
            return;
        if (status->progress && status->progress->partsCompleted > lastParts.value(id)) {
            lastParts[id] = status->progress->partsCompleted;
            say(QStringLiteral("verified %1 %2 %3")
                    .arg(id)
                    .arg(status->progress->partsCompleted)
                    .arg(status->progress->committedBytes));
        }
        if (!isTerminal(status->record.state))
            return;
        say(QStringLiteral("finished %1 %2").arg(id).arg(episodeStateName(status->record.state)));
        const QList<EpisodeStatus> all = engine.allStatuses();
        const bool allDone
            = std::all_of(all.cbegin(), all.cend(), [](const EpisodeStatus &s) { return isTerminal(s.record.state); });
        if (allDone) {
            const bool allCompleted = std::all_of(all.cbegin(), all.cend(),
                [](const EpisodeStatus &s) { return s.record.state == EpisodeState::Completed; });
            QCoreApplication::exit(allCompleted ? 0 : 1);
        }
    };
    QObject::connect(&engine, &SyncEngine::changed, &engine, [&](const EngineChanges &changes) {
        for (const qint64 id : changes.changedIds)
            onEpisodeChanged(id);
    });
    const int code = QCoreApplication::exec();
    opened.value().reset();
    return code;
}
