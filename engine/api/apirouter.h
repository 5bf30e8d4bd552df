#pragma once

#include "apiresponse.h"

#include <QHttpServerRequest>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include <functional>

// What a handler gets of a request: copied out of QHttpServerRequest (which the connection reuses), plus the
// path parameters the route captured.
struct ApiRequest
{
    QHttpServerRequest::Method method = QHttpServerRequest::Method::Unknown;
    QString path;
    QUrlQuery query;
    QByteArray body;
    QByteArray lastEventId;
    QStringList params; // the {…} segments, in order
};

// The route table: method + path pattern ("/api/v1/episodes/{id}"; a {name} segment matches any one non-empty
// segment). Unlike QHttpServerRouter it tells "no such path" (404) from "path known, method not" (405 + Allow),
// and it is the list the OpenAPI test compares with the document.
class ApiRouter
{
public:
    using Method = QHttpServerRequest::Method;
    using Handler = std::function<void(const ApiRequest &, ApiResponse)>;

    struct Route
    {
        Method method;
        QString pattern;
        bool requiresAuth = true;
        Handler handler;
    };

    struct Match
    {
        const Route *route = nullptr; // null: see allowed
        QStringList params;
        QList<Method> allowed; // methods of the routes whose path matched (405 when route is null and non-empty)
    };

    void add(Method method, const QString &pattern, Handler handler, bool requiresAuth = true);
    Match match(Method method, const QString &path) const;
    const QList<Route> &routes() const { return m_routes; }

    static QByteArray methodName(Method method);
    static QByteArray allowHeader(const QList<Method> &methods);

private:
    static bool matchPath(const QStringList &pattern, const QStringList &path, QStringList *params);

    QList<Route> m_routes;
    QList<QStringList> m_segments; // per route
};
