#include "settingsfield.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPalette>
#include <QSpinBox>

namespace SettingsField {

QLineEdit *lineEdit(QWidget *parent, const char *name)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(QLatin1String(name));
    return edit;
}

QSpinBox *spinBox(QWidget *parent, const char *name, int minimum, int maximum, const QString &suffix)
{
    auto *spin = new QSpinBox(parent);
    spin->setObjectName(QLatin1String(name));
    spin->setRange(minimum, maximum);
    spin->setSuffix(suffix);
    return spin;
}

QLabel *note(QWidget *parent, const char *name)
{
    auto *label = new QLabel(parent);
    label->setObjectName(QLatin1String(name));
    label->setWordWrap(true);
    return label;
}

void markFixed(QWidget *widget, const FixedSettings &fixed, FixedSettings::Field field)
{
    const bool isFixed = fixed.isFixed(field);
    widget->setToolTip(isFixed ? fixed.explanation(field) : QString());
    auto *edit = qobject_cast<QLineEdit *>(widget);
    auto *spin = qobject_cast<QSpinBox *>(widget);
    if (!edit && !spin) {
        widget->setEnabled(!isFixed);
        return;
    }
    // Read-only rather than disabled, so the value can still be selected and copied; greyed like disabled.
    if (edit)
        edit->setReadOnly(isFixed);
    if (spin) {
        spin->setReadOnly(isFixed);
        spin->setButtonSymbols(isFixed ? QAbstractSpinBox::NoButtons : QAbstractSpinBox::UpDownArrows);
    }
    QPalette palette = QApplication::palette(widget);
    if (isFixed) {
        palette.setColor(QPalette::Base, palette.color(QPalette::Window));
        palette.setColor(QPalette::Text, palette.color(QPalette::Disabled, QPalette::Text));
    }
    widget->setPalette(palette);
}

} // namespace SettingsField
