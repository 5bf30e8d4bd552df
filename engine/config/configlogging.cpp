#include "configlogging.h"

Q_LOGGING_CATEGORY(lcConfig, "keystone.config", QtWarningMsg)
