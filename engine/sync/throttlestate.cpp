#include "throttlestate.h"

QString ThrottleState::modeName(Mode mode)
{
    return mode == Mode::Recording ? QStringLiteral("recording") : QStringLiteral("normal");
}

QString ThrottleState::reasonName(Reason reason)
{
    switch (reason) {
    case Reason::None:
        return {};
    case Reason::Command:
        return QStringLiteral("command");
    case Reason::FolderGrowth:
        return QStringLiteral("folder_growth");
    }
    return {};
}
