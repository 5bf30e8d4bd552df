#pragma once

#include <QElapsedTimer>
#include <QObject>

#include <functional>

class QWidget;

// Times an action until a widget has finished repainting after it: the moment a user sees the result. The action
// runs synchronously (its own duration is reported apart), then the event loop runs until the widget's next paint
// event has been handled, as a user's window would.
class RepaintClock : public QObject
{
public:
    struct Timing
    {
        double callMs = -1; // the action itself (e.g. the proxy's sort(), synchronous view updates included)
        double repaintedMs = -1; // until the widget's paint after the action was done; -1 if none came in time
    };

    explicit RepaintClock(QWidget *widget);
    ~RepaintClock() override;

    Timing time(const std::function<void()> &action, int timeoutMs = 10'000);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *m_widget;
    QElapsedTimer m_clock;
    bool m_armed = false;
    double m_paintedMs = -1;
};
