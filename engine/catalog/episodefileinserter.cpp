#include "episodefileinserter.h"

#include "catalogconnection.h"
#include "catalogrows.h"
#include "sqliteerror.h"

#include <utility>

#include <QSqlError>

namespace {

void bindAll(QSqlQuery &query, const QVariantList &values)
{
    for (qsizetype i = 0; i < values.size(); ++i)
        query.bindValue(int(i), values.at(i));
}

} // namespace

EpisodeFileInserter::EpisodeFileInserter(const CatalogConnection &connection, QString what)
    : m_files(connection.database())
    , m_parts(connection.database())
    , m_what(std::move(what))
{ }

CatalogResult<void> EpisodeFileInserter::insert(qint64 episodeId, const EpisodeFileRecord &file)
{
    if (!m_prepared) {
        if (auto prepared = prepare(); !prepared)
            return prepared;
    }
    // Parts only mean something for the upload they belong to.
    if (!file.parts.isEmpty() && file.uploadId.isEmpty())
        return CatalogError{CatalogError::Code::QueryFailed,
            QStringLiteral("%1: file '%2' has parts but no upload id").arg(m_what, file.relativePath)};
    bindAll(m_files, CatalogRows::fileValues(episodeId, file));
    if (!m_files.exec())
        return toCatalogError(m_files.lastError(), QStringLiteral("%1: file '%2'").arg(m_what, file.relativePath));
    return insertParts(episodeId, file);
}

CatalogResult<void> EpisodeFileInserter::prepare()
{
    const bool prepared
        = m_files.prepare(QStringLiteral("INSERT INTO episode_files (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                              .arg(QLatin1String(CatalogRows::kFileColumns)))
        && m_parts.prepare(QStringLiteral("INSERT INTO file_parts (%1) VALUES (?, ?, ?, ?, ?, ?, ?)")
                               .arg(QLatin1String(CatalogRows::kPartInsertColumns)));
    if (!prepared)
        return toCatalogError(m_files.lastError().isValid() ? m_files.lastError() : m_parts.lastError(), m_what);
    m_prepared = true;
    return {};
}

CatalogResult<void> EpisodeFileInserter::insertParts(qint64 episodeId, const EpisodeFileRecord &file)
{
    for (const CompletedPart &part : file.parts) {
        bindAll(m_parts, CatalogRows::partValues(episodeId, file.relativePath, file.uploadId, part));
        if (!m_parts.exec())
            return toCatalogError(m_parts.lastError(),
                QStringLiteral("%1: part %2 of '%3'").arg(m_what).arg(part.partNumber).arg(file.relativePath));
    }
    return {};
}
