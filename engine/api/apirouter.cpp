#include "apirouter.h"

void ApiRouter::add(Method method, const QString &pattern, Handler handler, bool requiresAuth)
{
    m_routes.append({method, pattern, requiresAuth, std::move(handler)});
    m_segments.append(pattern.split(QLatin1Char('/')));
}

bool ApiRouter::matchPath(const QStringList &pattern, const QStringList &path, QStringList *params)
{
    if (pattern.size() != path.size())
        return false;
    QStringList captured;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QString &expected = pattern.at(i);
        if (expected.startsWith(QLatin1Char('{'))) {
            if (path.at(i).isEmpty())
                return false;
            captured.append(path.at(i));
        } else if (expected != path.at(i)) {
            return false;
        }
    }
    *params = captured;
    return true;
}

ApiRouter::Match ApiRouter::match(Method method, const QString &path) const
{
    Match result;
    const QStringList segments = path.split(QLatin1Char('/'));
    for (qsizetype i = 0; i < m_routes.size(); ++i) {
        QStringList params;
        if (!matchPath(m_segments.at(i), segments, &params))
            continue;
        if (m_routes.at(i).method == method) {
            result.route = &m_routes.at(i);
            result.params = params;
            return result;
        }
        if (!result.allowed.contains(m_routes.at(i).method))
            result.allowed.append(m_routes.at(i).method);
    }
    return result;
}

QByteArray ApiRouter::methodName(Method method)
{
    switch (method) {
    case Method::Get:
        return "GET";
    case Method::Post:
        return "POST";
    case Method::Put:
        return "PUT";
    case Method::Delete:
        return "DELETE";
    case Method::Patch:
        return "PATCH";
    case Method::Head:
        return "HEAD";
    case Method::Options:
        return "OPTIONS";
    default:
        break;
    }
    return "UNKNOWN";
}

QByteArray ApiRouter::allowHeader(const QList<Method> &methods)
{
    QList<QByteArray> names;
    for (const Method method : methods)
        names.append(methodName(method));
    return names.join(", ");
}
