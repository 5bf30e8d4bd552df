#include "synclogging.h"

Q_LOGGING_CATEGORY(lcSync, "keystone.sync", QtWarningMsg)
