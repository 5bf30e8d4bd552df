#include "scriptcommand.h"

#include "api/apikeys.h"
#include "api/apilocation.h"
#include "consoleoutput.h"
#include "engineoptions.h"
#include "failurereporter.h"
#include "localapiclient.h"
#include "optionvalues.h"
#include "readingverbs.h"
#include "statusformatter.h"
#include "translatedoptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>
#include <cstring>

namespace {

constexpr int kRequestTimeoutMs = 10000;

struct Verb
{
    const char *name;
    const char *operands; // for --help
    const char *description;
};

const Verb kVerbs[] = {
    {"add", "PATH",
        QT_TRANSLATE_NOOP("ScriptCommand",
            "Register a file or folder as an episode and queue it; prints "
            "the new episode id.")},
    {"sync", "ID...",
        QT_TRANSLATE_NOOP("ScriptCommand",
            "Queue episodes now (failed or cancelled ones get a fresh "
            "attempt budget).")},
    {"status", "ID...", QT_TRANSLATE_NOOP("ScriptCommand", "Show the status of episodes.")},
    {"cancel", "ID...", QT_TRANSLATE_NOOP("ScriptCommand", "Cancel pending or uploading episodes.")},
    {"retry", "ID...", QT_TRANSLATE_NOOP("ScriptCommand", "Queue failed or cancelled episodes again.")},
    {"pause", "ID...",
        QT_TRANSLATE_NOOP("ScriptCommand",
            "Pause pending or uploading episodes: an upload stops at once, its verified parts are kept, and the "
            "episode is not started again until resumed (also across restarts).")},
    {"resume", "ID...",
        QT_TRANSLATE_NOOP(
            "ScriptCommand", "Resume paused episodes: they are queued again and continue from their verified parts.")},
    {"rescan", "ID...",
        QT_TRANSLATE_NOOP("ScriptCommand",
            "Re-read the episodes' folders and continue with the files that did not change (after a file changed "
            "or went missing).")},
    {"priority", "ID N",
        QT_TRANSLATE_NOOP("ScriptCommand",
            "Set an episode's priority (-1000 to 1000, default 0): higher starts first among pending episodes.")},
    {"list", "", QT_TRANSLATE_NOOP("ScriptCommand", "List episodes.")},
    {"throttle", "[recording|off]",
        QT_TRANSLATE_NOOP("ScriptCommand",
            "Recording mode: 'recording' makes uploads yield to a recorder on this station (the recording limit, one "
            "part in flight per episode; --limit 0 holds them) until 'off' or --for runs out. Without an operand: "
            "show the mode and the limit in force.")},
    {"watch", "[ID...]",
        QT_TRANSLATE_NOOP("ScriptCommand",
            "Show live progress until every watched episode (default: "
            "all pending or uploading ones) is completed, failed or "
            "cancelled.")},
};

const QCommandLineOption kTokenFile(QStringLiteral("token-file"),
    ScriptCommand::tr("The API token of the instance (default: <data-dir>/api-token)."), QStringLiteral("file"));
const QCommandLineOption kName(QStringLiteral("name"),
    ScriptCommand::tr("Episode name: unique, one path segment (default: the file or folder name)."),
    QStringLiteral("name"));
const QCommandLineOption kJson(
    QStringLiteral("json"), ScriptCommand::tr("Print the API's JSON (one line) instead of a table."));
const QCommandLineOption kLimit(QStringLiteral("limit"),
    ScriptCommand::tr(
        "Upload limit while recording, e.g. 5M (bytes per second; 0 holds uploads). Default: the configured "
        "--recording-limit, else a tenth of the measured uplink."),
    QStringLiteral("rate"));
const QCommandLineOption kFor(QStringLiteral("for"),
    ScriptCommand::tr("End recording mode by itself after this long: 90s, 30m, 2h."), QStringLiteral("duration"));
const QCommandLineOption kStatus(QStringLiteral("status"),
    ScriptCommand::tr(
        "Only episodes in this state (pending, in_progress, completed, failed, cancelled) or at this stage (queued, "
        "starting, resuming, uploading, completing, writing_manifest, waiting_retry, waiting_storage, paused)."),
    QStringLiteral("state"));

const Verb *findVerb(const QString &name)
{
    for (const Verb &verb : kVerbs) {
        if (name == QLatin1String(verb.name))
            return &verb;
    }
    return nullptr;
}

// Positive decimal integers as the API accepts them (no sign, no spaces, at most 2^63-1).
bool parseIds(const QStringList &operands, QList<qint64> *ids, QString *bad)
{
    static const QRegularExpression digits(QStringLiteral("^[1-9][0-9]{0,18}$"));
    for (const QString &operand : operands) {
        bool ok = false;
        const qint64 id = digits.match(operand).hasMatch() ? operand.toLongLong(&ok) : 0;
        if (!ok) {
            *bad = operand;
            return false;
        }
        ids->append(id);
    }
    return true;
}

// Where a client reaches the instance that listens as `api` says: its Unix socket if the file exists (a socket, or
// whatever is there: then the request fails), and its TCP address, a wildcard one as loopback.
ApiEndpoint endpointOf(const ApiConfig &api)
{
    ApiEndpoint endpoint;
    if (QFileInfo(api.unixSocketPath).exists())
        endpoint.unixSocketPath = api.unixSocketPath;
    endpoint.address = api.address;
    if (endpoint.address == QHostAddress::Any || endpoint.address == QHostAddress::AnyIPv4)
        endpoint.address = QHostAddress::LocalHost; // a server on every interface is also on loopback
    else if (endpoint.address == QHostAddress::AnyIPv6)
        endpoint.address = QHostAddress::LocalHostIPv6;
    endpoint.port = api.port;
    return endpoint;
}

QString idPath(const char *format, qint64 id)
{
    return QString::fromLatin1(format).arg(id);
}

} // namespace

