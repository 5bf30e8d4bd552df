#include "enginebanners.h"

#include "noticebanner.h"
#include "sync/progresstext.h"
#include "sync/syncengine.h"

#include <QLocale>
#include <QVBoxLayout>

EngineBanners::EngineBanners(SyncEngine &engine, QWidget *parent)
    : QWidget(parent)
    , m_engine(engine)
    , m_storage(new NoticeBanner(QStringLiteral("storageBanner"), this))
    , m_recording(new NoticeBanner(QStringLiteral("recordingBanner"), this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_storage);
    layout->addWidget(m_recording);
    connect(&m_engine, &SyncEngine::changed, this, &EngineBanners::showChanges);
    m_storage->say(storageBannerText(m_engine.storageHealth()));
    showRecording(m_engine.throttle());
}

void EngineBanners::showChanges(const EngineChanges &changes)
{
    if (changes.storageHealth)
        m_storage->say(storageBannerText(*changes.storageHealth));
    if (changes.throttle)
        showRecording(*changes.throttle);
}

void EngineBanners::showRecording(const ThrottleState &state)
{
    m_recording->say(recordingBannerText(state));
}

QString EngineBanners::storageBannerText(const StorageHealth &health)
{
    const QString since = QLocale().toString(health.since.toLocalTime(), QLocale::ShortFormat);
    switch (health.state) {
    case StorageHealth::State::Ok:
        break;
    case StorageHealth::State::Unreachable:
        return tr("Storage unreachable since %1: %2\n%3").arg(since, health.detail, health.hint());
    case StorageHealth::State::CredentialsRejected:
        return tr("Credentials rejected since %1: %2\n%3").arg(since, health.detail, health.hint());
    }
    return {};
}

QString EngineBanners::recordingBannerText(const ThrottleState &state)
{
    if (!state.isRecording())
        return {};
    const QString why = state.reason == ThrottleState::Reason::FolderGrowth
        ? tr("Recording: a watched folder is growing.")
        : state.until.isValid()
        ? tr("Recording mode until %1.").arg(QLocale().toString(state.until.toLocalTime().time(), QLocale::ShortFormat))
        : tr("Recording mode.");
    const QString what = state.holding
        ? tr("Uploads hold until it ends; verified parts are kept.")
        : tr("Uploads yield to the recorder: at most %1, one part at a time per episode.")
              .arg(ProgressText::speed(double(state.limitBytesPerSecond)));
    return why + QLatin1Char(' ') + what;
}
