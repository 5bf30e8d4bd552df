#pragma once

#include <QCoreApplication>

#include <functional>

class QWidget;

// "Uploads are running": what closing the main window while uploads run should do, asked in a non-modal question
// (keep uploading in the tray, quit, or cancel) with "Remember my choice", or what was remembered (QSettings).
class CloseQuestion
{
    Q_DECLARE_TR_FUNCTIONS(CloseQuestion)

public:
    enum class Choice { Ask, KeepInTray, Quit };

    // What the operator chose with "Remember my choice"; Ask when nothing was remembered.
    [[nodiscard]] static Choice remembered();
    // Opens the question on window (once: nothing happens while it is already shown); chosen() follows with
    // KeepInTray or Quit, not at all for Cancel. offerTray: whether keeping the uploads going in the tray is one of
    // the answers.
    static void ask(QWidget *window, bool offerTray, const std::function<void(Choice)> &chosen);
};
