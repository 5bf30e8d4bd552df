#include "uilogging.h"

Q_LOGGING_CATEGORY(lcUi, "keystone.ui", QtWarningMsg)
