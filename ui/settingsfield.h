#pragma once

#include "fixedsettings.h"

class QLabel;
class QLineEdit;
class QSpinBox;
class QString;
class QWidget;

// The widgets every Settings page builds the same way, and how a value the command line or config file fixed looks.
namespace SettingsField {

// An empty line edit named for the tests and the screenshots (objectName).
[[nodiscard]] QLineEdit *lineEdit(QWidget *parent, const char *name);
[[nodiscard]] QSpinBox *spinBox(QWidget *parent, const char *name, int minimum, int maximum, const QString &suffix);
// A wrapping message line (a warning, a note, a result).
[[nodiscard]] QLabel *note(QWidget *parent, const char *name);
// Read-only with the explanation as tooltip when fixed, editable otherwise. Line edits and spin boxes stay
// selectable (read-only, greyed like disabled); other widgets are disabled.
void markFixed(QWidget *widget, const FixedSettings &fixed, FixedSettings::Field field);

} // namespace SettingsField
