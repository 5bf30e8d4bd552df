#include "plaintextendpoint.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcEndpoint, "keystone.storage.endpoint", QtWarningMsg)

namespace {

bool isLoopbackHost(const QString &host)
{
    const QString name = host.toLower();
    if (name == QLatin1String("localhost") || name.endsWith(QLatin1String(".localhost")))
        return true;
    QHostAddress address;
    if (!address.setAddress(name))
        return false;
    bool mapped = false;
    const quint32 ipv4 = address.toIPv4Address(&mapped); // also the IPv4-mapped form of IPv6
    if (mapped)
        return (ipv4 >> 24) == 127;
    return address == QHostAddress(QHostAddress::LocalHostIPv6);
}

} // namespace

bool PlainTextEndpoint::isExposed(const QUrl &endpoint)
{
    return endpoint.scheme().compare(QLatin1String("http"), Qt::CaseInsensitive) == 0
        && !isLoopbackHost(endpoint.host());
}

QString PlainTextEndpoint::warning(const QUrl &endpoint)
{
    if (!isExposed(endpoint))
        return {};
    return PlainTextEndpoint::tr(
        "the storage endpoint %1 is plain http:// to another machine: everything uploaded crosses the network "
        "unencrypted, and parts are sent UNSIGNED-PAYLOAD (not covered by the request signature), so anyone on the "
        "way can read or change them. Use https:// unless this network is trusted.")
        .arg(endpoint.toString());
}

void PlainTextEndpoint::logIfExposed(const QUrl &endpoint)
{
    const QString text = warning(endpoint);
    if (!text.isEmpty())
        qCWarning(lcEndpoint).noquote() << text;
}
