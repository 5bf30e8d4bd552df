#pragma once

#include <QString>

// Fills a fresh data directory's catalog for the GUI benchmark: `completed` episodes (one small file each, with
// cloud fields, as after a long day of recording) and `active` pending episodes, each a sparse file of activeBytes
// that the engine will start uploading as soon as it opens the catalog.
class CatalogSeeder
{
public:
    CatalogSeeder(QString dataDir, QString filesDir);
    bool seed(int completed, int active, qint64 activeBytes, QString *error);

private:
    QString m_dataDir;
    QString m_filesDir;
};