ScriptCommand::ScriptCommand() = default;
ScriptCommand::~ScriptCommand() = default;

bool ScriptCommand::isVerb(const char *argument)
{
    return argument && findVerb(QString::fromLocal8Bit(argument)) != nullptr;
}

int ScriptCommand::run(const QStringList &arguments)
{
    m_verb = arguments.value(1);
    const Verb *verb = findVerb(m_verb);
    if (!verb)
        return usage(tr("unknown verb '%1'").arg(m_verb));
    QCommandLineParser parser;
    parser.setApplicationDescription(tr(verb->description)
        + tr("\nTalks to a running keystone-console (--server or the desktop console) through its local API.\n")
        + exitCodeHelp());
    parser.addPositionalArgument(m_verb, tr("The verb."), QStringLiteral("%1 %2").arg(m_verb, verb->operands));
    OptionValues::addCommonOptions(parser);
    EngineOptions::addLocationOptions(parser);
    parser.addOptions(translatedOptions("ScriptCommand", {kTokenFile}));
    addVerbOptions(parser);
    OptionValues values(parser);
    const auto earlyExit = values.parseOrExitCode(
        withNegativePriority(arguments), Ok, [this](const QString &message) { return usage(message); });
    if (earlyExit)
        return *earlyExit;
    if (const auto connected = connect(values); !connected)
        return usage(connected.error().message);
    return dispatch(parser, parser.positionalArguments().mid(1));
}

// `priority 12 -5`: a negative number after the id is the priority, not an option (QCommandLineParser would refuse
// "-5" as an unknown option); it moves behind "--", where only operands go. Only for the verb that takes one.
QStringList ScriptCommand::withNegativePriority(const QStringList &arguments) const
{
    static const QRegularExpression number(QStringLiteral("^[0-9]+$"));
    static const QRegularExpression negative(QStringLiteral("^-[0-9]+$"));
    if (m_verb != QLatin1String("priority") || arguments.contains(QStringLiteral("--")))
        return arguments;
    const auto matches = [](const QRegularExpression &pattern) {
        return [&pattern](const QString &argument) { return pattern.match(argument).hasMatch(); };
    };
    const auto id = std::find_if(
        arguments.cbegin() + std::min<qsizetype>(2, arguments.size()), arguments.cend(), matches(number));
    const auto priority = id == arguments.cend() ? id : std::find_if(id + 1, arguments.cend(), matches(negative));
    if (priority == arguments.cend())
        return arguments;
    QStringList moved = arguments;
    moved.removeAt(priority - arguments.cbegin());
    return moved + QStringList{QStringLiteral("--"), *priority};
}

