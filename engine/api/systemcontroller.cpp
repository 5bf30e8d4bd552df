#include "systemcontroller.h"

#include "apijson.h"
#include "apikeys.h"
#include "apiserver.h"
#include "routesupport.h"
#include "serveridentity.h"
#include "sync/syncengine.h"

#include <QFile>

using namespace RouteSupport;

SystemController::SystemController(SyncEngine &engine, Sources sources)
    : m_engine(engine)
    , m_sources(std::move(sources))
{ }

void SystemController::addRoutes(ApiRouter &router)
{
    using Method = ApiRouter::Method;
    router.add(Method::Get, kBase + QStringLiteral("/health"), bind(this, &SystemController::health), false);
    router.add(Method::Get, kBase + QStringLiteral("/metrics"), bind(this, &SystemController::metrics));
    router.add(Method::Get, kBase + QStringLiteral("/openapi.json"), bind(this, &SystemController::openApi));
}

void SystemController::health(const ApiRequest &request, ApiResponse response)
{
    // Public: the state and since only; the storage's own words (detail, hint) are behind the token, and so is the
    // throttle beyond its mode.
    const ThrottleState throttle = m_engine.throttle();
    QJsonObject body{{ApiKey::kStatus, QStringLiteral("ok")},
        {QStringLiteral("version"), QStringLiteral(KEYSTONE_VERSION)},
        {QStringLiteral("storage"), ApiJson::storageHealth(m_engine.storageHealth(), false)},
        {ApiKey::kThrottle, QJsonObject{{ApiKey::kMode, ThrottleState::modeName(throttle.mode)}}}};
    // ?nonce=N: the proof that this is the instance of the data directory (ServerIdentity), which a client asks
    // for before it sends the token over TCP.
    if (request.query.hasQueryItem(QStringLiteral("nonce"))) {
        const QByteArray nonce = request.query.queryItemValue(QStringLiteral("nonce"), QUrl::FullyDecoded).toLatin1();
        if (!ServerIdentity::isValidNonce(nonce)) {
            response.error(400, QStringLiteral("invalid_nonce"),
                QStringLiteral("nonce must be 1 to %1 hex digits").arg(ServerIdentity::kMaxNonceLength));
            return;
        }
        body.insert(QStringLiteral("instance"), QString::fromLatin1(m_sources.identity.proof(nonce, m_sources.port())));
    }
    response.json(200, body);
}

void SystemController::metrics(const ApiRequest &, ApiResponse response)
{
    response.send(200, m_sources.metrics(), QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8"));
}

void SystemController::openApi(const ApiRequest &, ApiResponse response)
{
    QFile document(ApiServer::openApiResourcePath()); // a compiled-in resource: memory, not disk
    if (!document.open(QIODevice::ReadOnly)) {
        response.error(404, QStringLiteral("not_found"), QStringLiteral("the OpenAPI document is not built in"));
        return;
    }
    response.send(200, document.readAll(), QByteArrayLiteral("application/json"));
}
