#include "eventscontroller.h"

#include "eventstream.h"
#include "routesupport.h"

#include <QHttpServerResponder> // complete for the stream's unique_ptr

using namespace RouteSupport;

EventsController::EventsController(std::function<EventStream *()> stream, int maxClients)
    : m_stream(std::move(stream))
    , m_maxClients(maxClients)
{ }

void EventsController::addRoutes(ApiRouter &router)
{
    router.add(ApiRouter::Method::Get, kBase + QStringLiteral("/events"), bind(this, &EventsController::events));
}

void EventsController::events(const ApiRequest &request, ApiResponse response)
{
    std::optional<quint64> since;
    const bool fromQuery = request.query.hasQueryItem(QStringLiteral("since"));
    const QString text = fromQuery ? request.query.queryItemValue(QStringLiteral("since"), QUrl::FullyDecoded)
                                   : QString::fromLatin1(request.lastEventId.trimmed());
    if (fromQuery || !text.isEmpty()) {
        bool ok = false;
        const quint64 value = text.toULongLong(&ok);
        if (!ok || text.startsWith(QLatin1Char('+'))) {
            response.error(400, QStringLiteral("invalid_since"),
                QStringLiteral("since / Last-Event-ID must be an event id (a non-negative integer)"));
            return;
        }
        since = value;
    }
    EventStream *stream = m_stream();
    if (stream->isFull()) {
        response.error(429, QStringLiteral("too_many_streams"),
            QStringLiteral("at most %1 event streams at once").arg(m_maxClients));
        return;
    }
    stream->subscribe(response.take(), since);
}
