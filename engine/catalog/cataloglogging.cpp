#include "cataloglogging.h"

Q_LOGGING_CATEGORY(lcCatalog, "keystone.catalog", QtWarningMsg)
