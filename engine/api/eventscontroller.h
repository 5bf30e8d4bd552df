#pragma once

#include "apirouter.h"

#include <functional>

class EventStream;

// GET /events: the Server-Sent Events stream of status changes, resumable from an event id (?since or
// Last-Event-ID), at most maxClients at once.
class EventsController
{
public:
    // stream: the server's EventStream, made when it starts listening (null before).
    EventsController(std::function<EventStream *()> stream, int maxClients);

    void addRoutes(ApiRouter &router);

private:
    void events(const ApiRequest &request, ApiResponse response);

    std::function<EventStream *()> m_stream;
    int m_maxClients;
};
