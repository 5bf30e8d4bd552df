#include "noticebanner.h"

#include "statecolors.h"

NoticeBanner::NoticeBanner(const QString &objectName, QWidget *parent)
    : QLabel(parent)
{
    setObjectName(objectName);
    setWordWrap(true);
    setTextFormat(Qt::PlainText);
    setContentsMargins(10, 6, 10, 6);
    setAutoFillBackground(true);
    QPalette warning = palette();
    warning.setColor(QPalette::Window, StateColors::warningBackground(warning));
    warning.setColor(QPalette::WindowText, StateColors::warningText(warning));
    setPalette(warning);
    hide();
}

void NoticeBanner::say(const QString &text)
{
    setText(text);
    setVisible(!text.isEmpty());
}
