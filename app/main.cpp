// keystone-console: chooses the mode from the command line and wires the objects together.
#include "uploadcommand.h"

#include <QCoreApplication>

#include <curl/curl.h>

#include <cstdio>

namespace {

int printUsage()
{
    std::fputs("Usage: keystone-console upload [options] PATH s3://BUCKET/KEY\n"
               "       keystone-console --help | --version\n"
               "\n"
               "The desktop console and --server mode arrive with the next milestones.\n"
               "Run 'keystone-console upload --help' for the upload options.\n",
        stdout);
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int exitCode = 0;
    {
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("keystone-console"));
        QCoreApplication::setOrganizationName(QStringLiteral("Keystone"));
        QCoreApplication::setApplicationVersion(QStringLiteral(KEYSTONE_VERSION));

        const QStringList arguments = QCoreApplication::arguments();
        const QString verb = arguments.value(1);
        if (verb == QLatin1String("upload")) {
            exitCode = UploadCommand().run(arguments);
        } else if (verb == QLatin1String("--version") || verb == QLatin1String("-v")) {
            std::printf("keystone-console %s\n", KEYSTONE_VERSION);
        } else if (verb.isEmpty() || verb == QLatin1String("--help") || verb == QLatin1String("-h")) {
            exitCode = printUsage();
        } else {
            std::fprintf(stderr, "keystone-console: unknown command '%s' (see --help)\n", qPrintable(verb));
            exitCode = 2;
        }
    }
    curl_global_cleanup();
    return exitCode;
}
