#pragma once

#include "consolesettings.h"
#include "fixedsettings.h"

#include <QGroupBox>

class QLineEdit;
class QSpinBox;

// Settings, "Uploads": part size, requests in flight per episode, concurrent episodes, the bandwidth limit and its
// schedule, and the limit in recording mode. The part-size minimum follows the provider (setProvider()).
class UploadsPage : public QGroupBox
{
    Q_OBJECT

public:
    // provider: the one the storage page shows now (the part size's minimum).
    explicit UploadsPage(EndpointProfile::Provider provider, QWidget *parent = nullptr);

    void load(const ConsoleSettings &settings); // after setProvider(): the part size's minimum depends on it
    void save(ConsoleSettings &settings) const;
    void setFixed(const FixedSettings &fixed);
    void setProvider(EndpointProfile::Provider provider);

private:
    QSpinBox *m_partSize = nullptr;
    QSpinBox *m_parallelParts = nullptr;
    QSpinBox *m_maxEpisodes = nullptr;
    QSpinBox *m_bandwidth = nullptr;
    QLineEdit *m_schedule = nullptr;
    QLineEdit *m_recordingLimit = nullptr;
};
