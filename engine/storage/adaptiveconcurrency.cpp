#include "adaptiveconcurrency.h"

#include <QLoggingCategory>

#include <algorithm>

Q_LOGGING_CATEGORY(lcConcurrency, "keystone.storage.concurrency", QtWarningMsg)

namespace {

constexpr double kRiseFactor = 1.05; // a round's goodput must beat the last by 5 % to count as rising

} // namespace

AdaptiveConcurrency::AdaptiveConcurrency(int floor, int ceiling, Now now)
    : m_now(std::move(now))
    , m_floor(std::max(1, floor))
    , m_ceiling(std::max(m_floor, ceiling))
    , m_slots(std::make_shared<PartSlots>(std::clamp(kInitial, m_floor, m_ceiling)))
    , m_limit(std::clamp(kInitial, m_floor, m_ceiling))
    , m_roundStart(m_now())
{ }

int AdaptiveConcurrency::limit() const
{
    QMutexLocker lock(&m_mutex);
    return m_limit;
}

int AdaptiveConcurrency::backoffs() const
{
    QMutexLocker lock(&m_mutex);
    return m_backoffs;
}

void AdaptiveConcurrency::requestSucceeded(qint64 bytes)
{
    QMutexLocker lock(&m_mutex);
    m_roundBytes += bytes;
    ++m_roundCompletions;
    const auto now = m_now();
    const auto elapsedMs = std::chrono::duration_cast<std::chrono::milliseconds>(now - m_roundStart).count();
    if (m_roundCompletions < m_limit || elapsedMs < kMinRoundMs)
        return;
    const double goodput = double(m_roundBytes) * 1000.0 / double(elapsedMs);
    const bool rising = goodput >= m_lastGoodput * kRiseFactor;
    m_lastGoodput = goodput;
    m_roundStart = now;
    m_roundBytes = 0;
    m_roundCompletions = 0;
    if (!rising) {
        // Two flat rounds in a row (one may be noise: rounds and waves of answers need not line up): the link is
        // full at this limit, from here on one step at a time.
        if (++m_flatRounds >= 2)
            m_slowStart = false;
        return;
    }
    m_flatRounds = 0;
    setLimit(m_slowStart ? m_limit * 2 : m_limit + 1, "goodput rising");
}

bool AdaptiveConcurrency::isCongestion(const StorageError &error)
{
    return error.httpStatus == 503 || error.s3Code == QLatin1String("SlowDown")
        || error.kind == StorageError::Kind::Timeout
        || (error.kind == StorageError::Kind::Network && error.s3Code != QLatin1String("Unreachable"));
}

void AdaptiveConcurrency::requestFailed(const StorageError &error)
{
    if (!isCongestion(error))
        return;
    QMutexLocker lock(&m_mutex);
    const auto now = m_now();
    // A burst (every request in flight answered SlowDown at once) is one signal: halve once per round.
    const auto sinceDecrease = std::chrono::duration_cast<std::chrono::milliseconds>(now - m_lastDecrease).count();
    if (m_lastDecrease != Clock::time_point{} && sinceDecrease < std::max<qint64>(kMinRoundMs, 1000))
        return;
    m_lastDecrease = now;
    ++m_backoffs;
    m_slowStart = false;
    m_flatRounds = 0;
    m_roundStart = now;
    m_roundBytes = 0;
    m_roundCompletions = 0;
    m_lastGoodput = 0;
    setLimit(m_limit / 2, qPrintable(error.s3Code));
}

void AdaptiveConcurrency::setLimit(int limit, const char *why)
{
    limit = std::clamp(limit, m_floor, m_ceiling);
    if (limit == m_limit)
        return;
    qCInfo(lcConcurrency).nospace() << "requests in flight " << m_limit << " -> " << limit << " (" << why << ")";
    m_limit = limit;
    m_slots->setCapacity(limit);
}
