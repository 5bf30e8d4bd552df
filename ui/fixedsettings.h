#pragma once

#include <QCoreApplication>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

// Which values of the configuration in force the command line or the --config file fixed, so the settings dialog
// shows them read-only and says where to change them (saving would not change them: the next start takes them from
// the same place again). The app fills it from the options it was given; the dialog only reads it. A value type.
class FixedSettings
{
    Q_DECLARE_TR_FUNCTIONS(FixedSettings)

public:
    // The dialog's fields. Credentials: the access key id and its secret, which go together.
    enum class Field {
        Provider,
        Endpoint,
        Region,
        Bucket,
        KeyPrefix,
        Addressing,
        SignatureVersion,
        Credentials,
        PartSize,
        ParallelParts,
        MaxConcurrentEpisodes,
        BandwidthLimit,
        BandwidthSchedule,
        RecordingLimit,
    };
    enum class Source { CommandLine, ConfigFile };

    // field is fixed by the option with this long name (e.g. "bucket"), given in source.
    void fix(Field field, Source source, const QString &option);
    void setConfigFile(const QString &path) { m_configFile = path; }

    [[nodiscard]] bool isFixed(Field field) const { return m_fixed.contains(field); }
    [[nodiscard]] bool isEmpty() const { return m_fixed.isEmpty(); }
    [[nodiscard]] QString configFile() const { return m_configFile; }
    // For one field (a tooltip): "Set by the command line (--bucket); edit the command line to change it."
    [[nodiscard]] QString explanation(Field field) const;
    // One line for the whole dialog, naming every option involved; empty when nothing is fixed.
    [[nodiscard]] QString summary() const;

private:
    struct Origin
    {
        Source source;
        QString option;
        friend bool operator==(const Origin &, const Origin &) = default;
    };
    // "--bucket, --endpoint" and "bucket, endpoint" for the origins given; the text names one or both sources.
    QString describe(const QList<Origin> &origins, bool plural) const;

    QMap<Field, QList<Origin>> m_fixed;
    QString m_configFile;
};
