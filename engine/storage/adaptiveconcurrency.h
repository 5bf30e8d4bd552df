#pragma once

#include "partslots.h"
#include "storageerror.h"

#include <QMutex>

#include <chrono>
#include <functional>
#include <memory>

// How many requests may be in flight, found from the link instead of fixed: additive increase while goodput
// (verified bytes per second) keeps rising, multiplicative decrease when the server or the network pushes back
// (503 SlowDown, timeouts, resets). One controller serves a whole engine (or one upload command): every upload
// reports to it and draws from its one budget, so a burst of SlowDown makes all of them back off together.
//
// A *round* ends when as many requests completed as the limit allows in flight (at least kMinRoundMs long):
//
//   slow start ──round's goodput ≥ 5 % above the last──► limit × 2 (≤ ceiling)
//       │ no gain two rounds in a row                   │
//       ▼                                               ▼
//   steady ────round's goodput ≥ 5 % above the last──► limit + 1 (≤ ceiling)
//     ▲   └─ SlowDown / 503 / timeout / reset ─► limit ÷ 2 (≥ floor), at most once a round ─┐
//     └────────────────────────────────────────────────────────────────────────────────────┘
// Thread-safe.
class AdaptiveConcurrency
{
public:
    static constexpr int kDefaultFloor = 2;
    static constexpr int kDefaultCeiling = 32;
    static constexpr int kInitial = 4;
    static constexpr int kMinRoundMs = 100;

    using Clock = std::chrono::steady_clock;
    using Now = std::function<Clock::time_point()>;

    // now: the clock rounds are timed with (tests give their own).
    explicit AdaptiveConcurrency(int floor = kDefaultFloor, int ceiling = kDefaultCeiling, Now now = Clock::now);

    int limit() const;
    int backoffs() const; // how often a push-back halved the limit
    // The budget uploads draw from; its capacity follows limit().
    std::shared_ptr<PartSlots> slots() const { return m_slots; }

    // A request (part or whole file) was verified: bytes of goodput.
    void requestSucceeded(qint64 bytes);
    // A request failed: backs off when the failure is the server or the network saying "too much".
    void requestFailed(const StorageError &error);
    static bool isCongestion(const StorageError &error);

private:
    void setLimit(int limit, const char *why); // m_mutex held

    const Now m_now;
    const int m_floor;
    const int m_ceiling;
    const std::shared_ptr<PartSlots> m_slots;
    mutable QMutex m_mutex; // guards the members below
    int m_limit;
    bool m_slowStart = true;
    int m_flatRounds = 0; // rounds in a row whose goodput did not rise
    Clock::time_point m_roundStart;
    qint64 m_roundBytes = 0;
    int m_roundCompletions = 0;
    double m_lastGoodput = 0; // bytes per second of the last full round
    Clock::time_point m_lastDecrease;
    int m_backoffs = 0;
};
