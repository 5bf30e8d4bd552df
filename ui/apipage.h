#pragma once

#include <QGroupBox>

class QLineEdit;
class QPushButton;

// Settings, "Local API": where the API listens and its bearer token, read-only (the app knows them; empty: the API
// is not running). The token can be shown, copied, or replaced (tokenRegenerationRequested(): the app does it and
// calls setApiInfo() again).
class ApiPage : public QGroupBox
{
    Q_OBJECT

public:
    explicit ApiPage(QWidget *parent = nullptr);

    void setApiInfo(const QString &listenUrl, const QByteArray &token);

Q_SIGNALS:
    void tokenRegenerationRequested();

private:
    QLineEdit *m_apiUrl = nullptr;
    QLineEdit *m_apiToken = nullptr;
    QPushButton *m_showToken = nullptr;
    QPushButton *m_copyToken = nullptr;
    QPushButton *m_regenerateToken = nullptr;
};
