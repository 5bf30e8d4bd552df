#pragma once

#include <QCoreApplication>
#include <QString>
#include <QUrl>

// A storage endpoint that carries the upload in the clear across a network: http:// to a host other than this
// machine. Every byte can be read on the way, and part bodies are sent UNSIGNED-PAYLOAD (the signature does not
// cover them; their MD5 is checked against the ETag, which whoever changes the bytes can answer as well), so they
// can be changed on the way too. Loopback stays quiet: a local MinIO or test server is the usual http:// case.
class PlainTextEndpoint
{
    Q_DECLARE_TR_FUNCTIONS(PlainTextEndpoint)

public:
    // True for http:// to anything but loopback: 127.0.0.0/8, ::1 (also as ::ffff:127.x.y.z), localhost and
    // *.localhost (which libcurl resolves to loopback by itself). Other names are not resolved: a name can point
    // elsewhere tomorrow, so only what is loopback by its spelling counts.
    [[nodiscard]] static bool isExposed(const QUrl &endpoint);
    // The warning for such an endpoint, naming it; empty when isExposed() is false. Translated (context
    // "PlainTextEndpoint"), for the start-up log and the console's Settings dialog alike.
    [[nodiscard]] static QString warning(const QUrl &endpoint);
    // Logs warning() (category keystone.storage.endpoint) when there is one.
    static void logIfExposed(const QUrl &endpoint);
};
