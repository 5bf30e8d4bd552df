#include "apilogging.h"

Q_LOGGING_CATEGORY(lcApi, "keystone.api", QtWarningMsg)
