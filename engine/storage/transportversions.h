#pragma once

#include <QString>

// The versions of the libraries the transfers run on, as the linked libcurl reports them (what runs, not what was
// built against): for the About box and bug reports.
struct TransportVersions
{
    QString curl; // "8.14.1"
    QString tls; // "OpenSSL/3.0.17" (empty without TLS support)

    [[nodiscard]] static TransportVersions current();
};
