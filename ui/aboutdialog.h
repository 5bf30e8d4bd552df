#pragma once

#include <QDialog>

// Help → About: what runs (our version, Qt, libcurl and its TLS library as loaded at run time) and where (the data
// directory, the API's address), selectable so an operator can paste it into a report.
class AboutDialog : public QDialog
{
    Q_OBJECT

public:
    struct Facts
    {
        QString version;
        QString qtVersion; // the Qt the process runs on (qVersion())
        QString curlVersion;
        QString tlsVersion;
        QString dataDir;
        QString apiUrl; // empty: the API is not running
    };

    AboutDialog(const Facts &facts, QWidget *parent = nullptr);

    // The facts of this process (version, libraries); the caller adds the data dir and the API address.
    [[nodiscard]] static Facts runningFacts();
    [[nodiscard]] static QString text(const Facts &facts); // rich text
};
