#pragma once

#include <QDialog>

class QTextBrowser;

// Help → Keystone Console Help (F1): the README, compiled in, so help works offline on a station and in a build
// tree alike; links to the web open in the desktop's browser. The man page (keystone-console(1)) is named at the
// top for the command line.
class HelpBrowser : public QDialog
{
    Q_OBJECT

public:
    explicit HelpBrowser(QWidget *parent = nullptr);
    QTextBrowser *browser() const { return m_browser; }

private:
    QTextBrowser *m_browser = nullptr;
};