void ScriptCommand::addVerbOptions(QCommandLineParser &parser) const
{
    if (m_verb == QLatin1String("add"))
        parser.addOptions(translatedOptions("ScriptCommand", {kName}));
    if (m_verb == QLatin1String("status") || m_verb == QLatin1String("list"))
        parser.addOptions(translatedOptions("ScriptCommand", {kJson}));
    if (m_verb == QLatin1String("list"))
        parser.addOptions(translatedOptions("ScriptCommand", {kStatus}));
    if (m_verb == QLatin1String("throttle"))
        parser.addOptions(translatedOptions("ScriptCommand", {kLimit, kFor, kJson}));
}

// Finds the instance as it finds itself (EngineOptions), then reads its token; a missing token file is reported
// only if the server asks for a token (a stopped server is "unreachable", not an authentication problem).
// The instance's Unix socket (--listen unix:PATH, default <data-dir>/api.sock) is used whenever it exists, so the
// token does not go to a TCP port; else TCP, where the server proves its identity first (LocalApiClient). The
// identity file is the one beside the token file: the server that wrote the token wrote it too.
AppResult<void> ScriptCommand::connect(const OptionValues &values)
{
    EngineOptions options;
    if (auto locations = options.readLocations(values); !locations)
        return locations;
    const QString tokenFile
        = values.isSet(kTokenFile) ? values.value(kTokenFile) : ApiLocation(options.api.dataDir).tokenFile();
    QByteArray token;
    QString tokenProblem; // why the token file could not be read (empty: it could)
    QFile file(tokenFile);
    if (file.open(QIODevice::ReadOnly))
        token = file.readAll().trimmed();
    else
        tokenProblem = file.errorString();

    const QString identityFile = ApiLocation(QFileInfo(tokenFile).absolutePath()).identityFile();
    m_client = std::make_unique<LocalApiClient>(endpointOf(options.api), token, identityFile, kRequestTimeoutMs);
    m_failures = std::make_unique<FailureReporter>(m_verb, m_client->endpoint().toString(), tokenFile, tokenProblem);
    return {};
}

int ScriptCommand::dispatch(const QCommandLineParser &parser, const QStringList &operands)
{
    if (m_verb == QLatin1String("add")) {
        if (operands.size() != 1)
            return usage(tr("add needs exactly one PATH"));
        return add(operands, parser.value(kName));
    }
    if (m_verb == QLatin1String("priority"))
        return priority(operands);
    if (m_verb == QLatin1String("throttle"))
        return throttle(operands, parser);
    ReadingVerbs reading(*m_client, *m_failures);
    if (m_verb == QLatin1String("list")) {
        if (!operands.isEmpty())
            return usage(tr("list takes no operands (filter with --status)"));
        return reading.list(parser.value(kStatus), parser.isSet(kJson));
    }
    QList<qint64> ids;
    QString bad;
    if (!parseIds(operands, &ids, &bad))
        return usage(tr("'%1' is not an episode id (a positive integer)").arg(bad));
    if (m_verb == QLatin1String("watch"))
        return reading.watch(ids);
    if (ids.isEmpty())
        return usage(tr("%1 needs at least one episode id").arg(m_verb));
    if (m_verb == QLatin1String("status"))
        return reading.status(ids, parser.isSet(kJson));
    return transition(ids);
}

int ScriptCommand::add(const QStringList &operands, const QString &name)
{
    const QString path = QFileInfo(operands.first()).absoluteFilePath(); // the API wants an absolute path
    QJsonObject body{{ApiKey::kPath, path}};
    if (!name.isEmpty())
        body.insert(ApiKey::kName, name);
    const auto answer = m_client->post(QStringLiteral("/episodes"), body);
    if (!answer)
        return m_failures->report(answer.error(), path);
    printLine(stdout, QString::number(answer.value().value(ApiKey::kEpisodeId).toInteger()));
    return Ok;
}

// sync, cancel, retry, rescan, pause, resume: one request per id; every id is tried, the first failure decides the exit
// code (except when the instance cannot be reached or refuses the token: then nothing else would work either).
int ScriptCommand::transition(const QList<qint64> &ids)
{
    const char *format = m_verb == QLatin1String("sync") ? "/sync/episodes/%1"
        : m_verb == QLatin1String("cancel")              ? "/sync/episodes/%1/cancel"
        : m_verb == QLatin1String("rescan")              ? "/episodes/%1/rescan"
        : m_verb == QLatin1String("pause")               ? "/sync/episodes/%1/pause"
        : m_verb == QLatin1String("resume")              ? "/sync/episodes/%1/resume"
                                                         : "/sync/episodes/%1/retry";
    int exitCode = Ok;
    for (const qint64 id : ids) {
        const auto answer = m_client->post(idPath(format, id));
        if (answer) {
            const QJsonObject &status = answer.value();
            const QString state = status.value(ApiKey::kStatus).toString();
            // "12 pending paused": held back by an operator until resumed.
            printLine(stdout,
                status.value(ApiKey::kPaused).toBool() ? QStringLiteral("%1 %2 paused").arg(id).arg(state)
                                                       : QStringLiteral("%1 %2").arg(id).arg(state));
            continue;
        }
        const int code = m_failures->report(answer.error(), tr("episode %1").arg(id));
        if (code == Unreachable || code == AuthFailed || code == NotTheInstance)
            return code;
        if (exitCode == Ok)
            exitCode = code;
    }
    return exitCode;
}

