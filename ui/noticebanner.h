#pragma once

#include <QLabel>

// A line above the table for a state of the whole engine (the storage unreachable, recording mode): said once there
// instead of on every row, in the warning colours. Hidden while it has nothing to say.
class NoticeBanner : public QLabel
{
    Q_OBJECT

public:
    NoticeBanner(const QString &objectName, QWidget *parent = nullptr);

    void say(const QString &text); // empty: hidden
};
