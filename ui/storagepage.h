#pragma once

#include "consolesettings.h"
#include "fixedsettings.h"

#include <QGroupBox>

class QComboBox;
class QLabel;
class QLineEdit;
class QRadioButton;

// Settings, "Storage": provider, endpoint, region, bucket, key prefix, addressing style and (OSS) signature. Picking
// a provider fills in its endpoint, region and addressing; an OSS, B2 or Wasabi endpoint names its region; plain
// http:// to another machine is warned about (PlainTextEndpoint).
class StoragePage : public QGroupBox
{
    Q_OBJECT

public:
    explicit StoragePage(QWidget *parent = nullptr);

    void load(const ConsoleSettings &settings); // the storage fields; providerChanged() follows
    void save(ConsoleSettings &settings) const; // the storage fields as entered
    void setFixed(const FixedSettings &fixed);

    [[nodiscard]] EndpointProfile::Provider provider() const;
    // Fills endpoint, region and addressing style with the provider's defaults.
    void applyPreset(EndpointProfile::Provider provider);
    [[nodiscard]] static QString endpointPlaceholder(EndpointProfile::Provider provider);

Q_SIGNALS:
    void providerChanged(EndpointProfile::Provider provider); // the part-size minimum depends on it

private:
    void updateForProvider(); // the controls that depend on the provider: signature, placeholder
    void endpointEdited(); // an OSS, B2 or Wasabi endpoint names its region
    void showEndpointWarning(); // plain http:// to another machine (PlainTextEndpoint)
    [[nodiscard]] QString signatureToolTip() const;

    QComboBox *m_provider = nullptr;
    QLineEdit *m_endpoint = nullptr;
    QLabel *m_endpointWarning = nullptr;
    QLineEdit *m_region = nullptr;
    QLineEdit *m_bucket = nullptr;
    QLineEdit *m_keyPrefix = nullptr;
    QRadioButton *m_pathStyle = nullptr;
    QRadioButton *m_virtualHosted = nullptr;
    QComboBox *m_signatureVersion = nullptr;
    FixedSettings m_fixed;
};
