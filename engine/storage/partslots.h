#pragma once

#include <QtGlobal>

#include <atomic>
#include <memory>

// A budget of requests in flight (parts and whole small files) - a counting semaphore that never blocks: an uploader
// takes a slot before it starts a request and gives it back when the request ends. Budgets nest: a job's own budget
// (--concurrency) sits under the engine's (--max-parts), and a slot is taken from both or from neither.
// Thread-safe.
class PartSlots
{
public:
    explicit PartSlots(int capacity, std::shared_ptr<PartSlots> parent = nullptr)
        : m_capacity(capacity)
        , m_free(capacity)
        , m_parent(std::move(parent))
    { }

    bool tryAcquire()
    {
        if (!takeOwn())
            return false;
        if (m_parent && !m_parent->tryAcquire()) {
            m_free.fetch_add(1);
            return false;
        }
        return true;
    }
    void release()
    {
        m_free.fetch_add(1);
        if (m_parent)
            m_parent->release();
    }
    int available() const { return m_free.load(); }
    int capacity() const { return m_capacity.load(); }
    // A new size for this budget (AdaptiveConcurrency). Slots in use above a smaller capacity stay until released;
    // no new one is given out meanwhile.
    void setCapacity(int capacity) { m_free.fetch_add(capacity - m_capacity.exchange(capacity)); }

private:
    bool takeOwn()
    {
        int free = m_free.load();
        while (free > 0) {
            if (m_free.compare_exchange_weak(free, free - 1))
                return true;
        }
        return false;
    }

    std::atomic<int> m_capacity;
    std::atomic<int> m_free;
    const std::shared_ptr<PartSlots> m_parent;
};
