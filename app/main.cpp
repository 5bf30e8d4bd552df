// keystone-console: chooses the mode from the command line, then wires the objects together.
//   keystone-console upload ...   one-shot upload (QCoreApplication)
//   keystone-console credentials set|clear   the secret in the keychain (QCoreApplication)
//   keystone-console add|sync|status|cancel|retry|pause|resume|list|watch ...  script verbs against a running instance
//   keystone-console --server ... sync engine + local API, no widgets (QCoreApplication)
//   keystone-console [...]        the desktop console (QApplication; needs a display)
#include "cli/scriptcommand.h"
#include "core/descriptorlimit.h"
#include "credentialscommand.h"
#include "guicommand.h"
#include "servercommand.h"
#include "storage/curlruntime.h"
#include "translationloader.h"
#include "uploadcommand.h"

#include <QApplication>
#include <QCoreApplication>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace {

bool hasArgument(int argc, char *argv[], const char *wanted)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], wanted) == 0)
            return true;
    }
    return false;
}

// A QApplication aborts without a platform: decide before constructing one.
bool displayAvailable()
{
    for (const char *variable : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}) {
        const char *value = std::getenv(variable);
        if (value && *value)
            return true;
    }
    return false;
}

// Every mode: names (settings, paths) and the user's language, before any text is made.
void setIdentity()
{
    QCoreApplication::setApplicationName(QStringLiteral("keystone-console"));
    QCoreApplication::setOrganizationName(QStringLiteral("Keystone"));
    QCoreApplication::setApplicationVersion(QStringLiteral(KEYSTONE_VERSION));
    TranslationLoader::install();
}

int runMode(int argc, char *argv[])
{
    const bool scriptVerb = argc > 1 && ScriptCommand::isVerb(argv[1]);
    // Every mode: a soft limit of 1024 descriptors is too few for a server holding API connections while uploading.
    DescriptorLimit::raiseSoftToHard();
    if (scriptVerb) { // script verbs: a client of a running instance
        QCoreApplication app(argc, argv);
        setIdentity();
        return ScriptCommand().run(QCoreApplication::arguments());
    }
    const bool upload = argc > 1 && std::strcmp(argv[1], "upload") == 0;
    const bool credentials = argc > 1 && std::strcmp(argv[1], "credentials") == 0;
    const bool server = hasArgument(argc, argv, "--server");
    const bool version = hasArgument(argc, argv, "--version") || hasArgument(argc, argv, "-v");
    const bool helpOrVersion = hasArgument(argc, argv, "--help") || hasArgument(argc, argv, "-h") || version;
    if (upload || credentials || server || (helpOrVersion && !displayAvailable())) {
        QCoreApplication app(argc, argv);
        setIdentity();
        if (upload)
            return UploadCommand().run(QCoreApplication::arguments());
        if (credentials)
            return CredentialsCommand().run(QCoreApplication::arguments());
        if (server)
            return ServerCommand().run(QCoreApplication::arguments());
        if (version) {
            std::printf("keystone-console %s\n", KEYSTONE_VERSION);
            return 0;
        }
        // Translated like every mode's --help; in English exactly the text scripts and the man page check.
        std::fputs(qPrintable(QCoreApplication::translate("Main",
                       "keystone-console %1\n"
                       "Usage: keystone-console [options]            the desktop console\n"
                       "       keystone-console --server [options]   headless: sync engine and local API\n"
                       "       keystone-console upload [options] PATH s3://BUCKET/KEY\n"
                       "       keystone-console credentials set|clear [--access-key-id ID]\n"
                       "       keystone-console add|sync|status|cancel|retry|pause|resume|list|watch ...   scripts: "
                       "talk to a running instance\n"
                       "Each mode has --help.\n")
                                  .arg(QStringLiteral(KEYSTONE_VERSION))),
            stdout);
        return 0;
    }
    if (!displayAvailable()) {
        std::fputs(
            "keystone-console: no display found; run 'keystone-console --server' on a machine without one\n", stderr);
        return 2;
    }
    QApplication app(argc, argv);
    setIdentity();
    return GuiCommand().run(QCoreApplication::arguments());
}

} // namespace

int main(int argc, char *argv[])
{
    const CurlRuntime curl;
    return runMode(argc, argv);
}
