#pragma once

#include <QLoggingCategory>

// keystone.catalog: the catalog's one category, shared by its connection, schema and transactions.
Q_DECLARE_LOGGING_CATEGORY(lcCatalog)
