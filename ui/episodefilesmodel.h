#pragma once

#include "catalog/episoderecord.h"
#include "episodetablemodel.h"

#include <QAbstractTableModel>
#include <QList>

// The files of one episode as the details pane lists them: path, size, state, verified progress, object key and the
// upload id while it can be resumed. Filled from the catalog's rows (SyncEngine::episodeFiles); computes each row's
// figures once per answer, so data() only reads them.
//
// Verified bytes only (parts acknowledged and checked, or the whole file once completed), never what is in flight:
// the catalog knows nothing else. The catalog can be a moment ahead of the episode's own committed bytes (a part is
// recorded before the job reports it), so setFiles() is given that figure and no row shows more than it allows: the
// files being uploaded give up the surplus first (from the last), since it is exactly their newest parts the status
// has not caught up with yet. The next read, once the engine reported the change, shows them.
class EpisodeFilesModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { PathColumn, SizeColumn, StateColumn, ProgressColumn, ObjectKeyColumn, UploadIdColumn, ColumnCount };
    enum Role {
        // EpisodeTableModel::Progress under the role ProgressDelegate reads: the same bar as the episode table's.
        ProgressRole = EpisodeTableModel::ProgressRole,
        VerifiedRole = Qt::UserRole + 100, // qint64: verified bytes shown
        ObjectKeyRole, // QString
        FileStateRole, // int(FileState)
    };
    enum class FileState {
        Waiting, // nothing of it verified and no upload open (a small file's single PUT shows here until done)
        Uploading, // a multipart upload is open (resumable by its upload id)
        Verified, // every part verified; the upload is not completed yet
        Completed,
    };

    struct Row
    {
        EpisodeFileRecord file;
        FileState state = FileState::Waiting;
        qint64 verified = 0; // bytes shown as verified (capped, see the class comment)
        QString objectKey;
    };

    explicit EpisodeFilesModel(QObject *parent = nullptr);

    // Replaces the rows (keeping the model's shape when the paths are the same, so a view keeps its selection).
    // committedCap: the episode's committed bytes now; negative: no cap.
    void setFiles(const QList<EpisodeFileRecord> &files, const QString &episodePrefix, qint64 committedCap);
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const Row &rowAt(int row) const { return m_rows.at(row); }
    int rowOf(const QString &relativePath) const; // -1 if absent
    int resumableUploads() const; // files with an upload id kept for a resume

    // The rows' figures (pure: unit-tested).
    [[nodiscard]] static QList<Row> rowsFor(
        const QList<EpisodeFileRecord> &files, const QString &episodePrefix, qint64 committedCap);
    [[nodiscard]] static qint64 verifiedOf(const EpisodeFileRecord &file);
    [[nodiscard]] static FileState stateOf(const EpisodeFileRecord &file);
    [[nodiscard]] static QString stateText(const EpisodeFileRecord &file); // "completed · etag not checked"

private:
    QVariant displayData(const Row &row, int column) const;

    QList<Row> m_rows;
};
