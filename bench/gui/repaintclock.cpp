#include "repaintclock.h"

#include <QEvent>
#include <QEventLoop>
#include <QTimer>
#include <QWidget>

RepaintClock::RepaintClock(QWidget *widget)
    : m_widget(widget)
{
    m_widget->installEventFilter(this);
}

RepaintClock::~RepaintClock()
{
    m_widget->removeEventFilter(this);
}

RepaintClock::Timing RepaintClock::time(const std::function<void()> &action, int timeoutMs)
{
    Timing timing;
    m_paintedMs = -1;
    m_armed = true;
    m_clock.start();
    action();
    timing.callMs = double(m_clock.nsecsElapsed()) / 1e6;
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    timeout.start(timeoutMs);
    QTimer check; // the paint is noted from inside the event loop: look for it often, it is timestamped anyway
    connect(&check, &QTimer::timeout, &loop, [&loop, this] {
        if (m_paintedMs >= 0)
            loop.quit();
    });
    check.start(1);
    if (m_paintedMs < 0)
        loop.exec();
    m_armed = false;
    timing.repaintedMs = m_paintedMs;
    return timing;
}

bool RepaintClock::eventFilter(QObject *watched, QEvent *event)
{
    if (m_armed && watched == m_widget && event->type() == QEvent::Paint) {
        m_armed = false;
        // The filter runs before the paint: note the time once the event after it runs, i.e. the paint is done.
        QTimer::singleShot(0, this, [this] { m_paintedMs = double(m_clock.nsecsElapsed()) / 1e6; });
    }
    return QObject::eventFilter(watched, event);
}