int ScriptCommand::priority(const QStringList &operands)
{
    QList<qint64> ids;
    QString bad;
    if (operands.size() != 2)
        return usage(tr("priority needs an episode id and a priority"));
    if (!parseIds(operands.mid(0, 1), &ids, &bad))
        return usage(tr("'%1' is not an episode id (a positive integer)").arg(bad));
    static const QRegularExpression integer(QStringLiteral("^-?[0-9]{1,9}$"));
    if (!integer.match(operands.at(1)).hasMatch())
        return usage(tr("'%1' is not a priority (an integer from -1000 to 1000)").arg(operands.at(1)));
    const qint64 id = ids.first();
    const auto answer = m_client->patch(idPath("/episodes/%1", id), {{ApiKey::kPriority, operands.at(1).toInt()}});
    if (!answer)
        return m_failures->report(answer.error(), tr("episode %1").arg(id));
    printLine(stdout, QStringLiteral("%1 priority %2").arg(id).arg(answer.value().value(ApiKey::kPriority).toInt()));
    return Ok;
}

// throttle [recording [--limit R] [--for D] | off]: PUT /sync/throttle, or GET without an operand; prints the state.
int ScriptCommand::throttle(const QStringList &operands, const QCommandLineParser &parser)
{
    const QString mode = operands.value(0);
    if (operands.size() > 1 || (!mode.isEmpty() && mode != QLatin1String("recording") && mode != QLatin1String("off")))
        return usage(tr("throttle takes 'recording', 'off' or nothing"));
    if (mode != QLatin1String("recording") && (parser.isSet(kLimit) || parser.isSet(kFor)))
        return usage(tr("--limit and --for go with 'throttle recording'"));
    const auto answer = [&]() {
        if (mode.isEmpty())
            return m_client->get(QStringLiteral("/sync/throttle"));
        if (mode == QLatin1String("off"))
            return m_client->put(QStringLiteral("/sync/throttle"), {{ApiKey::kMode, QStringLiteral("normal")}});
        QJsonObject body{{ApiKey::kMode, QStringLiteral("recording")}};
        if (parser.isSet(kLimit))
            body.insert(ApiKey::kLimit, parser.value(kLimit)); // checked by the instance: one rule for all
        if (parser.isSet(kFor))
            body.insert(ApiKey::kFor, parser.value(kFor));
        return m_client->put(QStringLiteral("/sync/throttle"), body);
    }();
    if (!answer)
        return m_failures->report(answer.error());
    if (parser.isSet(kJson))
        printJsonLine(answer.value());
    else
        printLine(stdout, StatusFormatter::throttleLine(answer.value()));
    return Ok;
}

int ScriptCommand::usage(const QString &message) const
{
    printLine(stderr, tr("keystone-console %1: %2 (see: keystone-console %1 --help)").arg(m_verb, message));
    return Usage;
}

QString ScriptCommand::exitCodeHelp() const
{
    return tr(
        "\nExit codes:\n"
        "  0  done\n"
        "  1  refused or failed: the API answered 409 or another error (e.g. cancel or pause a completed episode, a\n"
        "     name already taken), or a watched episode ended failed or cancelled\n"
        "  2  usage: bad arguments, episode ids that are not positive integers, a path the API refuses\n"
        "  3  not found: an episode id is unknown\n"
        "  4  server unreachable: nothing answers at the API address (start: keystone-console --server)\n"
        "  5  authentication failed: the API refused the token (HTTP 401/403)\n"
        "  6  not the instance: the server at the TCP address did not prove it is the instance of the token\n"
        "     (its data directory's server-identity file); the token was not sent\n");
}
