#pragma once

#include "sync/storagehealth.h"
#include "sync/throttlestate.h"

#include <QWidget>

struct EngineChanges;
class NoticeBanner;
class SyncEngine;

// The lines above the table for states of the whole engine, said once there instead of on every row: the storage
// unreachable or refusing the credentials, and recording mode. Each follows the engine's summary in its change
// feed and is hidden while it has nothing to say. The engine must outlive this widget.
class EngineBanners : public QWidget
{
    Q_OBJECT

public:
    explicit EngineBanners(SyncEngine &engine, QWidget *parent = nullptr);

    // The storage banner's text while the storage is not ok (empty when it is).
    static QString storageBannerText(const StorageHealth &health);
    // The recording banner's text in recording mode (empty otherwise).
    static QString recordingBannerText(const ThrottleState &state);

private:
    void showChanges(const EngineChanges &changes);
    void showRecording(const ThrottleState &state);

    SyncEngine &m_engine;
    NoticeBanner *m_storage = nullptr; // objectName storageBanner
    NoticeBanner *m_recording = nullptr; // objectName recordingBanner
};
