#include "apipage.h"

#include "settingsfield.h"

#include <QApplication>
#include <QClipboard>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>

ApiPage::ApiPage(QWidget *parent)
    : QGroupBox(tr("Local API"), parent)
{
    m_apiUrl = SettingsField::lineEdit(this, "apiUrl");
    m_apiUrl->setReadOnly(true);
    m_apiToken = SettingsField::lineEdit(this, "apiToken");
    m_apiToken->setReadOnly(true);
    m_apiToken->setEchoMode(QLineEdit::Password);
    // Wide enough to see that there is a token (and most of it when shown), beside three buttons.
    m_apiToken->setMinimumWidth(m_apiToken->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 32);
    m_showToken = new QPushButton(tr("Sho&w"), this);
    m_showToken->setObjectName(QStringLiteral("showToken"));
    m_showToken->setCheckable(true);
    connect(m_showToken, &QPushButton::toggled, this, [this](bool shown) {
        m_apiToken->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        m_showToken->setText(shown ? tr("Hi&de") : tr("Sho&w"));
    });
    m_copyToken = new QPushButton(tr("&Copy"), this);
    m_copyToken->setObjectName(QStringLiteral("copyToken"));
    connect(
        m_copyToken, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_apiToken->text()); });
    m_regenerateToken = new QPushButton(tr("&Regenerate"), this);
    m_regenerateToken->setObjectName(QStringLiteral("regenerateToken"));
    m_regenerateToken->setToolTip(tr("Replace the token; scripts using the old one must read the new token file."));
    connect(m_regenerateToken, &QPushButton::clicked, this, &ApiPage::tokenRegenerationRequested);
    auto *tokenRow = new QHBoxLayout;
    tokenRow->addWidget(m_apiToken, 1);
    tokenRow->addWidget(m_showToken);
    tokenRow->addWidget(m_copyToken);
    tokenRow->addWidget(m_regenerateToken);

    auto *form = new QFormLayout(this);
    form->addRow(tr("Listening on:"), m_apiUrl);
    form->addRow(tr("Token:"), tokenRow);
    setApiInfo(QString(), QByteArray());
}

void ApiPage::setApiInfo(const QString &listenUrl, const QByteArray &token)
{
    m_apiUrl->setText(listenUrl.isEmpty() ? tr("not running") : listenUrl);
    m_apiToken->setText(QString::fromLatin1(token));
    m_showToken->setEnabled(!token.isEmpty());
    m_copyToken->setEnabled(!token.isEmpty());
    m_regenerateToken->setEnabled(!token.isEmpty());
}
