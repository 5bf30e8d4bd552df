#pragma once

#include <QLoggingCategory>

// "keystone.sync": the scheduler and its roles (EpisodeLedger, EpisodeRegistry, AttemptRunner).
Q_DECLARE_LOGGING_CATEGORY(lcSync)
