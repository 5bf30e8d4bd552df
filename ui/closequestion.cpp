#include "closequestion.h"

#include <QCheckBox>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>

#include <algorithm>

namespace {

const QString kCloseChoiceKey = QStringLiteral("MainWindow/closeChoice"); // "tray" or "quit"; absent: ask

} // namespace

CloseQuestion::Choice CloseQuestion::remembered()
{
    const QString choice = QSettings().value(kCloseChoiceKey).toString();
    if (choice == QLatin1String("tray"))
        return Choice::KeepInTray;
    if (choice == QLatin1String("quit"))
        return Choice::Quit;
    return Choice::Ask;
}

void CloseQuestion::ask(QWidget *window, bool offerTray, const std::function<void(Choice)> &chosen)
{
    const QList<QMessageBox *> asking = window->findChildren<QMessageBox *>(QStringLiteral("closeChoice"));
    if (std::any_of(asking.cbegin(), asking.cend(), [](const QMessageBox *box) { return box->isVisible(); }))
        return; // already asking
    auto *box = new QMessageBox(QMessageBox::Question, tr("Uploads are running"),
        tr("Closing the window can keep the uploads going in the tray, or quit: uploads then stop now and continue "
           "from their verified parts the next time Keystone Console starts."),
        QMessageBox::NoButton, window);
    box->setObjectName(QStringLiteral("closeChoice"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *tray = nullptr;
    if (offerTray) {
        tray = box->addButton(tr("Keep uploading in the tray"), QMessageBox::AcceptRole);
        tray->setObjectName(QStringLiteral("keepInTrayButton"));
        box->setDefaultButton(tray);
    }
    QPushButton *quit = box->addButton(tr("Quit and pause"), QMessageBox::DestructiveRole);
    quit->setObjectName(QStringLiteral("quitButton"));
    box->addButton(QMessageBox::Cancel);
    auto *remember = new QCheckBox(tr("Remember my choice"), box);
    remember->setObjectName(QStringLiteral("rememberChoice"));
    box->setCheckBox(remember);
    QObject::connect(
        box, &QMessageBox::buttonClicked, box, [box, tray, quit, remember, chosen](QAbstractButton *button) {
            const Choice choice = button == tray ? Choice::KeepInTray : (button == quit ? Choice::Quit : Choice::Ask);
            if (choice == Choice::Ask)
                return;
            if (remember->isChecked())
                QSettings().setValue(
                    kCloseChoiceKey, choice == Choice::KeepInTray ? QStringLiteral("tray") : QStringLiteral("quit"));
            box->hide();
            chosen(choice);
        });
    box->open();
}
