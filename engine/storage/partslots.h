#pragma once

#include <QtGlobal>

#include <atomic>

// A budget of parts in flight shared by every upload of an engine (a counting semaphore that never blocks):
// an uploader takes a slot before it starts a part and gives it back when the part ends. Thread-safe.
class PartSlots
{
public:
    explicit PartSlots(int capacity)
        : m_free(capacity)
    { }

    bool tryAcquire()
    {
        int free = m_free.load();
        while (free > 0) {
            if (m_free.compare_exchange_weak(free, free - 1))
                return true;
        }
        return false;
    }
    void release() { m_free.fetch_add(1); }
    int available() const { return m_free.load(); }

private:
    std::atomic<int> m_free;
};
