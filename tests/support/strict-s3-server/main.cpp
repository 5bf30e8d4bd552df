// strict-s3-server: an S3-compatible test server that enforces what AWS enforces (SigV4, payload
// digests, multipart rules) and can inject faults. See README.md next to this file.

#include "s3server.h"

#include <QCoreApplication>

#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace {

int g_stopPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto n = ::write(g_stopPipe[1], &byte, 1);
}

void usage(FILE *out)
{
    std::fputs("usage: strict-s3-server --root DIR [--dialect s3|oss] [--port N] [--access-key K] [--secret-key S]\n"
               "                        [--extra-key K:S]...\n"
               "                        [--region R] [--bucket NAME]... [--min-part-size BYTES] [--discard]\n"
               "                        [--list-parts-page-size N] [--security-token TOKEN] [--tls-ca-out FILE]\n"
               "                        [--quirk NAME]...\n"
               "  --root DIR            storage directory (created if missing)\n"
               "  --dialect s3|oss      protocol: AWS S3 (default) or Alibaba OSS (virtual-hosted, OSS signatures)\n"
               "  --port N              TCP port on 127.0.0.1; 0 (default) picks a free one\n"
               "  --access-key K        default AKIAKEYSTONETEST\n"
               "  --secret-key S        default keystone-strict-secret\n"
               "  --extra-key K:S       (s3) accept this key pair too (repeatable)\n"
               "  --region R            default us-east-1 (s3), cn-hangzhou (oss)\n"
               "  --bucket NAME         create this bucket at start (repeatable)\n"
               "  --min-part-size BYTES minimum size of every part but the last (default 5242880; oss 102400)\n"
               "  --list-parts-page-size N  at most N parts per ListParts page, whatever max-parts asks\n"
               "  --security-token TOKEN    (oss) every request must carry x-oss-security-token: TOKEN\n"
               "  --discard             check and hash bodies but store none (benchmarks; GET answers 501)\n"
               "  --tls-ca-out FILE     serve https: a test CA and a certificate for localhost, *.localhost and\n"
               "                        127.0.0.1 are made at start; the CA certificate (PEM) is written to FILE\n"
               "  --quirk NAME[,NAME]   behave like a named real server where it differs from AWS S3 (repeatable):\n",
        out);
    std::fputs(StrictS3::QuirkSet::usage().constData(), out);
    std::fputs("Prints \"listening on http[s]://127.0.0.1:PORT\" once ready; SIGTERM/SIGINT stop it.\n", out);
}

} // namespace

int main(int argc, char **argv)
{
    StrictS3::ServerConfig config;
    bool rootGiven = false;
    bool regionGiven = false;
    bool minPartSizeGiven = false;
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            usage(stdout);
            return 0;
        }
        if (arg == "--discard") {
            config.discard = true;
            continue;
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "strict-s3-server: %s needs a value (or is unknown)\n", argv[i]);
            usage(stderr);
            return 2;
        }
        const QByteArray value = argv[++i];
        bool ok = true;
        if (arg == "--root") {
            config.root = QString::fromLocal8Bit(value);
            rootGiven = true;
        } else if (arg == "--port") {
            const uint port = value.toUInt(&ok);
            ok = ok && port <= 65535;
            config.port = quint16(port);
        } else if (arg == "--access-key") {
            config.accessKey = value;
        } else if (arg == "--secret-key") {
            config.secretKey = value;
        } else if (arg == "--extra-key") {
            const qsizetype colon = value.indexOf(':');
            ok = colon > 0 && colon + 1 < value.size();
            config.extraKeys.append({value.left(colon), value.mid(colon + 1)});
        } else if (arg == "--dialect") {
            ok = value == "s3" || value == "oss";
            config.dialect
                = value == "oss" ? StrictS3::ServerConfig::DialectKind::Oss : StrictS3::ServerConfig::DialectKind::S3;
        } else if (arg == "--region") {
            config.region = value;
            regionGiven = true;
        } else if (arg == "--bucket") {
            config.buckets.append(value);
        } else if (arg == "--min-part-size") {
            config.minPartSize = value.toLongLong(&ok);
            ok = ok && config.minPartSize >= 0;
            minPartSizeGiven = true;
        } else if (arg == "--list-parts-page-size") {
            config.listPartsPageSize = value.toInt(&ok);
            ok = ok && config.listPartsPageSize >= 1;
        } else if (arg == "--tls-ca-out") {
            config.tlsCaOut = QString::fromLocal8Bit(value);
        } else if (arg == "--security-token") {
            config.securityToken = value;
        } else if (arg == "--quirk") {
            for (const QByteArray &name : value.split(',')) {
                const std::optional<StrictS3::Quirk> quirk = StrictS3::QuirkSet::fromName(name.trimmed());
                ok = ok && quirk.has_value();
                if (quirk)
                    config.quirks.add(*quirk);
            }
        } else {
            std::fprintf(stderr, "strict-s3-server: unknown option %s\n", argv[i - 1]);
            usage(stderr);
            return 2;
        }
        if (!ok || value.isEmpty()) {
            std::fprintf(stderr, "strict-s3-server: invalid value for %s: %s\n", arg.constData(), value.constData());
            return 2;
        }
    }
    if (!rootGiven) {
        usage(stderr);
        return 2;
    }
    if (!config.extraKeys.isEmpty() && config.dialect == StrictS3::ServerConfig::DialectKind::Oss) {
        std::fputs("strict-s3-server: --extra-key is for the s3 dialect only\n", stderr);
        return 2;
    }
    // OSS's own defaults where the options were left out: its usual region and its 100 KiB minimum part size.
    if (config.dialect == StrictS3::ServerConfig::DialectKind::Oss) {
        if (!regionGiven)
            config.region = "cn-hangzhou";
        if (!minPartSizeGiven)
            config.minPartSize = 100 * 1024;
    }
    QCoreApplication app(argc, argv); // no event loop: only for Qt's global state (codecs, locale)

    if (::pipe2(g_stopPipe, O_CLOEXEC) != 0)
        return 1;
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN); // peers that vanish mid-response must not kill the server

    StrictS3::S3Server server(config);
    QString error;
    if (!server.start(&error)) {
        std::fprintf(stderr, "strict-s3-server: %s\n", qPrintable(error));
        return 1;
    }
    std::printf("listening on %s://127.0.0.1:%u\n", server.tls() ? "https" : "http", unsigned(server.port()));
    std::fflush(stdout);
    server.run(g_stopPipe[0]);
    return 0;
}
