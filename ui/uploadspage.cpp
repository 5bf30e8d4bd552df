#include "uploadspage.h"

#include "settingsfield.h"
#include "storage/partplan.h"
#include "sync/synclimits.h"

#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>

UploadsPage::UploadsPage(EndpointProfile::Provider provider, QWidget *parent)
    : QGroupBox(tr("Uploads"), parent)
{
    using SettingsField::spinBox;
    const int maxPart = int(PartPlan::kMaxPartSize / PartPlan::kMiB);
    m_partSize = spinBox(this, "partSize", ConsoleSettings::minPartSizeMiB(provider), maxPart, tr(" MiB"));
    m_parallelParts = spinBox(
        this, "parallelParts", SyncLimits::kMinRequestsPerEpisode, SyncLimits::kMaxRequestsPerEpisode, QString());
    m_maxEpisodes
        = spinBox(this, "maxConcurrentEpisodes", SyncLimits::kMinEpisodes, SyncLimits::kMaxEpisodes, QString());
    m_bandwidth = spinBox(this, "bandwidthLimit", 0, 100000, tr(" MiB/s"));
    m_bandwidth->setSpecialValueText(tr("Unlimited"));
    m_schedule = SettingsField::lineEdit(this, "bandwidthSchedule");
    m_schedule->setPlaceholderText(tr("e.g. 08:00,10M 20:00,off"));
    m_schedule->setToolTip(tr("Upload limits by time of day, as rclone's timetable; weekdays optional "
                              "(Mon-08:00,2M Sat-00:00,off). Replaces the bandwidth limit while set."));
    m_recordingLimit = SettingsField::lineEdit(this, "recordingLimit");
    m_recordingLimit->setPlaceholderText(tr("automatic: a tenth of the uplink"));
    m_recordingLimit->setToolTip(tr("Upload limit in recording mode, e.g. 5M; 0 holds uploads while recording."));

    auto *form = new QFormLayout(this);
    form->addRow(tr("P&art size:"), m_partSize);
    form->addRow(tr("Requests in flight &per episode:"), m_parallelParts);
    form->addRow(tr("Concurrent &episodes:"), m_maxEpisodes);
    form->addRow(tr("Band&width limit:"), m_bandwidth);
    form->addRow(tr("Band&width schedule:"), m_schedule);
    form->addRow(tr("Recording &limit:"), m_recordingLimit);
}

void UploadsPage::load(const ConsoleSettings &settings)
{
    m_partSize->setValue(settings.partSizeMiB);
    m_parallelParts->setValue(settings.parallelParts);
    m_maxEpisodes->setValue(settings.maxConcurrentEpisodes);
    m_bandwidth->setValue(settings.bandwidthLimitMiBps);
    m_schedule->setText(settings.bandwidthSchedule);
    m_recordingLimit->setText(settings.recordingLimit);
}

void UploadsPage::save(ConsoleSettings &settings) const
{
    settings.partSizeMiB = m_partSize->value();
    settings.parallelParts = m_parallelParts->value();
    settings.maxConcurrentEpisodes = m_maxEpisodes->value();
    settings.bandwidthLimitMiBps = m_bandwidth->value();
    settings.bandwidthSchedule = m_schedule->text().simplified();
    settings.recordingLimit = m_recordingLimit->text().trimmed();
}

void UploadsPage::setFixed(const FixedSettings &fixed)
{
    using Field = FixedSettings::Field;
    SettingsField::markFixed(m_partSize, fixed, Field::PartSize);
    SettingsField::markFixed(m_parallelParts, fixed, Field::ParallelParts);
    SettingsField::markFixed(m_maxEpisodes, fixed, Field::MaxConcurrentEpisodes);
    SettingsField::markFixed(m_bandwidth, fixed, Field::BandwidthLimit);
    SettingsField::markFixed(m_schedule, fixed, Field::BandwidthSchedule);
    SettingsField::markFixed(m_recordingLimit, fixed, Field::RecordingLimit);
}

void UploadsPage::setProvider(EndpointProfile::Provider provider)
{
    m_partSize->setMinimum(ConsoleSettings::minPartSizeMiB(provider));
}
