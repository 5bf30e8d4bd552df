#pragma once

#include <QString>

// Where an instance's local API leaves what a client on the same machine needs, inside the instance's data
// directory: the bearer token and the server identity (ServerIdentity). The server writes both files and the script
// CLI reads them, so both sides name them here, and the CLI needs nothing of the server to find them.
class ApiLocation
{
public:
    explicit ApiLocation(QString dataDir);

    [[nodiscard]] QString tokenFile() const; // <dataDir>/api-token
    [[nodiscard]] QString identityFile() const; // <dataDir>/server-identity

private:
    QString m_dataDir;
};
